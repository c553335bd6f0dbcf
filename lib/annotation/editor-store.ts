// The editor's document as ordered maps, changed only by applying diffs (forward or inverted).
// Order is stored as a stacking key per record, so an undone delete lands back where it was.
import type { Relation } from "./clipboard";
import { DOCUMENT_VERSION, type AnnotationDocument } from "./document";
import type { DocumentDiff } from "./history";
import type { Region } from "./regions";

/** A record plus its stacking key. */
export interface Slot<T> {
  value: T;
  z: number;
}
export type EditorDiff = DocumentDiff<Slot<Region>, Slot<Relation>>;

export const relKey = (r: Relation): string => `${r.from}\u0000${r.to}\u0000${r.label ?? ""}`;

function byZ<T>(m: Map<string, Slot<T>>): Map<string, Slot<T>> {
  return new Map([...m].sort((a, b) => a[1].z - b[1].z));
}

export class DocumentStore {
  private regions = new Map<string, Slot<Region>>();
  private relations = new Map<string, Slot<Relation>>();
  private classifications = new Map<string, string[]>();
  private list: Region[] | null = null;
  /** Highest stacking key in use; new records go above it. */
  topZ = -1;
  relTopZ = -1;

  get size(): number {
    return this.regions.size;
  }
  slot(id: string): Slot<Region> | undefined {
    return this.regions.get(id);
  }
  has(id: string): boolean {
    return this.regions.has(id);
  }
  ids(): IterableIterator<string> {
    return this.regions.keys();
  }
  minZ(): number {
    let z = 0;
    for (const s of this.regions.values()) if (s.z < z) z = s.z;
    return z;
  }
  /** Regions bottom to top, cached until the next change (treat as read-only). */
  ordered(): readonly Region[] {
    return (this.list ??= [...this.regions.values()].map((s) => s.value));
  }
  relationSlot(key: string): Slot<Relation> | undefined {
    return this.relations.get(key);
  }
  relationSlots(): IterableIterator<[string, Slot<Relation>]> {
    return this.relations.entries();
  }
  relationList(): Relation[] {
    return [...this.relations.values()].map((s) => s.value);
  }
  classification(name: string): string[] | undefined {
    return this.classifications.get(name);
  }
  classificationRecord(): Record<string, string[]> {
    return Object.fromEntries([...this.classifications].map(([k, v]) => [k, [...v]]));
  }

  /** Apply a diff; returns the region ids it touched and whether relations/classifications changed. */
  apply(d: EditorDiff): { ids: Set<string>; document: boolean } {
    const ids = new Set<string>();
    let resort = false;
    for (const id of d.regions.removed.keys()) {
      this.regions.delete(id);
      ids.add(id);
    }
    for (const [id, slot] of d.regions.added) {
      this.regions.set(id, slot);
      ids.add(id);
      if (slot.z > this.topZ) this.topZ = slot.z;
      else resort = true; // restored below other regions (undo of a delete)
    }
    for (const [id, [before, after]] of d.regions.updated) {
      this.regions.set(id, after);
      ids.add(id);
      if (before.z !== after.z) resort = true;
      if (after.z > this.topZ) this.topZ = after.z;
    }
    if (resort) this.regions = byZ(this.regions);

    let relResort = false;
    for (const k of d.relations.removed.keys()) this.relations.delete(k);
    const relPuts: Array<[string, Slot<Relation>]> = [...d.relations.added, ...[...d.relations.updated].map(([k, [, a]]): [string, Slot<Relation>] => [k, a])];
    for (const [k, slot] of relPuts) {
      this.relations.set(k, slot);
      if (slot.z > this.relTopZ) this.relTopZ = slot.z;
      else relResort = true;
    }
    if (relResort) this.relations = byZ(this.relations);

    for (const [name, [, after]] of d.classifications) {
      if (after) this.classifications.set(name, [...after]);
      else this.classifications.delete(name);
    }
    this.list = null;
    const document = d.relations.added.size + d.relations.removed.size + d.relations.updated.size + d.classifications.size > 0;
    return { ids, document };
  }

  /** Replace everything; returns the ids that existed before. */
  load(doc: AnnotationDocument): string[] {
    const old = [...this.regions.keys()];
    this.regions = new Map(doc.regions.map((r, i) => [r.id, { value: r, z: i }]));
    this.relations = new Map(doc.relations.map((r, i) => [relKey(r), { value: r, z: i }]));
    this.classifications = new Map(Object.entries(doc.classifications).map(([k, v]) => [k, [...v]]));
    this.topZ = doc.regions.length - 1;
    this.relTopZ = doc.relations.length - 1;
    this.list = null;
    return old;
  }

  toDocument(): AnnotationDocument {
    return { version: DOCUMENT_VERSION, regions: [...this.ordered()], classifications: this.classificationRecord(), relations: this.relationList() };
  }
}

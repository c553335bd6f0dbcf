// The framework-free annotation editor: document, selection, current tool and label, undo.
// React reads it with useSyncExternalStore(editor.subscribe, editor.getVersion); a canvas redraws
// the region ids each change event names. Commands here; state and undo plumbing in editor-core.ts.
import { makeClip, pasteClip, type Clip, type Relation } from "./clipboard";
import { EditorCore } from "./editor-core";
import { EditorError, type RegionInput } from "./editor-schema";
import { relKey, type EditorDiff } from "./editor-store";
import { boundsIntersect, type Bounds, type Point } from "./geometry";
import { emptyDiff } from "./history";
import { regionSchemas, type Region, type RegionKindName } from "./regions";
import { constrainDelta, regionBounds, regionIntersectsBox, unionBounds, utilOf } from "./selection";

export { EditorCore, type EditorChange, type EditorListener, type EditorOptions, type SelectMode } from "./editor-core";
export { EditorError, type EditorErrorCode, type RegionInput } from "./editor-schema";
export type { EditorDiff, Slot } from "./editor-store";
export type { Clip, Relation } from "./clipboard";

/** How far a paste lands from its source, so the copy is visible. */
export const PASTE_OFFSET = 10;

export class Editor extends EditorCore {
  // ---- spatial queries ----------------------------------------------------------------------

  /** Regions whose bounds meet `b`, bottom to top, hidden ones included (viewport culling). */
  regionsInBounds(b: Bounds): Region[] {
    return this.getRegions().filter((r) => {
      const rb = regionBounds(r);
      return rb !== null && boundsIntersect(rb, b);
    });
  }
  /** Visible, unlocked regions touching a marquee box. */
  regionsInBox(box: Bounds): Region[] {
    return this.getRegions().filter((r) => !r.hidden && !r.locked && regionIntersectsBox(r, box));
  }
  /** The topmost visible, unlocked region at p (later-created on top), or null. */
  hitTest(p: Point, tol = 0): Region | null {
    const list = this.getRegions();
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i]!;
      if (r.hidden || r.locked) continue;
      const b = regionBounds(r);
      if (!b || p.x < b.minX - tol || p.x > b.maxX + tol || p.y < b.minY - tol || p.y > b.maxY + tol) continue;
      if (utilOf(r.kind)!.hitTest(r, p, tol)) return r;
    }
    return null;
  }

  // ---- document changes (undoable) ----------------------------------------------------------

  /** Create one region (origin "manual" unless given); throws EditorError if invalid for the schema. */
  createRegion(input: RegionInput): Region {
    return this.createRegions([input], "create")[0]!;
  }

  /** Create several regions as one undo step (accepting a batch of predictions); all or nothing. */
  createRegions(inputs: readonly RegionInput[], name = "create"): Region[] {
    const d: EditorDiff = emptyDiff();
    const out: Region[] = [];
    let z = this.store.topZ;
    for (const input of inputs) {
      const r = this.validateNew(input, d.regions.added);
      d.regions.added.set(r.id, { value: r, z: ++z });
      out.push(r);
    }
    this.commit(d, name);
    return out;
  }

  /**
   * Replace regions with fn(region). fn must return a new object (regions are immutable: undo
   * keeps the old ones), with the same id and kind, or null to leave it. Locked regions are skipped.
   */
  updateRegions(ids: Iterable<string>, fn: (r: Region) => Region | null, name = "update"): string[] {
    const d: EditorDiff = emptyDiff();
    for (const id of ids) {
      const slot = this.store.slot(id);
      if (!slot || slot.value.locked || d.regions.updated.has(id)) continue;
      const next = fn(slot.value);
      if (!next || next === slot.value) continue;
      if (next.id !== id || next.kind !== slot.value.kind) throw new EditorError("invalid-region", "an update must keep the region's id and kind");
      this.checkExtent(next);
      d.regions.updated.set(id, [slot, { value: next, z: slot.z }]);
    }
    this.commit(d, name);
    return [...d.regions.updated.keys()];
  }

  /** Delete regions (locked ones stay) and every relation to or from them. */
  deleteRegions(ids: Iterable<string>): string[] {
    const d: EditorDiff = emptyDiff();
    for (const id of ids) {
      const slot = this.store.slot(id);
      if (slot && !slot.value.locked) d.regions.removed.set(id, slot);
    }
    for (const [k, slot] of this.store.relationSlots()) {
      if (d.regions.removed.has(slot.value.from) || d.regions.removed.has(slot.value.to)) d.relations.removed.set(k, slot);
    }
    this.commit(d, "delete");
    return [...d.regions.removed.keys()];
  }

  /** Label regions (null unlabels). Regions whose kind the label does not allow are left alone. */
  setLabel(ids: Iterable<string>, label: string | null): string[] {
    if (label !== null && !this.rules.label(label)) throw new EditorError("unknown-label", `unknown label "${label}"`);
    return this.updateRegions(
      ids,
      (r) => {
        if (this.rules.refusal(r.kind, label)) return null;
        if (r.label === (label ?? undefined) && !r.labels) return null;
        const next: Region = { ...r };
        delete next.labels;
        if (label === null) delete next.label;
        else next.label = label;
        return next;
      },
      "label",
    );
  }

  /** Merge attributes into regions; an undefined value removes that attribute. */
  setAttributes(ids: Iterable<string>, attrs: Record<string, unknown>): string[] {
    return this.updateRegions(
      ids,
      (r) => {
        const merged: Record<string, unknown> = { ...r.attributes };
        for (const [k, v] of Object.entries(attrs)) {
          if (v === undefined) delete merged[k];
          else merged[k] = v;
        }
        const next: Region = { ...r, attributes: merged };
        if (Object.keys(merged).length === 0) delete next.attributes;
        return next;
      },
      "attributes",
    );
  }

  /** Hide all of ids, or show them all if they are all hidden already. */
  toggleHidden(ids: Iterable<string>): string[] {
    return this.toggleFlag([...ids], "hidden");
  }
  /** Lock all of ids, or unlock them all if they are all locked already. */
  toggleLocked(ids: Iterable<string>): string[] {
    return this.toggleFlag([...ids], "locked");
  }
  private toggleFlag(ids: string[], flag: "hidden" | "locked"): string[] {
    const slots = ids.flatMap((id) => this.store.slot(id) ?? []);
    const on = !slots.every((s) => s.value[flag]);
    const d: EditorDiff = emptyDiff();
    for (const s of slots) {
      if (!!s.value[flag] === on) continue;
      const next: Region = { ...s.value };
      if (on) next[flag] = true;
      else delete next[flag]; // absent rather than false keeps saved documents small
      d.regions.updated.set(next.id, [s, { value: next, z: s.z }]);
    }
    this.commit(d, flag === "hidden" ? (on ? "hide" : "show") : on ? "lock" : "unlock");
    return [...d.regions.updated.keys()];
  }

  /** Move the selection by (dx, dy) (arrow keys), stopping at the image edge; locked regions stay. */
  nudge(dx: number, dy: number): string[] {
    const movable = this.getSelectedRegions().filter((r) => !r.locked && utilOf(r.kind));
    const b = unionBounds(movable.map(regionBounds));
    if (!b) return [];
    const d = this.w > 0 && this.h > 0 ? constrainDelta(b, dx, dy, this.w, this.h) : { dx, dy };
    if (d.dx === 0 && d.dy === 0) return [];
    return this.updateRegions(
      movable.map((r) => r.id),
      (r) => utilOf(r.kind)!.translate(r, d.dx, d.dy),
      "nudge",
    );
  }

  /** Copy the selection (and relations among it); returns the clip, JSON-serialisable. */
  copy(): Clip | null {
    const regions = this.getSelectedRegions();
    if (regions.length === 0) return null;
    this.clip = makeClip(regions, this.getRelations());
    return this.clip;
  }

  /**
   * Paste a clip (default: the last copy) with new ids, offset by 10px and clipped to the image;
   * regions the schema refuses are skipped. The paste becomes the selection, and pasting again
   * offsets from the previous paste, cascading like most drawing tools.
   */
  paste(clip: Clip | null = this.clip): string[] {
    if (!clip) return [];
    const taken = new Set<string>();
    const pasted = pasteClip(clip, {
      newId: () => this.newId(taken),
      dx: PASTE_OFFSET,
      dy: PASTE_OFFSET,
      width: this.w || Infinity,
      height: this.h || Infinity,
    });
    const d: EditorDiff = emptyDiff();
    let z = this.store.topZ;
    for (const r of pasted.regions) {
      if (this.rules.regionRefusal(r)) continue;
      const p = regionSchemas[r.kind as RegionKindName]?.safeParse(r);
      if (p?.success) d.regions.added.set(r.id, { value: p.data as Region, z: ++z });
    }
    let rz = this.store.relTopZ;
    for (const rel of pasted.relations) {
      if (d.regions.added.has(rel.from) && d.regions.added.has(rel.to)) d.relations.added.set(relKey(rel), { value: rel, z: ++rz });
    }
    this.commit(d, "paste");
    const ids = [...d.regions.added.keys()];
    if (clip === this.clip && ids.length) this.clip = makeClip(ids.map((id) => d.regions.added.get(id)!.value), pasted.relations);
    this.select(ids);
    return ids;
  }

  bringToFront(ids: Iterable<string>): void {
    let z = this.store.topZ;
    this.restack(ids, () => ++z, "bring to front");
  }
  sendToBack(ids: Iterable<string>): void {
    let z = this.store.minZ();
    this.restack([...ids].reverse(), () => --z, "send to back");
  }
  private restack(ids: Iterable<string>, nextZ: () => number, name: string): void {
    const d: EditorDiff = emptyDiff();
    for (const id of ids) {
      const s = this.store.slot(id);
      if (s) d.regions.updated.set(id, [s, { value: s.value, z: nextZ() }]);
    }
    this.commit(d, name);
  }

  /** Relate two regions; false if that exact relation exists already. */
  addRelation(from: string, to: string, label?: string): boolean {
    if (!this.store.has(from) || !this.store.has(to) || from === to) {
      throw new EditorError("invalid-relation", "a relation needs two different existing regions");
    }
    const rel: Relation = label === undefined ? { from, to } : { from, to, label };
    const k = relKey(rel);
    if (this.store.relationSlot(k)) return false;
    const d: EditorDiff = emptyDiff();
    d.relations.added.set(k, { value: rel, z: this.store.relTopZ + 1 });
    this.commit(d, "relate");
    return true;
  }
  removeRelation(from: string, to: string, label?: string): boolean {
    const k = relKey({ from, to, label });
    const slot = this.store.relationSlot(k);
    if (!slot) return false;
    const d: EditorDiff = emptyDiff();
    d.relations.removed.set(k, slot);
    this.commit(d, "unrelate");
    return true;
  }

  /** Set a document-level classification; an empty list clears it. Throws for unknown names/choices. */
  setClassification(name: string, values: readonly string[]): void {
    const uniq = [...new Set(values)];
    const err = this.rules.checkClassification(name, uniq);
    if (err) throw err;
    const before = this.store.classification(name);
    const after = uniq.length ? uniq : undefined;
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    const d: EditorDiff = emptyDiff();
    d.classifications.set(name, [before, after]);
    this.commit(d, "classify");
  }
  /** Click on a choice: toggles it for multiple-choice, else selects it (or clears it if selected). */
  toggleChoice(name: string, choice: string): void {
    const cur = this.store.classification(name) ?? [];
    const has = cur.includes(choice);
    if (this.rules.isMultiple(name)) this.setClassification(name, has ? cur.filter((c) => c !== choice) : [...cur, choice]);
    else this.setClassification(name, has ? [] : [choice]);
  }

}

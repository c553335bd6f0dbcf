// Copy/paste as pure functions over plain regions, so the clipboard can also travel as JSON
// (the UI may put a Clip on the system clipboard and paste it into another task).
import type { AnnotationDocument } from "./document";
import type { Region } from "./regions";
import { utilOf } from "./selection";

export type Relation = AnnotationDocument["relations"][number];

export interface Clip {
  regions: Region[];
  /** Only relations whose both ends were copied. */
  relations: Relation[];
}

export function makeClip(regions: readonly Region[], relations: readonly Relation[]): Clip {
  const ids = new Set(regions.map((r) => r.id));
  return {
    // Deep copies: the clip must not share arrays with live regions (or with the next paste).
    regions: structuredClone([...regions]),
    relations: relations.filter((r) => ids.has(r.from) && ids.has(r.to)).map((r) => ({ ...r })),
  };
}

export interface PasteOptions {
  newId: () => string;
  dx: number;
  dy: number;
  width: number;
  height: number;
}

/**
 * The regions a paste creates: fresh ids, moved by (dx, dy), clipped to the image. A pasted copy
 * is the annotator's own work, so it is "manual" and loses model/score, and it arrives visible and
 * unlocked. Regions clipped away entirely are dropped, and so are relations to them.
 */
export function pasteClip(clip: Clip, o: PasteOptions): Clip {
  const idMap = new Map<string, string>();
  const regions: Region[] = [];
  for (const src of clip.regions) {
    const util = utilOf(src.kind);
    let r: Region | null = structuredClone(src);
    if (util) {
      r = util.translate(r, o.dx, o.dy);
      r = util.clip(r, o.width, o.height);
    }
    if (!r) continue;
    const id = o.newId();
    idMap.set(src.id, id);
    const copy: Region = { ...r, id, origin: "manual" };
    delete copy.model;
    delete copy.score;
    delete copy.hidden;
    delete copy.locked;
    regions.push(copy);
  }
  const relations: Relation[] = [];
  for (const rel of clip.relations) {
    const from = idMap.get(rel.from);
    const to = idMap.get(rel.to);
    if (from && to) relations.push({ ...rel, from, to });
  }
  return { regions, relations };
}

// Checking span regions against the text they point into, the same way in the editor and on the
// server: offsets are code points, end <= text length, and a `text` field, when present, must
// equal text[start:end] (a mismatch almost always means UTF-16 offsets were sent).
import type { TextIndex } from "./offsets";

export interface SpanLike {
  kind: string;
  start: number;
  end: number;
  text?: string;
}

/** The first problem with spans (path relative to the document), or null. */
export function checkSpans(regions: ReadonlyArray<{ kind: string }>, index: TextIndex): { path: string; message: string } | null {
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]! as SpanLike;
    if (r.kind !== "span") continue;
    if (r.start > index.length) return { path: `regions.${i}.start`, message: `start ${r.start} is past the end of the text (${index.length} code points)` };
    if (r.end > index.length) return { path: `regions.${i}.end`, message: `end ${r.end} is past the end of the text (${index.length} code points)` };
    if (r.end <= r.start) return { path: `regions.${i}.end`, message: "end must be after start" };
    if (r.text !== undefined && r.text !== index.slice(r.start, r.end)) {
      return { path: `regions.${i}.text`, message: `does not match the text at [${r.start}, ${r.end}) (offsets are Unicode code points)` };
    }
  }
  return null;
}

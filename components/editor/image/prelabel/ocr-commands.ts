// Pure commands for OCR suggestions in the image editor (no React): which labels can hold the
// polygons, and accept / reject, each one undo step. Accepted suggestions become the annotator's
// own regions (origin "manual", no model or score), as in the text editor.
import type { Editor } from "@/lib/annotation/editor";
import type { Region } from "@/lib/annotation/regions";
import { acceptPredictions } from "@/lib/annotation/text/commands";

/** Labels this project lets hold a polygon, text-like names first. */
export function polygonLabels(editor: Editor): string[] {
  const names = editor.rules.config.labels.filter((l) => editor.canCreate("polygon", l.name)).map((l) => l.name);
  const texty = (n: string) => /text|word|line|ocr/i.test(n);
  return [...names.filter(texty), ...names.filter((n) => !texty(n))];
}

export function isPrediction(r: Region): boolean {
  return r.origin === "prediction";
}

// ---- accept / reject (each one undo step) ------------------------------------------------------

const predIds = (editor: Editor, filter: (r: Region) => boolean = () => true) =>
  editor.getRegions().filter((r) => isPrediction(r) && filter(r)).map((r) => r.id);

export function acceptSelected(editor: Editor): number {
  const ids = predIds(editor, (r) => editor.selectedIds.has(r.id));
  return ids.length ? acceptPredictions(editor, ids).length : 0;
}

export function rejectSelected(editor: Editor): number {
  const ids = predIds(editor, (r) => editor.selectedIds.has(r.id));
  return ids.length ? editor.deleteRegions(ids).length : 0;
}

export function acceptAbove(editor: Editor, threshold: number): number {
  const ids = predIds(editor, (r) => (r.score ?? 0) >= threshold);
  return ids.length ? acceptPredictions(editor, ids).length : 0;
}

export function rejectAll(editor: Editor): number {
  const ids = predIds(editor);
  return ids.length ? editor.deleteRegions(ids).length : 0;
}

// Speech predictions in the audio editor: add a VAD run's segments as predictions (replacing an
// earlier run of the same model), accept / reject them by selection or by score. Each command is
// one undo step. Accepted predictions become the annotator's own (origin manual, no model/score).
import type { Editor } from "../editor";
import type { Region } from "../regions";
import type { SegmentRegion } from "../regions/segment";
import { acceptPredictions } from "../text/commands";

export const VAD_MODEL = "silero-vad-v5";

export interface SpeechInput {
  start: number;
  end: number;
  score: number;
}

const isPrediction = (r: Region): r is SegmentRegion => r.kind === "segment" && r.origin === "prediction";

export function segmentPredictions(editor: Editor): SegmentRegion[] {
  return editor.getRegions().filter(isPrediction);
}

/** The label VAD segments get: the active label if segments may use it, else the first one that may. */
export function speechLabel(editor: Editor, labels: readonly string[]): string | null {
  const cur = editor.currentLabel;
  if (cur && editor.canCreate("segment", cur)) return cur;
  const speech = labels.find((l) => /speech|voice|utterance/i.test(l) && editor.canCreate("segment", l));
  return speech ?? labels.find((l) => editor.canCreate("segment", l)) ?? null;
}

/**
 * Add the segments as predictions of `model`, one undo step; predictions of the same model from
 * an earlier run are replaced. Segments are clamped to [0, duration] when a duration is known.
 */
export function addSpeechPredictions(editor: Editor, segments: readonly SpeechInput[], o: { label: string; model?: string; duration?: number }): SegmentRegion[] {
  const model = o.model ?? VAD_MODEL;
  const max = o.duration && o.duration > 0 ? o.duration : Infinity;
  const inputs = segments
    .map((s) => ({ start: Math.max(0, s.start), end: Math.min(max, s.end), score: Math.min(1, Math.max(0, s.score)) }))
    .filter((s) => s.end > s.start)
    .map((s) => ({
      kind: "segment" as const,
      label: o.label,
      start: Math.round(s.start * 1000) / 1000,
      end: Math.round(s.end * 1000) / 1000,
      origin: "prediction" as const,
      model,
      score: Math.round(s.score * 1000) / 1000,
    }));
  const old = segmentPredictions(editor).filter((r) => r.model === model).map((r) => r.id);
  if (!old.length) return inputs.length ? (editor.createRegions(inputs, "pre-label") as SegmentRegion[]) : [];
  editor.beginInteraction("pre-label");
  try {
    editor.deleteRegions(old);
    return inputs.length ? (editor.createRegions(inputs, "pre-label") as SegmentRegion[]) : [];
  } finally {
    editor.endInteraction();
  }
}

export function acceptSelected(editor: Editor): string[] {
  return acceptPredictions(editor, [...editor.selectedIds]);
}

export function rejectSelected(editor: Editor): string[] {
  const ids = [...editor.selectedIds].filter((id) => {
    const r = editor.getRegion(id);
    return r && isPrediction(r);
  });
  return ids.length ? editor.deleteRegions(ids) : [];
}

/** Accept every prediction whose score is >= min (no score counts as 0). */
export function acceptAbove(editor: Editor, min: number): string[] {
  return acceptPredictions(editor, segmentPredictions(editor).filter((r) => (r.score ?? 0) >= min).map((r) => r.id));
}

export function rejectAll(editor: Editor): string[] {
  const ids = segmentPredictions(editor).map((r) => r.id);
  return ids.length ? editor.deleteRegions(ids) : [];
}

// Pipeline results -> regions of the native annotation document, marked as predictions
// (`origin: "prediction"`, `model`, `score`), ready for POST /api/v1/tasks/:id/predictions.
// Pure; the editors decide labels and ids.
import type { PolygonRegion } from "../annotation/regions/polygon";
import type { SegmentRegion } from "../annotation/regions/segment";
import type { SpeechSegment } from "./silero-vad/segmenter";
import type { OcrLine } from "./ppocr/ocr";
import type { SamResult } from "./sam/sam";

export interface PredictionOptions {
  label: string;
  /** Model id (and version), e.g. "silero-vad-v5@0.0.31". */
  model: string;
  /** Region ids; default `${model}-${i}`. */
  id?: (i: number) => string;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function speechToSegments(segments: readonly SpeechSegment[], o: PredictionOptions): SegmentRegion[] {
  return segments
    .filter((s) => s.end > s.start)
    .map((s, i) => ({ id: o.id?.(i) ?? `${o.model}-${i}`, kind: "segment", label: o.label, start: round(s.start), end: round(s.end), origin: "prediction", model: o.model, score: clamp01(s.score) }));
}

/** One polygon (the detected quad) per line; the text goes in `attributes.text`. */
export function ocrToPolygons(lines: readonly OcrLine[], o: PredictionOptions): PolygonRegion[] {
  return lines.map((l, i) => ({
    id: o.id?.(i) ?? `${o.model}-${i}`,
    kind: "polygon",
    label: o.label,
    points: l.points.map(([x, y]) => [x, y] as [number, number]),
    attributes: { text: l.text, textConfidence: l.confidence, boxScore: l.score },
    origin: "prediction",
    model: o.model,
    // Both stages must be right for the region to be right.
    score: round(clamp01(l.score * l.confidence)),
  }));
}

/** The mask's largest component as a polygon, or null when the mask is empty. */
export function maskToPolygon(res: SamResult, o: PredictionOptions): PolygonRegion | null {
  const p = res.polygons[0];
  if (!p || p.points.length < 3) return null;
  return { id: o.id?.(0) ?? `${o.model}-0`, kind: "polygon", label: o.label, points: p.points.map(([x, y]) => [x, y] as [number, number]), origin: "prediction", model: o.model, score: clamp01(res.score) };
}

// BYOM results -> regions of the native document marked as predictions (origin "prediction",
// model = modelTag(model, version), score), through the project's LabelMap: model label ->
// project label; a model label mapped to null or absent from the map is dropped. Pure.
import type { RectRegion } from "../../annotation/regions/rect";
import type { PolygonRegion } from "../../annotation/regions/polygon";
import type { z } from "zod";
import type { spanRegion } from "../../annotation/regions/span";
import type { LabelMap } from "./descriptor";
import type { Detection } from "./boxes";
import type { SegDetection } from "./yolov8-seg";
import type { ClassScore } from "./probs";
import type { EntitySpan } from "./ner";

export type SpanRegion = z.output<typeof spanRegion>;

export interface ByomRegionOptions {
  /** modelTag(model, version), e.g. "helmets@3". */
  model: string;
  /** Region ids; default `${model}-${i}`. */
  id?: (i: number) => string;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** The project label for a model label, or null (drop). Own keys only ("constructor" is not a label). */
export function mapLabel(map: LabelMap, modelLabel: string): string | null {
  return Object.prototype.hasOwnProperty.call(map, modelLabel) ? (map[modelLabel] ?? null) : null;
}

/**
 * NER: the map may name the entity type ("PER") or a tag ("B-PER"/"I-PER"); the type wins.
 */
export function mapEntityLabel(map: LabelMap, type: string): string | null {
  for (const k of [type, `B-${type}`, `I-${type}`]) if (Object.prototype.hasOwnProperty.call(map, k)) return map[k] ?? null;
  return null;
}

export function detectionsToRects(dets: readonly Detection[], labels: readonly string[], map: LabelMap, o: ByomRegionOptions): RectRegion[] {
  const out: RectRegion[] = [];
  for (const d of dets) {
    const modelLabel = labels[d.cls];
    const label = modelLabel === undefined ? null : mapLabel(map, modelLabel);
    if (!label) continue;
    const x = round(d.x1), y = round(d.y1);
    const width = round(d.x2) - x, height = round(d.y2) - y;
    if (!(width > 0 && height > 0)) continue;
    const i = out.length;
    out.push({ id: o.id?.(i) ?? `${o.model}-${i}`, kind: "rect", label, x, y, width: round(width), height: round(height), rotation: 0, attributes: { modelLabel }, origin: "prediction", model: o.model, score: round(clamp01(d.score), 4) });
  }
  return out;
}

export function segmentsToPolygons(dets: readonly SegDetection[], labels: readonly string[], map: LabelMap, o: ByomRegionOptions): PolygonRegion[] {
  const out: PolygonRegion[] = [];
  for (const d of dets) {
    const modelLabel = labels[d.cls];
    const label = modelLabel === undefined ? null : mapLabel(map, modelLabel);
    if (!label || d.points.length < 3) continue;
    const i = out.length;
    out.push({ id: o.id?.(i) ?? `${o.model}-${i}`, kind: "polygon", label, points: d.points.map(([x, y]) => [round(x), round(y)] as [number, number]), attributes: { modelLabel }, origin: "prediction", model: o.model, score: round(clamp01(d.score), 4) });
  }
  return out;
}

export function entitiesToSpans(spans: readonly EntitySpan[], map: LabelMap, o: ByomRegionOptions): SpanRegion[] {
  const out: SpanRegion[] = [];
  for (const s of spans) {
    const label = mapEntityLabel(map, s.label);
    if (!label || !(s.end > s.start)) continue;
    const i = out.length;
    out.push({ id: o.id?.(i) ?? `${o.model}-${i}`, kind: "span", label, start: s.start, end: s.end, text: s.text, attributes: { modelLabel: s.label }, origin: "prediction", model: o.model, score: round(clamp01(s.score), 4) });
  }
  return out;
}

/** An image classification's answer after the label map. */
export type ClassificationPrediction =
  /** Target "classificationName:choice": a document classification. */
  | { kind: "classification"; name: string; choice: string; score: number; modelLabel: string; model: string }
  /** Target without a colon: a project label (the editor decides what to do with a whole-image label). */
  | { kind: "label"; label: string; score: number; modelLabel: string; model: string };

/**
 * The best-scoring class whose mapping is not dropped, at or above `minScore`; null when none.
 * (A class mapped to null is skipped, so the next best mapped class can win.)
 */
export function classToPrediction(scores: readonly ClassScore[], labels: readonly string[], map: LabelMap, o: { model: string; minScore?: number }): ClassificationPrediction | null {
  for (const s of scores) {
    if (s.score < (o.minScore ?? 0)) break;
    const modelLabel = labels[s.cls];
    const target = modelLabel === undefined ? null : mapLabel(map, modelLabel);
    if (!target || modelLabel === undefined) continue;
    const score = round(clamp01(s.score), 4);
    const colon = target.indexOf(":");
    if (colon > 0 && colon < target.length - 1) return { kind: "classification", name: target.slice(0, colon), choice: target.slice(colon + 1), score, modelLabel, model: o.model };
    return { kind: "label", label: target, score, modelLabel, model: o.model };
  }
  return null;
}

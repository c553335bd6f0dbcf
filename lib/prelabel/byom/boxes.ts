// Detections shared by the YOLO decoders: class-aware NMS, top-k, and the mapping from model
// input pixels back to natural-image pixels (undo the letterbox, clip to the image). Pure.
import { PrelabelModelError } from "../tensor";
import { toNatural, type InputTransform } from "./preprocess";

/** A box in x1, y1, x2, y2 (model input pixels until `toNaturalBoxes`, then natural pixels). */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  /** Class index into the descriptor's labels. */
  cls: number;
  /** Index of the candidate in the model output (the seg decoder reads its mask coefficients). */
  index: number;
}

export interface DetectThresholds {
  conf: number;
  iou: number;
  maxDet: number;
}

export function iou(a: Detection, b: Detection): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy NMS, class-aware (a box only suppresses boxes of its own class), best score first,
 * at most `maxDet` kept. Ties keep the earlier candidate (stable sort).
 */
export function nms(cands: readonly Detection[], iouThreshold: number, maxDet: number): Detection[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const keptByClass = new Map<number, Detection[]>();
  const out: Detection[] = [];
  for (const d of sorted) {
    if (out.length >= maxDet) break;
    const same = keptByClass.get(d.cls);
    if (same && same.some((k) => iou(k, d) > iouThreshold)) continue;
    out.push(d);
    if (same) same.push(d);
    else keptByClass.set(d.cls, [d]);
  }
  return out;
}

/** Input pixels -> natural-image pixels, clipped to the image; boxes left empty are dropped. */
export function toNaturalBoxes(dets: readonly Detection[], t: InputTransform): Detection[] {
  const out: Detection[] = [];
  for (const d of dets) {
    const [a, b] = toNatural(t, d.x1, d.y1);
    const [c, e] = toNatural(t, d.x2, d.y2);
    const x1 = clip(Math.min(a, c), t.width), x2 = clip(Math.max(a, c), t.width);
    const y1 = clip(Math.min(b, e), t.height), y2 = clip(Math.max(b, e), t.height);
    if (x2 - x1 <= 0 || y2 - y1 <= 0) continue;
    out.push({ ...d, x1, y1, x2, y2 });
  }
  return out;
}

const clip = (v: number, max: number) => (v < 0 ? 0 : v > max ? max : v);

export function checkRank3(dims: readonly number[], name: string): void {
  if (dims.length !== 3 || dims[0] !== 1) throw new PrelabelModelError(`model output "${name}" has dims [${dims.join(", ")}], expected [1, a, b]`);
}

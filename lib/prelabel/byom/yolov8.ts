// Ultralytics YOLOv8 / YOLO11 detection output: [1, 4+nc, N] (cx, cy, w, h, class scores, no
// objectness), N candidates (8400 at 640²). Also accepts the transposed [1, N, 4+nc] some exports
// give. Threshold, class-aware NMS, maxDet. Boxes stay in model input pixels. Pure.
import { PrelabelModelError } from "../tensor";
import { checkRank3, nms, type DetectThresholds, type Detection } from "./boxes";

/** Row/column access to a [1, C, N] tensor or its transpose [1, N, C]. */
export interface Candidates {
  /** Candidates. */
  n: number;
  /** Values per candidate. */
  c: number;
  at(cand: number, k: number): number;
}

export function candidates(data: Float32Array, dims: readonly number[], name: string, valuesPerCandidate: number): Candidates {
  checkRank3(dims, name);
  const [, a, b] = dims as [number, number, number];
  if (a === valuesPerCandidate) return { n: b, c: a, at: (i, k) => data[k * b + i]! }; // [1, C, N]
  if (b === valuesPerCandidate) return { n: a, c: b, at: (i, k) => data[i * b + k]! }; // [1, N, C]
  throw new PrelabelModelError(`model output "${name}" has dims [${dims.join(", ")}]: neither axis is ${valuesPerCandidate} (4 box values + ${valuesPerCandidate - 4} class scores for the descriptor's labels)`);
}

/** Best class per candidate over score columns [from, from + nc); keeps those >= conf. */
export function decodeV8Candidates(t: Candidates, nc: number, conf: number): Detection[] {
  const out: Detection[] = [];
  for (let i = 0; i < t.n; i++) {
    let best = -1, score = -Infinity;
    for (let k = 0; k < nc; k++) {
      const s = t.at(i, 4 + k);
      if (s > score) { score = s; best = k; }
    }
    if (!(score >= conf)) continue;
    const cx = t.at(i, 0), cy = t.at(i, 1), w = t.at(i, 2), h = t.at(i, 3);
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best, index: i });
  }
  return out;
}

export function decodeYolov8(data: Float32Array, dims: readonly number[], nc: number, th: DetectThresholds, name = "output0"): Detection[] {
  const t = candidates(data, dims, name, 4 + nc);
  return nms(decodeV8Candidates(t, nc, th.conf), th.iou, th.maxDet);
}

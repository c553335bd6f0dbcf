// YOLOv5 detection output: [1, N, 5+nc] (cx, cy, w, h, objectness, class scores); the score is
// objectness × class score (as yolov5's non_max_suppression). Class-aware NMS, maxDet. Pure.
import { PrelabelModelError } from "../tensor";
import { checkRank3, nms, type DetectThresholds, type Detection } from "./boxes";

export function decodeYolov5(data: Float32Array, dims: readonly number[], nc: number, th: DetectThresholds, name = "output0"): Detection[] {
  checkRank3(dims, name);
  const [, n, c] = dims as [number, number, number];
  if (c !== 5 + nc) throw new PrelabelModelError(`model output "${name}" has dims [${dims.join(", ")}], expected [1, N, ${5 + nc}] (4 box values, objectness, ${nc} class scores)`);
  const out: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const obj = data[o + 4]!;
    if (!(obj >= th.conf)) continue; // score <= obj, so nothing below can pass
    let best = -1, score = -Infinity;
    for (let k = 0; k < nc; k++) {
      const s = data[o + 5 + k]! * obj;
      if (s > score) { score = s; best = k; }
    }
    if (!(score >= th.conf)) continue;
    const cx = data[o]!, cy = data[o + 1]!, w = data[o + 2]!, h = data[o + 3]!;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, cls: best, index: i });
  }
  return nms(out, th.iou, th.maxDet);
}

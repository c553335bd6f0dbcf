// End-to-end detection output (NMS inside the model: Ultralytics `nms=True`, YOLOv10, YOLO26):
// [1, N, 6] rows of x1, y1, x2, y2, score, class. Only threshold + maxDet here (no second NMS).
// Pure.
import { PrelabelModelError } from "../tensor";
import { checkRank3, type DetectThresholds, type Detection } from "./boxes";

export function decodeYoloE2E(data: Float32Array, dims: readonly number[], nc: number, th: Pick<DetectThresholds, "conf" | "maxDet">, name = "output0"): Detection[] {
  checkRank3(dims, name);
  const [, n, c] = dims as [number, number, number];
  if (c !== 6) throw new PrelabelModelError(`model output "${name}" has dims [${dims.join(", ")}], expected [1, N, 6] (x1, y1, x2, y2, score, class)`);
  const out: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * 6;
    const score = data[o + 4]!;
    if (!(score >= th.conf)) continue;
    const cls = Math.round(data[o + 5]!);
    if (cls < 0 || cls >= nc) throw new PrelabelModelError(`model output "${name}" row ${i} has class ${data[o + 5]} but the descriptor lists ${nc} labels`);
    out.push({ x1: data[o]!, y1: data[o + 1]!, x2: data[o + 2]!, y2: data[o + 3]!, score, cls, index: i });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, th.maxDet);
}

// Ultralytics YOLOv8/11 segmentation: output0 [1, 4+nc+nm, N] (box, class scores, nm mask
// coefficients; nm = 32) + prototypes [1, nm, mh, mw]. Boxes as yolov8.ts; for each kept box the
// mask is sigmoid(coeffs · protos), upsampled (bilinear) to model input pixels, cropped to the
// box, thresholded, then traced into a polygon (lib/prelabel/sam/mask.ts) and mapped to natural
// pixels. Pure.
import { PrelabelModelError } from "../tensor";
import type { XY } from "../geometry/hull";
import { maskToPolygons } from "../sam/mask";
import { nms, toNaturalBoxes, type DetectThresholds, type Detection } from "./boxes";
import { toNatural, type InputTransform } from "./preprocess";
import { candidates, decodeV8Candidates } from "./yolov8";

export interface SegDetection extends Detection {
  /** Natural-image pixels, clipped to the image; the mask's largest component. */
  points: XY[];
}

export interface SegOptions extends DetectThresholds {
  /** Mask probability threshold (after sigmoid). */
  mask: number;
  /** Douglas-Peucker tolerance in model input pixels. */
  tolerance?: number;
  /** Components smaller than this (model input pixels) are ignored. */
  minArea?: number;
}

export function decodeYolov8Seg(
  out0: { data: Float32Array; dims: readonly number[] },
  protos: { data: Float32Array; dims: readonly number[] },
  nc: number,
  t: InputTransform,
  o: SegOptions,
  names: readonly [string, string] = ["output0", "output1"],
): SegDetection[] {
  if (protos.dims.length !== 4 || protos.dims[0] !== 1) throw new PrelabelModelError(`model output "${names[1]}" has dims [${protos.dims.join(", ")}], expected prototypes [1, nm, mh, mw]`);
  const [, nm, mh, mw] = protos.dims as [number, number, number, number];
  const cands = candidates(out0.data, out0.dims, names[0], 4 + nc + nm);
  const kept = nms(decodeV8Candidates(cands, nc, o.conf), o.iou, o.maxDet);
  const thr = o.mask <= 0 ? -Infinity : o.mask >= 1 ? Infinity : Math.log(o.mask / (1 - o.mask)); // sigmoid(v) > m  <=>  v > logit(m)
  // The part of the input that holds the image (not the letterbox padding).
  const cx0 = Math.max(0, Math.floor(t.dx)), cy0 = Math.max(0, Math.floor(t.dy));
  const cx1 = Math.min(t.inputWidth, Math.ceil(t.dx + t.width * t.sx)), cy1 = Math.min(t.inputHeight, Math.ceil(t.dy + t.height * t.sy));
  const fx = mw / t.inputWidth, fy = mh / t.inputHeight; // input pixel -> proto pixel
  const plane = mh * mw;
  const out: SegDetection[] = [];
  for (const d of kept) {
    // Mask pixels (input space) covered by the box, inside the image area.
    const bx0 = Math.max(cx0, Math.floor(d.x1)), by0 = Math.max(cy0, Math.floor(d.y1));
    const bx1 = Math.min(cx1, Math.ceil(d.x2)), by1 = Math.min(cy1, Math.ceil(d.y2));
    const bw = bx1 - bx0, bh = by1 - by0;
    if (bw <= 0 || bh <= 0) continue;
    // Logits at prototype resolution over the box's proto-space window (one pixel of margin for bilinear).
    const px0 = Math.max(0, Math.floor((bx0 + 0.5) * fx - 0.5)), py0 = Math.max(0, Math.floor((by0 + 0.5) * fy - 0.5));
    const px1 = Math.min(mw - 1, Math.ceil((bx1 - 0.5) * fx - 0.5) + 1), py1 = Math.min(mh - 1, Math.ceil((by1 - 0.5) * fy - 0.5) + 1);
    const lw = px1 - px0 + 1, lh = py1 - py0 + 1;
    const logits = new Float32Array(lw * lh);
    for (let k = 0; k < nm; k++) {
      const c = cands.at(d.index, 4 + nc + k);
      if (c === 0) continue;
      const base = k * plane;
      for (let y = 0; y < lh; y++) {
        const row = base + (py0 + y) * mw + px0;
        for (let x = 0; x < lw; x++) logits[y * lw + x] = logits[y * lw + x]! + c * protos.data[row + x]!;
      }
    }
    const mask = new Uint8Array(bw * bh);
    for (let y = 0; y < bh; y++) {
      const sy = Math.min(mh - 1, Math.max(0, (by0 + y + 0.5) * fy - 0.5)) - py0;
      const y0 = Math.min(lh - 1, Math.max(0, Math.floor(sy)));
      const y1 = Math.min(lh - 1, y0 + 1);
      const wy = sy - y0;
      // Cropped to the box: rows/columns whose centre is outside the box stay 0.
      const cyc = by0 + y + 0.5;
      if (cyc < d.y1 || cyc > d.y2) continue;
      for (let x = 0; x < bw; x++) {
        const cxc = bx0 + x + 0.5;
        if (cxc < d.x1 || cxc > d.x2) continue;
        const sx = Math.min(mw - 1, Math.max(0, (bx0 + x + 0.5) * fx - 0.5)) - px0;
        const x0 = Math.min(lw - 1, Math.max(0, Math.floor(sx)));
        const x1 = Math.min(lw - 1, x0 + 1);
        const wx = sx - x0;
        const top = logits[y0 * lw + x0]! + (logits[y0 * lw + x1]! - logits[y0 * lw + x0]!) * wx;
        const bot = logits[y1 * lw + x0]! + (logits[y1 * lw + x1]! - logits[y1 * lw + x0]!) * wx;
        if (top + (bot - top) * wy > thr) mask[y * bw + x] = 1;
      }
    }
    const polys = maskToPolygons(mask, bw, bh, { tolerance: o.tolerance ?? 1, minArea: o.minArea ?? 4 });
    const best = polys[0];
    if (!best) continue;
    const [nat] = toNaturalBoxes([d], t);
    if (!nat) continue;
    const points = best.points.map(([x, y]) => {
      const [nx, ny] = toNatural(t, x + bx0, y + by0);
      return [Math.min(t.width, Math.max(0, nx)), Math.min(t.height, Math.max(0, ny))] as XY;
    });
    out.push({ ...nat, points });
  }
  return out;
}

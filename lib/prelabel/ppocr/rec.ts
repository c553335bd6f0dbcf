// PP-OCRv4 recognition: crop a detected quad upright (warping rotated ones) at height 48,
// normalise ((v/255 - 0.5) / 0.5, BGR), and CTC greedy decoding with ppocr_keys_v1.txt. Pure.
import type { XY } from "../geometry/hull";
import { warpCrop, type RgbaImage } from "../image";

export const REC_HEIGHT = 48;
/** PaddleOCR pads every line to at least 320 px wide (its training shape 3x48x320). */
export const REC_MIN_WIDTH = 320;
export const REC_MAX_WIDTH = 3200;

export interface RecInput {
  data: Float32Array;
  dims: [1, 3, number, number];
}

/** The quad's pixels, upright. Quads much taller than wide are vertical text: turned 90° CCW. */
export function cropQuad(img: RgbaImage, q: readonly [XY, XY, XY, XY], outHeight = REC_HEIGHT): RgbaImage {
  const [tl, tr, br, bl] = q;
  const dist = (a: XY, b: XY) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const w = Math.max(dist(tl, tr), dist(bl, br), 1);
  const h = Math.max(dist(tl, bl), dist(tr, br), 1);
  const vertical = h / w >= 1.5;
  // Upright orientation: origin, direction of the crop's x, direction of its y.
  const [o, xEnd, yEnd, cw, ch] = vertical ? [tr, br, tl, h, w] : [tl, tr, bl, w, h];
  const outW = Math.min(REC_MAX_WIDTH, Math.max(1, Math.ceil((outHeight * cw) / ch)));
  const u: XY = [(xEnd[0] - o[0]) / outW, (xEnd[1] - o[1]) / outW];
  const v: XY = [(yEnd[0] - o[0]) / outHeight, (yEnd[1] - o[1]) / outHeight];
  return warpCrop(img, o, u, v, outW, outHeight);
}

/** An upright crop of height 48 -> [1, 3, 48, max(320, width)] (right-padded with 0 = mid grey). */
export function recPreprocess(crop: RgbaImage): RecInput {
  const W = Math.max(REC_MIN_WIDTH, crop.width);
  const H = crop.height;
  const out = new Float32Array(3 * H * W);
  const plane = H * W;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < crop.width; x++) {
      const i = (y * crop.width + x) * 4;
      const o = y * W + x;
      out[o] = crop.data[i + 2]! / 127.5 - 1; // B
      out[plane + o] = crop.data[i + 1]! / 127.5 - 1; // G
      out[2 * plane + o] = crop.data[i]! / 127.5 - 1; // R
    }
  }
  return { data: out, dims: [1, 3, H, W] };
}

/** ppocr_keys_v1.txt -> the class table: index 0 is the CTC blank, the last class is a space. */
export function parseKeys(text: string): string[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines.at(-1) === "") lines.pop();
  return ["", ...lines, " "];
}

export interface Decoded {
  text: string;
  /** Mean probability of the kept characters (0 when nothing was read). */
  confidence: number;
}

/**
 * CTC greedy decoding of probs [T, C] (softmax already applied): argmax per step, merge repeats,
 * drop blanks (class 0). `classes` comes from parseKeys and must have C entries.
 */
export function ctcDecode(probs: Float32Array, steps: number, classes: readonly string[]): Decoded {
  const C = classes.length;
  if (probs.length !== steps * C) throw new RangeError(`CTC input has ${probs.length} values, expected ${steps} x ${C} classes (does the dictionary match the model?)`);
  let text = "";
  let sum = 0, n = 0;
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0, bestP = -Infinity;
    const o = t * C;
    for (let c = 0; c < C; c++) {
      const p = probs[o + c]!;
      if (p > bestP) { bestP = p; best = c; }
    }
    if (best !== 0 && best !== prev) {
      text += classes[best]!;
      sum += bestP;
      n++;
    }
    prev = best;
  }
  return { text, confidence: n ? Math.round((sum / n) * 1e4) / 1e4 : 0 };
}

// PP-OCRv4 text detection: preprocessing (resize to multiples of 32, BGR, ImageNet mean/std) and
// DB post-processing (binarise, components, min-area rect, box score, unclip) -> quads in the
// original image's pixels. Pure.
import { connectedComponents } from "../geometry/components";
import { expandRect, minAreaRect, polygonArea, polygonPerimeter, type XY } from "../geometry/hull";
import { imageToTensor, type RgbaImage } from "../image";

export interface DetSettings {
  /** Longest side of the model input (multiples of 32); larger images are scaled down. */
  limitSide: number;
  /** Images whose longest side is below this are scaled up first (small scans read better). */
  minSide: number;
  binaryThreshold: number;
  boxThreshold: number;
  unclipRatio: number;
  /** Boxes whose short side (model pixels) is below this are dropped. */
  minSize: number;
  maxCandidates: number;
  /**
   * "fast": mean probability inside the min-area rectangle (PaddleOCR's default); "slow": inside
   * the region itself (PaddleOCR's score_mode "slow"), which keeps curved or skewed lines of a
   * photographed page whose rectangle is half background. Default "slow".
   */
  scoreMode: "fast" | "slow";
}

export const DEFAULT_DET_SETTINGS: DetSettings = {
  limitSide: 960,
  minSide: 0,
  binaryThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSize: 3,
  maxCandidates: 1000,
  scoreMode: "slow",
};

export interface DetInput {
  data: Float32Array;
  dims: [1, 3, number, number];
  /** Model-input size; the original is the image's. */
  width: number;
  height: number;
}

/** Model input size: the image scaled so its longest side is <= limitSide, rounded to 32s. */
export function detInputSize(width: number, height: number, s: Pick<DetSettings, "limitSide" | "minSide"> = DEFAULT_DET_SETTINGS): { width: number; height: number } {
  const long = Math.max(width, height);
  let ratio = 1;
  if (long > s.limitSide) ratio = s.limitSide / long;
  else if (s.minSide > 0 && long < s.minSide) ratio = Math.min(s.minSide, s.limitSide) / long;
  const r32 = (v: number) => Math.max(32, Math.round((v * ratio) / 32) * 32);
  return { width: r32(width), height: r32(height) };
}

export function detPreprocess(img: RgbaImage, settings: Partial<DetSettings> = {}): DetInput {
  const s = { ...DEFAULT_DET_SETTINGS, ...settings };
  const { width, height } = detInputSize(img.width, img.height, s);
  const data = imageToTensor(img, { width, height, order: "BGR", scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  return { data, dims: [1, 3, height, width], width, height };
}

export interface TextBox {
  /** top-left, top-right, bottom-right, bottom-left in original-image pixels. */
  points: [XY, XY, XY, XY];
  /** Mean text probability inside the box, [0, 1]. */
  score: number;
}

/**
 * DB post-processing of the probability map (w x h, model pixels) to boxes in the original image
 * (origW x origH), as PaddleOCR's DBPostProcess does with box_type "quad" and score_mode "fast".
 */
export function dbPostprocess(prob: Float32Array, w: number, h: number, origW: number, origH: number, settings: Partial<DetSettings> = {}): TextBox[] {
  const s = { ...DEFAULT_DET_SETTINGS, ...settings };
  if (prob.length !== w * h) throw new RangeError(`probability map has ${prob.length} values, expected ${w}x${h}`);
  const bin = new Uint8Array(w * h);
  for (let i = 0; i < bin.length; i++) bin[i] = prob[i]! > s.binaryThreshold ? 1 : 0;
  const { components } = connectedComponents(bin, w, h);
  const boxes: TextBox[] = [];
  const sx = origW / w;
  const sy = origH / h;
  for (const c of components.slice(0, s.maxCandidates)) {
    // The leftmost and rightmost pixel centre of each row spans the component's convex hull.
    const rows = new Map<number, [number, number]>();
    for (const p of c.pixels) {
      const x = p % w;
      const y = (p - x) / w;
      const r = rows.get(y);
      if (!r) rows.set(y, [x, x]);
      else { if (x < r[0]) r[0] = x; if (x > r[1]) r[1] = x; }
    }
    const pts: XY[] = [];
    for (const [y, [a, b]] of rows) pts.push([a, y], [b, y]);
    const rect = minAreaRect(pts);
    if (rect.short < s.minSize) continue;
    const score = s.scoreMode === "fast" ? boxScore(prob, w, h, rect.corners) : regionScore(prob, c.pixels);
    if (score < s.boxThreshold) continue;
    const d = (polygonArea(rect.corners) * s.unclipRatio) / polygonPerimeter(rect.corners);
    const grown = expandRect(rect.corners, d);
    const g = minAreaRect(grown);
    if (g.short < s.minSize + 2) continue;
    const points = g.corners.map(([x, y]) => [clamp(Math.round(x * sx), 0, origW), clamp(Math.round(y * sy), 0, origH)] as XY) as TextBox["points"];
    boxes.push({ points, score: Math.round(score * 1e4) / 1e4 });
  }
  return sortReadingOrder(boxes);
}

/** Mean probability over a region's pixels. */
export function regionScore(prob: Float32Array, pixels: Int32Array): number {
  let sum = 0;
  for (const p of pixels) sum += prob[p]!;
  return pixels.length ? sum / pixels.length : 0;
}

/** Mean probability over the pixels whose centres fall inside the quad. */
export function boxScore(prob: Float32Array, w: number, h: number, quad: readonly XY[]): number {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const x0 = clamp(Math.floor(Math.min(...xs)), 0, w - 1);
  const x1 = clamp(Math.ceil(Math.max(...xs)), 0, w - 1);
  const y0 = clamp(Math.floor(Math.min(...ys)), 0, h - 1);
  const y1 = clamp(Math.ceil(Math.max(...ys)), 0, h - 1);
  let sum = 0, n = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inConvexQuad(quad, x, y)) continue;
      sum += prob[y * w + x]!;
      n++;
    }
  }
  return n ? sum / n : 0;
}

function inConvexQuad(q: readonly XY[], x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!, b = q[(i + 1) % q.length]!;
    const cr = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    if (Math.abs(cr) < 1e-9) continue;
    const sg = cr > 0 ? 1 : -1;
    if (sign === 0) sign = sg;
    else if (sg !== sign) return false;
  }
  return true;
}

/** Top to bottom; boxes on the same line (top within 10 px) left to right, like PaddleOCR. */
export function sortReadingOrder<T extends { points: readonly XY[] }>(boxes: T[]): T[] {
  const s = [...boxes].sort((a, b) => a.points[0]![1] - b.points[0]![1] || a.points[0]![0] - b.points[0]![0]);
  for (let i = 0; i < s.length - 1; i++) {
    for (let j = i; j >= 0; j--) {
      const a = s[j]!, b = s[j + 1]!;
      if (Math.abs(b.points[0]![1] - a.points[0]![1]) < 10 && b.points[0]![0] < a.points[0]![0]) {
        s[j] = b;
        s[j + 1] = a;
      } else break;
    }
  }
  return s;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

// Run-length masks (see mask.ts): row-major runs, alternating background/foreground, starting with
// background. Rasters are one byte per pixel (0 = background, anything else = foreground); pixel
// (px, py) covers [px, px+1) x [py, py+1), so its centre is (px + 0.5, py + 0.5).
// Everything here loops over typed arrays or runs without allocating per pixel: masks of 12 Mpx
// (4000x3000) go through decode/encode on every brush stroke.
import type { Bounds } from "../geometry";

/**
 * Runs of the first width*height bytes (missing bytes count as background). Canonical form: no
 * zero-length runs except a leading 0 when the first pixel is foreground.
 */
export function encodeRle(bits: Uint8Array, width: number, height: number): number[] {
  const n = Math.max(0, width * height);
  const end = Math.min(n, bits.length);
  const runs: number[] = [];
  let i = 0;
  let fg = false;
  while (i < end) {
    const start = i;
    if (fg) while (i < end && bits[i] !== 0) i++;
    else while (i < end && bits[i] === 0) i++;
    runs.push(i - start);
    fg = !fg;
  }
  if (end < n) {
    // The tail beyond bits is background. fg says what the NEXT run would be: if background,
    // the last run was foreground (or there is none) and a new one starts; else extend the last.
    if (!fg) runs.push(n - end);
    else runs[runs.length - 1]! += n - end;
  }
  return runs.length > 0 ? runs : [0];
}

/** A width*height raster of 0/1. Runs beyond width*height are ignored, a short rle leaves background. */
export function decodeRle(rle: readonly number[], width: number, height: number): Uint8Array {
  const n = Math.max(0, width * height);
  const out = new Uint8Array(n);
  let i = 0;
  for (let k = 0; k < rle.length && i < n; k++) {
    const run = Math.max(0, rle[k] ?? 0);
    if (k % 2 === 1) out.fill(1, i, Math.min(n, i + run));
    i += run;
  }
  return out;
}

/**
 * Set every pixel whose centre lies within radius of (cx, cy) to value (brush 1, eraser 0).
 * Unlike the region utils this paints IN PLACE and returns bits: a stroke stamps hundreds of
 * circles on one raster, and a copy per stamp would cost width*height each time.
 */
export function paintCircle(bits: Uint8Array, width: number, height: number, cx: number, cy: number, radius: number, value: number): Uint8Array {
  if (!(radius >= 0) || !Number.isFinite(cx) || !Number.isFinite(cy) || !Number.isFinite(radius)) return bits;
  const v = value ? 1 : 0;
  const y0 = Math.max(0, Math.ceil(cy - radius - 0.5));
  const y1 = Math.min(height - 1, Math.floor(cy + radius - 0.5));
  for (let py = y0; py <= y1; py++) {
    const dy = py + 0.5 - cy;
    const hw = Math.sqrt(Math.max(0, radius * radius - dy * dy));
    const x0 = Math.max(0, Math.ceil(cx - hw - 0.5));
    const x1 = Math.min(width - 1, Math.floor(cx + hw - 0.5));
    if (x1 >= x0) bits.fill(v, py * width + x0, py * width + x1 + 1);
  }
  return bits;
}

/**
 * Scanline fill (even-odd) of a polygon: a pixel is foreground when its centre is inside. Edges
 * are half-open in y, so shared vertices count once and an axis-aligned square [a,b]² fills
 * exactly (b-a)² pixels.
 */
export function rleFromPolygon(points: ReadonlyArray<readonly [number, number]>, width: number, height: number): number[] {
  const bits = new Uint8Array(Math.max(0, width * height));
  const n = points.length;
  if (n >= 3) {
    let minY = Infinity, maxY = -Infinity;
    for (const p of points) {
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    const y0 = Math.max(0, Math.floor(minY)), y1 = Math.min(height - 1, Math.ceil(maxY));
    const xs: number[] = [];
    for (let py = y0; py <= y1; py++) {
      const yc = py + 0.5;
      xs.length = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = points[j]!, b = points[i]!;
        if (a[1] <= yc !== b[1] <= yc) xs.push(a[0] + ((yc - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      }
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const x0 = Math.max(0, Math.ceil(xs[k]! - 0.5));
        const x1 = Math.min(width, Math.ceil(xs[k + 1]! - 0.5)); // exclusive
        if (x1 > x0) bits.fill(1, py * width + x0, py * width + x1);
      }
    }
  }
  return encodeRle(bits, width, height);
}

/** Number of foreground pixels. */
export function rleForegroundCount(rle: readonly number[]): number {
  let s = 0;
  for (let k = 1; k < rle.length; k += 2) s += rle[k]!;
  return s;
}

/** Pixel-edge bounds of the foreground (a pixel spans [px, px+1)); null when there is none. */
export function rleBounds(rle: readonly number[], width: number, height: number): Bounds | null {
  const n = width * height;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  let i = 0;
  for (let k = 0; k < rle.length && i < n; k++) {
    const run = rle[k]!;
    if (k % 2 === 1 && run > 0) {
      const last = Math.min(n, i + run) - 1;
      const r0 = Math.floor(i / width), r1 = Math.floor(last / width);
      const c0 = i - r0 * width, c1 = last - r1 * width;
      minY = Math.min(minY, r0);
      maxY = Math.max(maxY, r1);
      // A run that wraps to the next row covers that row's first column and the first row's last.
      minX = Math.min(minX, r1 > r0 ? 0 : c0);
      maxX = Math.max(maxX, r1 > r0 ? width - 1 : c1);
    }
    i += run;
  }
  return minX === Infinity ? null : { minX, minY, maxX: maxX + 1, maxY: maxY + 1 };
}

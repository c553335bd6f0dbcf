// Raster work for the brush. Masks are stored as run lengths but painted as a byte per pixel: a
// stroke decodes once, stamps circles (regions/mask's paintCircle, in place), and encodes once
// on pointerup. What this file adds is the stroke: gap-free stamping along pointer moves and the
// dirty box, so the canvas can repaint only what the stroke touched.
import type { Bounds, Point } from "../geometry";
import { decodeRle, encodeRle, paintCircle } from "../regions/mask";

export { decodeRle, encodeRle };

export const isEmptyRaster = (data: Uint8Array): boolean => data.indexOf(1) === -1;

const union = (a: Bounds | null, b: Bounds | null): Bounds | null =>
  !a ? b : !b ? a : { minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) };

/** Paint a disc of radius r at c; returns the pixel box it may have touched, or null if off the raster. */
export function stampCircle(data: Uint8Array, width: number, height: number, c: Point, r: number, value: 0 | 1): Bounds | null {
  paintCircle(data, width, height, c.x, c.y, r, value);
  const box = {
    minX: Math.max(0, Math.floor(c.x - r)),
    minY: Math.max(0, Math.floor(c.y - r)),
    maxX: Math.min(width, Math.ceil(c.x + r)),
    maxY: Math.min(height, Math.ceil(c.y + r)),
  };
  return box.maxX > box.minX && box.maxY > box.minY ? box : null;
}

/** Stamp discs along a segment, close enough together (half a radius) that the stroke has no gaps. */
export function stampSegment(data: Uint8Array, width: number, height: number, a: Point, b: Point, r: number, value: 0 | 1): Bounds | null {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const steps = Math.max(1, Math.ceil(len / Math.max(0.5, r / 2)));
  let box: Bounds | null = null;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    box = union(box, stampCircle(data, width, height, { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, r, value));
  }
  return box;
}

export { union as unionBox };

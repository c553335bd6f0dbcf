// Mask logits -> binary mask -> polygons (outer contours, simplified) and bounding box. Pure.
import { connectedComponents } from "../geometry/components";
import { simplifyClosed, traceOuterBoundary } from "../geometry/contour";
import type { XY } from "../geometry/hull";

export function binaryMask(logits: Float32Array, threshold = 0): Uint8Array {
  const m = new Uint8Array(logits.length);
  for (let i = 0; i < m.length; i++) m[i] = logits[i]! > threshold ? 1 : 0;
  return m;
}

export interface MaskPolygon {
  /** Vertices at pixel corners, natural-image pixels, clockwise on screen. */
  points: XY[];
  /** Pixels of the component (holes count as outside the polygon but not here). */
  area: number;
  bbox: { x: number; y: number; width: number; height: number };
}

export interface PolygonOptions {
  /** Douglas-Peucker tolerance in pixels. */
  tolerance?: number;
  /** Components with fewer pixels are dropped (specks). */
  minArea?: number;
}

/** One polygon per 8-connected component, largest first. */
export function maskToPolygons(mask: ArrayLike<number>, width: number, height: number, o: PolygonOptions = {}): MaskPolygon[] {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} values, expected ${width}x${height}`);
  const { labels, components } = connectedComponents(mask, width, height);
  const minArea = o.minArea ?? 16;
  const out: MaskPolygon[] = [];
  for (const c of components) {
    if (c.pixels.length < minArea) continue;
    const start = c.pixels.reduce((a, b) => Math.min(a, b)); // top-most, then left-most
    const x0 = start % width;
    const y0 = (start - x0) / width;
    const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] === c.label;
    const ring = traceOuterBoundary(inside, x0, y0);
    out.push({
      points: simplifyClosed(ring, o.tolerance ?? 1),
      area: c.pixels.length,
      bbox: { x: c.minX, y: c.minY, width: c.maxX - c.minX + 1, height: c.maxY - c.minY + 1 },
    });
  }
  return out.sort((a, b) => b.area - a.area);
}

import { z } from "zod";
import { boundsOfPoints, isFiniteNumber, segmentTouchesRect, type Point } from "../geometry";
import { point, regionBase } from "./common";
import { insertPt, movePt, nearOutline, nearestEdgeOf, removePt, rotatePts, scalePts, translatePts, type EdgeHit } from "./path";
import type { RegionUtil } from "./types";

export const polylineRegion = z.object({
  ...regionBase,
  kind: z.literal("polyline"),
  points: z.array(point).min(2, "a polyline needs at least 2 points").max(100_000),
});

export type PolylineRegion = z.output<typeof polylineRegion>;

const MIN_POINTS = 2;

/** Add p after point afterIndex (-1 = before the first, n-1 = extend the end); r unchanged for a bad index. */
export function insertVertex(r: PolylineRegion, afterIndex: number, p: Point): PolylineRegion {
  const points = insertPt(r.points, afterIndex, p);
  return points ? { ...r, points } : r;
}

/** Remove point i; r unchanged if that would leave fewer than 2 points. */
export function removeVertex(r: PolylineRegion, i: number): PolylineRegion {
  const points = removePt(r.points, i, MIN_POINTS);
  return points ? { ...r, points } : r;
}

/** The segment closest to p (segment i joins point i to i+1; the line is open, nothing closes it). */
export const nearestEdge = (r: PolylineRegion, p: Point): EdgeHit => nearestEdgeOf(r.points, p, false);

export const polylineUtil: RegionUtil<PolylineRegion> = {
  kind: "polyline",
  schema: polylineRegion,
  bounds: (r) => boundsOfPoints(r.points),
  area: () => 0,
  hitTest: (r, p, tol) => nearOutline(r.points, p, tol, false),
  translate: (r, dx, dy) => (isFiniteNumber(dx, dy) ? { ...r, points: translatePts(r.points, dx, dy) } : r),
  scale: (r, sx, sy, a) => (isFiniteNumber(sx, sy, a.x, a.y) ? { ...r, points: scalePts(r.points, sx, sy, a) } : r),
  rotate: (r, deg, c) => (isFiniteNumber(deg, c.x, c.y) ? { ...r, points: rotatePts(r.points, deg, c) } : r),
  vertices: (r) => r.points.map(([x, y]) => ({ x, y })),
  moveVertex(r, i, p) {
    const points = movePt(r.points, i, p);
    return points ? { ...r, points } : r;
  },
  /**
   * Points are clamped into the image, keeping the vertex count and order (a true cut could split
   * the line in several pieces, which one region cannot hold). Null when no segment touches the
   * image, or when clamping collapses every point onto one spot.
   */
  clip(r, width, height) {
    const b = boundsOfPoints(r.points);
    if (b.minX >= 0 && b.minY >= 0 && b.maxX <= width && b.maxY <= height) return r;
    let touches = false;
    for (let i = 0; i + 1 < r.points.length && !touches; i++) touches = segmentTouchesRect(r.points[i]!, r.points[i + 1]!, width, height);
    if (!touches) return null;
    const points = r.points.map(([x, y]): [number, number] => [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))]);
    const [fx, fy] = points[0]!;
    if (points.every(([x, y]) => x === fx && y === fy)) return null;
    return { ...r, points };
  },
};

import { z } from "zod";
import { boundsOfPoints, clipPolygonToRect, isFiniteNumber, pointInPolygon, polygonArea, type Point } from "../geometry";
import { point, regionBase } from "./common";
import { insertPt, movePt, nearOutline, nearestEdgeOf, removePt, rotatePts, scalePts, translatePts, type EdgeHit } from "./path";
import type { RegionUtil } from "./types";

export const polygonRegion = z.object({
  ...regionBase,
  kind: z.literal("polygon"),
  points: z.array(point).min(3, "a polygon needs at least 3 points").max(100_000),
});

export type PolygonRegion = z.output<typeof polygonRegion>;

const MIN_POINTS = 3;

/** Add p after point afterIndex (-1 = before the first); r unchanged for a bad index. */
export function insertVertex(r: PolygonRegion, afterIndex: number, p: Point): PolygonRegion {
  const points = insertPt(r.points, afterIndex, p);
  return points ? { ...r, points } : r;
}

/** Remove point i; r unchanged if that would leave fewer than 3 points. */
export function removeVertex(r: PolygonRegion, i: number): PolygonRegion {
  const points = removePt(r.points, i, MIN_POINTS);
  return points ? { ...r, points } : r;
}

/** The edge closest to p (edge i joins point i to i+1, the last edge closes the ring). */
export const nearestEdge = (r: PolygonRegion, p: Point): EdgeHit => nearestEdgeOf(r.points, p, true);

export const polygonUtil: RegionUtil<PolygonRegion> = {
  kind: "polygon",
  schema: polygonRegion,
  bounds: (r) => boundsOfPoints(r.points),
  area: (r) => polygonArea(r.points),
  hitTest: (r, p, tol) => pointInPolygon(r.points, p) || nearOutline(r.points, p, tol, true),
  translate: (r, dx, dy) => (isFiniteNumber(dx, dy) ? { ...r, points: translatePts(r.points, dx, dy) } : r),
  scale: (r, sx, sy, a) => (isFiniteNumber(sx, sy, a.x, a.y) ? { ...r, points: scalePts(r.points, sx, sy, a) } : r),
  rotate: (r, deg, c) => (isFiniteNumber(deg, c.x, c.y) ? { ...r, points: rotatePts(r.points, deg, c) } : r),
  vertices: (r) => r.points.map(([x, y]) => ({ x, y })),
  moveVertex(r, i, p) {
    const points = movePt(r.points, i, p);
    return points ? { ...r, points } : r;
  },
  /**
   * Sutherland–Hodgman against the image rectangle. Null when fewer than 3 points remain or the
   * remainder has no area (e.g. a polygon that only touches the image border).
   */
  clip(r, width, height) {
    const b = boundsOfPoints(r.points);
    if (b.minX >= 0 && b.minY >= 0 && b.maxX <= width && b.maxY <= height) return r;
    const points = clipPolygonToRect(r.points, width, height);
    if (points.length < MIN_POINTS || polygonArea(points) <= 0) return null;
    return { ...r, points };
  },
};

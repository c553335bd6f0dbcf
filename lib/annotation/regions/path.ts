// Shared point-list operations for polygon (closed) and polyline (open) regions.
import { isFiniteNumber, nearestOnSegment, rotateXY, type Point, type XY } from "../geometry";

type Pts = Array<[number, number]>;

export const translatePts = (pts: ReadonlyArray<XY>, dx: number, dy: number): Pts =>
  pts.map((q) => [q[0] + dx, q[1] + dy]);

export const scalePts = (pts: ReadonlyArray<XY>, sx: number, sy: number, a: Point): Pts =>
  pts.map((q) => [a.x + (q[0] - a.x) * sx, a.y + (q[1] - a.y) * sy]);

export const rotatePts = (pts: ReadonlyArray<XY>, degrees: number, centre: Point): Pts =>
  pts.map((q) => rotateXY(q[0], q[1], degrees, centre));

export const validIndex = (i: number, n: number): boolean => Number.isInteger(i) && i >= 0 && i < n;

export function movePt(pts: ReadonlyArray<XY>, i: number, p: Point): Pts | null {
  if (!validIndex(i, pts.length) || !isFiniteNumber(p.x, p.y)) return null;
  const out: Pts = pts.map((q) => [q[0], q[1]]);
  out[i] = [p.x, p.y];
  return out;
}

/** Insert p after index afterIndex (-1 = at the start); null for a bad index or point. */
export function insertPt(pts: ReadonlyArray<XY>, afterIndex: number, p: Point): Pts | null {
  if (!Number.isInteger(afterIndex) || afterIndex < -1 || afterIndex >= pts.length || !isFiniteNumber(p.x, p.y)) return null;
  const out: Pts = pts.map((q) => [q[0], q[1]]);
  out.splice(afterIndex + 1, 0, [p.x, p.y]);
  return out;
}

/** Remove point i unless that leaves fewer than min points; null when refused. */
export function removePt(pts: ReadonlyArray<XY>, i: number, min: number): Pts | null {
  if (!validIndex(i, pts.length) || pts.length <= min) return null;
  return pts.filter((_, j) => j !== i).map((q) => [q[0], q[1]]);
}

export interface EdgeHit {
  /** Edge i runs from point i to point i+1 (for a polygon, the last edge closes back to point 0). */
  index: number;
  distance: number;
  /** The closest point on that edge: insertVertex(r, index, point) splits the edge there. */
  point: Point;
}

export function nearestEdgeOf(pts: ReadonlyArray<XY>, p: Point, closed: boolean): EdgeHit {
  const n = pts.length;
  const edges = closed ? n : n - 1;
  let best: EdgeHit = { index: 0, distance: Infinity, point: { x: pts[0]?.[0] ?? 0, y: pts[0]?.[1] ?? 0 } };
  for (let i = 0; i < edges; i++) {
    const h = nearestOnSegment(p, pts[i]!, pts[(i + 1) % n]!);
    if (h.distance < best.distance) best = { index: i, distance: h.distance, point: h.point };
  }
  if (best.distance === Infinity) best = { ...best, distance: Math.hypot(p.x - best.point.x, p.y - best.point.y) };
  return best;
}

/** True when p is within tol of the outline (closing edge included when closed). */
export function nearOutline(pts: ReadonlyArray<XY>, p: Point, tol: number, closed: boolean): boolean {
  return nearestEdgeOf(pts, p, closed).distance <= Math.max(0, tol);
}

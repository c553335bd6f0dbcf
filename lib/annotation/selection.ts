// Spatial questions the editor and tools ask about regions: bounds (cached), marquee intersection,
// and keeping a moved selection inside the image. Geometry per kind comes from the region utils.
import { boundsIntersect, type Bounds, type Point } from "./geometry";
import { getRegionUtil, type Region, type RegionUtil } from "./regions";

export { distance } from "./geometry";

/** The util for a region kind, or undefined for kinds without image geometry (span, segment...). */
export const utilOf = (kind: string): RegionUtil<Region> | undefined => getRegionUtil(kind);

// Regions are immutable (every edit makes a new object), so bounds can be cached per object.
const boundsCache = new WeakMap<Region, Bounds>();

/** Cached axis-aligned bounds; null for kinds without image geometry. */
export function regionBounds(r: Region): Bounds | null {
  const hit = boundsCache.get(r);
  if (hit) return hit;
  const util = utilOf(r.kind);
  if (!util) return null;
  const b = util.bounds(r);
  boundsCache.set(r, b);
  return b;
}

export const boxFromPoints = (a: Point, b: Point): Bounds => ({
  minX: Math.min(a.x, b.x),
  minY: Math.min(a.y, b.y),
  maxX: Math.max(a.x, b.x),
  maxY: Math.max(a.y, b.y),
});

export function unionBounds(list: Iterable<Bounds | null>): Bounds | null {
  let out: Bounds | null = null;
  for (const b of list) {
    if (!b) continue;
    out = out
      ? { minX: Math.min(out.minX, b.minX), minY: Math.min(out.minY, b.minY), maxX: Math.max(out.maxX, b.maxX), maxY: Math.max(out.maxY, b.maxY) }
      : { ...b };
  }
  return out;
}

const inBox = (p: Point, b: Bounds) => p.x >= b.minX && p.x <= b.maxX && p.y >= b.minY && p.y <= b.maxY;

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return o(a, b, c) !== o(a, b, d) && o(c, d, a) !== o(c, d, b);
}

/**
 * Whether a region touches a marquee box. Bounds alone would pick a diagonal polygon whose
 * empty corner the box grazes, so after the bounds pre-check we look for a vertex inside the box,
 * the box inside the region, or an outline edge crossing the box edges.
 */
export function regionIntersectsBox(r: Region, box: Bounds): boolean {
  const util = utilOf(r.kind);
  const b = regionBounds(r);
  if (!util || !b || !boundsIntersect(b, box)) return false;
  if (b.minX >= box.minX && b.maxX <= box.maxX && b.minY >= box.minY && b.maxY <= box.maxY) return true;
  const verts = util.vertices(r);
  if (verts.some((v) => inBox(v, box))) return true;
  const corners: Point[] = [
    { x: box.minX, y: box.minY },
    { x: box.maxX, y: box.minY },
    { x: box.maxX, y: box.maxY },
    { x: box.minX, y: box.maxY },
  ];
  if (corners.some((c) => util.hitTest(r, c, 0))) return true;
  // Polylines and keypoints are open: only their own segments count, not a closing edge.
  const closed = r.kind !== "polyline" && r.kind !== "keypoints";
  const n = verts.length;
  for (let i = 0; i < n; i++) {
    if (!closed && i === n - 1) break;
    const a = verts[i]!;
    const c = verts[(i + 1) % n]!;
    for (let j = 0; j < 4; j++) if (segmentsCross(a, c, corners[j]!, corners[(j + 1) % 4]!)) return true;
  }
  return false;
}

/** Shrink a move so that `b` stays inside [0,width]x[0,height] (dragging a selection to the edge stops it there). */
export function constrainDelta(b: Bounds, dx: number, dy: number, width: number, height: number): { dx: number; dy: number } {
  const clampAxis = (d: number, min: number, max: number, size: number) => {
    // A region larger than the image cannot fit anyway; one already poking out may move, but
    // never further out (and is not yanked back in by a move along the other axis).
    if (max - min > size) return d;
    const lo = Math.min(0, -min);
    const hi = Math.max(0, size - max);
    return Math.min(Math.max(d, lo), hi);
  };
  return { dx: clampAxis(dx, b.minX, b.maxX, width), dy: clampAxis(dy, b.minY, b.maxY, height) };
}

export const clampPoint = (p: Point, width: number, height: number): Point => ({
  x: Math.min(Math.max(p.x, 0), width),
  y: Math.min(Math.max(p.y, 0), height),
});

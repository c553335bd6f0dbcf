// Plain 2-D geometry shared by the region modules. Image regions live in natural-image pixels.

export interface Point {
  x: number;
  y: number;
}

/** Axis-aligned bounds: [minX, minY, maxX, maxY]. */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export const boundsOfPoints = (pts: ReadonlyArray<readonly [number, number] | readonly [number, number, number]>): Bounds => {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of pts) {
    if (p[0] < minX) minX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] > maxY) maxY = p[1];
  }
  return { minX, minY, maxX, maxY };
};

export const boundsIntersect = (a: Bounds, b: Bounds): boolean =>
  a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY;

// ---- Helpers for the region utils (regions/*.ts). Angles are degrees, clockwise on screen:
// image y points down, so the usual [cos -sin; sin cos] matrix turns clockwise as drawn.

export type XY = readonly [number, number];

/** Smallest extent a resized rect/ellipse keeps, so the result still passes its schema (positive). */
export const MIN_EXTENT = 1e-6;

export const isFiniteNumber = (...xs: number[]): boolean => xs.every((x) => Number.isFinite(x));

/** cos/sin of an angle in degrees, exact at multiples of 90 so quarter turns add no drift. */
export function cosSin(degrees: number): [number, number] {
  const q = degrees / 90;
  if (Number.isInteger(q)) {
    const k = ((q % 4) + 4) % 4;
    return ([[1, 0], [0, 1], [-1, 0], [0, -1]] as const)[k] as [number, number];
  }
  const rad = (degrees * Math.PI) / 180;
  return [Math.cos(rad), Math.sin(rad)];
}

/** Map an angle into [-180, 180) so repeated rotations do not grow without bound. */
export function normaliseDegrees(d: number): number {
  const n = (((d + 180) % 360) + 360) % 360 - 180;
  return n === 0 ? 0 : n; // no -0
}

/** Rotate (x, y) by degrees clockwise about centre. */
export function rotateXY(x: number, y: number, degrees: number, centre: Point): [number, number] {
  const [c, s] = cosSin(degrees);
  const dx = x - centre.x, dy = y - centre.y;
  return [centre.x + dx * c - dy * s, centre.y + dx * s + dy * c];
}

export function rotatePoint(p: Point, degrees: number, centre: Point): Point {
  const [x, y] = rotateXY(p.x, p.y, degrees, centre);
  return { x, y };
}

export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Closest point to p on segment ab; a zero-length segment gives a itself (never NaN). */
export function nearestOnSegment(p: Point, a: XY, b: XY): { point: Point; distance: number; t: number } {
  const ex = b[0] - a[0], ey = b[1] - a[1];
  const len2 = ex * ex + ey * ey;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((p.x - a[0]) * ex + (p.y - a[1]) * ey) / len2)) : 0;
  const point = { x: a[0] + t * ex, y: a[1] + t * ey };
  return { point, distance: distance(p, point), t };
}

/** Even-odd point-in-polygon (points on the boundary may land either way; callers add a tolerance). */
export function pointInPolygon(pts: ReadonlyArray<XY>, p: Point): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!, b = pts[j]!;
    if (a[1] > p.y !== b[1] > p.y && p.x < ((b[0] - a[0]) * (p.y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** Shoelace area, unsigned. */
export function polygonArea(pts: ReadonlyArray<XY>): number {
  let s = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) s += pts[j]![0] * pts[i]![1] - pts[i]![0] * pts[j]![1];
  return Math.abs(s) / 2;
}

/** Sutherland–Hodgman clip of a closed polygon against [0,width]x[0,height]; drops repeated points. */
export function clipPolygonToRect(pts: ReadonlyArray<XY>, width: number, height: number): Array<[number, number]> {
  // Each edge of the image: inside test and the crossing point of segment ab with that edge.
  const edges: Array<[(q: XY) => boolean, (a: XY, b: XY) => [number, number]]> = [
    [(q) => q[0] >= 0, (a, b) => [0, a[1] + ((b[1] - a[1]) * (0 - a[0])) / (b[0] - a[0])]],
    [(q) => q[0] <= width, (a, b) => [width, a[1] + ((b[1] - a[1]) * (width - a[0])) / (b[0] - a[0])]],
    [(q) => q[1] >= 0, (a, b) => [a[0] + ((b[0] - a[0]) * (0 - a[1])) / (b[1] - a[1]), 0]],
    [(q) => q[1] <= height, (a, b) => [a[0] + ((b[0] - a[0]) * (height - a[1])) / (b[1] - a[1]), height]],
  ];
  let out: Array<[number, number]> = pts.map((q) => [q[0], q[1]]);
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    // Only called when exactly one end is inside, so the divisor above is never 0.
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!, prev = input[(i + input.length - 1) % input.length]!;
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cross(prev, cur));
    }
  }
  const dedup = out.filter((q, i) => {
    const prev = out[(i + out.length - 1) % out.length]!;
    return out.length === 1 || q[0] !== prev[0] || q[1] !== prev[1];
  });
  return dedup;
}

/** Liang–Barsky: does segment ab touch [0,width]x[0,height]? */
export function segmentTouchesRect(a: XY, b: XY, width: number, height: number): boolean {
  let t0 = 0, t1 = 1;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const checks: Array<[number, number]> = [[-dx, a[0]], [dx, width - a[0]], [-dy, a[1]], [dy, height - a[1]]];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** Rewrite every [x, y] (extra tuple members, e.g. keypoint visibility, are kept). */
export function mapXY<T extends readonly [number, number, ...number[]]>(pts: ReadonlyArray<T>, f: (x: number, y: number) => [number, number]): T[] {
  return pts.map((q) => {
    const [x, y] = f(q[0], q[1]);
    const copy = [...q] as unknown as number[];
    copy[0] = x;
    copy[1] = y;
    return copy as unknown as T;
  });
}

// Convex hull and minimum-area rotated rectangle (rotating calipers over the hull's edges).
export type XY = [number, number];

/** Andrew's monotone chain; counter-clockwise in y-up terms, no collinear points. */
export function convexHull(points: readonly XY[]): XY[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length <= 2) return pts;
  const cross = (o: XY, a: XY, b: XY) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: XY[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: XY[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

export interface RotatedRect {
  /** Corners: top-left, top-right, bottom-right, bottom-left (as PaddleOCR orders them). */
  corners: [XY, XY, XY, XY];
  /** Side lengths along the rectangle's own axes; `short` = min. */
  width: number;
  height: number;
  short: number;
}

export function minAreaRect(points: readonly XY[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError("minAreaRect of no points");
  let best = { area: Infinity, ux: 1, uy: 0, min0: 0, max0: 0, min1: 0, max1: 0 };
  const edges = hull.length >= 2 ? hull.length : 1;
  for (let i = 0; i < edges; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    let ux = b[0] - a[0];
    let uy = b[1] - a[1];
    const len = Math.hypot(ux, uy);
    if (len === 0) { ux = 1; uy = 0; } else { ux /= len; uy /= len; }
    let min0 = Infinity, max0 = -Infinity, min1 = Infinity, max1 = -Infinity;
    for (const p of hull) {
      const s = p[0] * ux + p[1] * uy;
      const t = -p[0] * uy + p[1] * ux;
      if (s < min0) min0 = s;
      if (s > max0) max0 = s;
      if (t < min1) min1 = t;
      if (t > max1) max1 = t;
    }
    const area = (max0 - min0) * (max1 - min1);
    if (area < best.area - 1e-9) best = { area, ux, uy, min0, max0, min1, max1 };
  }
  const { ux, uy, min0, max0, min1, max1 } = best;
  const at = (s: number, t: number): XY => [s * ux - t * uy, s * uy + t * ux];
  const c = [at(min0, min1), at(max0, min1), at(max0, max1), at(min0, max1)];
  const w = max0 - min0;
  const h = max1 - min1;
  return { corners: orderCorners(c), width: w, height: h, short: Math.min(w, h) };
}

/** PaddleOCR's get_mini_boxes order: by x, then the upper of each pair first. */
export function orderCorners(c: readonly XY[]): [XY, XY, XY, XY] {
  const s = [...c].sort((a, b) => a[0] - b[0]);
  const [l0, l1, r0, r1] = s as [XY, XY, XY, XY];
  const [tl, bl] = l0[1] <= l1[1] ? [l0, l1] : [l1, l0];
  const [tr, br] = r0[1] <= r1[1] ? [r0, r1] : [r1, r0];
  return [tl, tr, br, bl];
}

/** Grow a rotated rectangle by `d` on every side (the unclip of a rectangle). */
export function expandRect(corners: readonly [XY, XY, XY, XY], d: number): [XY, XY, XY, XY] {
  const cx = (corners[0][0] + corners[1][0] + corners[2][0] + corners[3][0]) / 4;
  const cy = (corners[0][1] + corners[1][1] + corners[2][1] + corners[3][1]) / 4;
  const ex = unit(corners[1], corners[0]); // along the top edge
  const ey = unit(corners[3], corners[0]); // along the left edge
  const w = Math.hypot(corners[1][0] - corners[0][0], corners[1][1] - corners[0][1]) / 2 + d;
  const h = Math.hypot(corners[3][0] - corners[0][0], corners[3][1] - corners[0][1]) / 2 + d;
  const at = (sx: number, sy: number): XY => [cx + ex[0] * w * sx + ey[0] * h * sy, cy + ex[1] * w * sx + ey[1] * h * sy];
  return orderCorners([at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)]);
}

function unit(a: XY, b: XY): XY {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  const l = Math.hypot(dx, dy) || 1;
  return [dx / l, dy / l];
}

export function polygonArea(p: readonly XY[]): number {
  let a = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!;
    const r = p[(i + 1) % p.length]!;
    a += q[0] * r[1] - r[0] * q[1];
  }
  return Math.abs(a) / 2;
}

export function polygonPerimeter(p: readonly XY[]): number {
  let l = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!;
    const r = p[(i + 1) % p.length]!;
    l += Math.hypot(r[0] - q[0], r[1] - q[1]);
  }
  return l;
}

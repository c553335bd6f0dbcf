import { z } from "zod";
import { MIN_EXTENT, boundsIntersect, cosSin, isFiniteNumber, normaliseDegrees, rotateXY, type Point } from "../geometry";
import { coord, regionBase } from "./common";
import type { RegionUtil } from "./types";

export const ellipseRegion = z.object({
  ...regionBase,
  kind: z.literal("ellipse"),
  cx: coord, cy: coord, rx: coord.positive(), ry: coord.positive(),
  rotation: coord.default(0),
});

export type EllipseRegion = z.output<typeof ellipseRegion>;

// The ellipse frame: origin at the centre, x along the rx axis, both turned by rotation (clockwise).

const toLocal = (r: EllipseRegion, px: number, py: number): [number, number] => {
  const [c, s] = cosSin(r.rotation);
  const dx = px - r.cx, dy = py - r.cy;
  return [dx * c + dy * s, -dx * s + dy * c];
};

const toWorld = (r: EllipseRegion, lx: number, ly: number): [number, number] => {
  const [c, s] = cosSin(r.rotation);
  return [r.cx + lx * c - ly * s, r.cy + lx * s + ly * c];
};

/**
 * Distance from (px, py) to the ellipse x²/a² + y²/b² = 1 (local frame). Iterative closest point
 * (Carl Chatfield's trig-free "0xfaded" method); works in the first quadrant by symmetry and never
 * divides by zero, even for a degenerate radius.
 */
export function distanceToEllipseOutline(a: number, b: number, px: number, py: number): number {
  const x0 = Math.abs(px), y0 = Math.abs(py);
  a = Math.max(a, 0);
  b = Math.max(b, 0);
  if (a === 0 || b === 0) {
    // A flat ellipse is the segment [-a, a] on x (or [-b, b] on y).
    const ex = Math.max(0, x0 - a), ey = Math.max(0, y0 - b);
    return Math.hypot(a === 0 ? x0 : ex, b === 0 ? y0 : ey);
  }
  let tx = Math.SQRT1_2, ty = Math.SQRT1_2;
  for (let k = 0; k < 6; k++) {
    const x = a * tx, y = b * ty;
    const ex = ((a * a - b * b) * tx ** 3) / a;
    const ey = ((b * b - a * a) * ty ** 3) / b;
    const rx = x - ex, ry = y - ey;
    const qx = x0 - ex, qy = y0 - ey;
    const rr = Math.hypot(rx, ry), q = Math.hypot(qx, qy) || 1e-300;
    tx = Math.min(1, Math.max(0, ((qx * rr) / q + ex) / a));
    ty = Math.min(1, Math.max(0, ((qy * rr) / q + ey) / b));
    const t = Math.hypot(tx, ty) || 1;
    tx /= t;
    ty /= t;
  }
  return Math.hypot(x0 - a * tx, y0 - b * ty);
}

const withRadius = (v: number): number => Math.max(MIN_EXTENT, Math.abs(v));

export const ellipseUtil: RegionUtil<EllipseRegion> = {
  kind: "ellipse",
  schema: ellipseRegion,

  /** Exact: the half-extents of a rotated ellipse are sqrt(rx²cos² + ry²sin²) and sqrt(rx²sin² + ry²cos²). */
  bounds(r) {
    const [c, s] = cosSin(r.rotation);
    const hw = Math.hypot(r.rx * c, r.ry * s);
    const hh = Math.hypot(r.rx * s, r.ry * c);
    return { minX: r.cx - hw, minY: r.cy - hh, maxX: r.cx + hw, maxY: r.cy + hh };
  },

  area: (r) => Math.PI * r.rx * r.ry,

  hitTest(r, p, tol) {
    const [lx, ly] = toLocal(r, p.x, p.y);
    if (r.rx > 0 && r.ry > 0 && (lx / r.rx) ** 2 + (ly / r.ry) ** 2 <= 1) return true;
    return tol > 0 && distanceToEllipseOutline(r.rx, r.ry, lx, ly) <= tol;
  },

  translate: (r, dx, dy) => (isFiniteNumber(dx, dy) ? { ...r, cx: r.cx + dx, cy: r.cy + dy } : r),

  /**
   * Like rect: sx scales along the ellipse's own rx axis and sy along its ry axis, about the anchor,
   * so a rotated ellipse stays an ellipse with the same angle (image-axis scaling would shear it).
   * At rotation 0 this is plain image-axis scaling.
   */
  scale(r, sx, sy, anchor) {
    if (!isFiniteNumber(sx, sy, anchor.x, anchor.y)) return r;
    const [ax, ay] = toLocal(r, anchor.x, anchor.y);
    const [cx, cy] = toWorld(r, ax - ax * sx, ay - ay * sy);
    return { ...r, cx, cy, rx: withRadius(r.rx * sx), ry: withRadius(r.ry * sy) };
  },

  rotate(r, degrees, centre) {
    if (!isFiniteNumber(degrees, centre.x, centre.y)) return r;
    const [cx, cy] = rotateXY(r.cx, r.cy, degrees, centre);
    return { ...r, cx, cy, rotation: normaliseDegrees(r.rotation + degrees) };
  },

  /** Axis handles in the ellipse frame: right (+rx), bottom (+ry), left (-rx), top (-ry). */
  vertices(r) {
    const local: Array<[number, number]> = [[r.rx, 0], [0, r.ry], [-r.rx, 0], [0, -r.ry]];
    return local.map(([lx, ly]): Point => {
      const [x, y] = toWorld(r, lx, ly);
      return { x, y };
    });
  },

  /** Handle i sets its radius to p's distance along that axis; the centre stays (symmetric resize). */
  moveVertex(r, i, p) {
    if (!Number.isInteger(i) || i < 0 || i > 3 || !isFiniteNumber(p.x, p.y)) return r;
    const [lx, ly] = toLocal(r, p.x, p.y);
    return i % 2 === 0 ? { ...r, rx: withRadius(lx) } : { ...r, ry: withRadius(ly) };
  },

  /**
   * An ellipse cannot be cut and stay an ellipse, and moving it would misplace the annotation, so it
   * is kept as is while its bounds meet the image, and dropped (null) otherwise.
   */
  clip(r, width, height) {
    return boundsIntersect(ellipseUtil.bounds(r), { minX: 0, minY: 0, maxX: width, maxY: height }) ? r : null;
  },
};

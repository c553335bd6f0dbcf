import { z } from "zod";
import {
  MIN_EXTENT, boundsOfPoints, clipPolygonToRect, cosSin, isFiniteNumber, normaliseDegrees, polygonArea, rotateXY,
  type Point,
} from "../geometry";
import { coord, regionBase } from "./common";
import type { RegionUtil } from "./types";

/** Axis box in natural-image pixels, rotated (degrees, clockwise) about its top-left corner. */
export const rectRegion = z.object({
  ...regionBase,
  kind: z.literal("rect"),
  x: coord, y: coord,
  width: coord.positive(), height: coord.positive(),
  rotation: coord.default(0),
});

export type RectRegion = z.output<typeof rectRegion>;

// The box frame: origin at (x, y), u = width axis, v = height axis, both turned by rotation.
// Working in that frame makes every rotated case the same as the axis-aligned one.

const toLocal = (r: RectRegion, px: number, py: number): [number, number] => {
  const [c, s] = cosSin(r.rotation);
  const dx = px - r.x, dy = py - r.y;
  return [dx * c + dy * s, -dx * s + dy * c];
};

const toWorld = (r: RectRegion, lx: number, ly: number): [number, number] => {
  const [c, s] = cosSin(r.rotation);
  return [r.x + lx * c - ly * s, r.y + lx * s + ly * c];
};

/** Corners TL, TR, BR, BL in image pixels (turned with the box). */
export function rectCorners(r: RectRegion): Array<[number, number]> {
  return [toWorld(r, 0, 0), toWorld(r, r.width, 0), toWorld(r, r.width, r.height), toWorld(r, 0, r.height)];
}

/** A box spanning local-frame extents [l, rr] x [t, b] (either order), keeping the frame's angle. */
function fromLocalExtents(r: RectRegion, l: number, t: number, rr: number, b: number): RectRegion {
  const [x, y] = toWorld(r, Math.min(l, rr), Math.min(t, b));
  return { ...r, x, y, width: Math.max(MIN_EXTENT, Math.abs(rr - l)), height: Math.max(MIN_EXTENT, Math.abs(b - t)) };
}

// At multiples of 90° the box is still axis-aligned on screen (cosSin is exact there).
const isAxisAligned = (r: RectRegion): boolean => normaliseDegrees(r.rotation) % 90 === 0;

export const rectUtil: RegionUtil<RectRegion> = {
  kind: "rect",
  schema: rectRegion,

  bounds: (r) => boundsOfPoints(rectCorners(r)),

  area: (r) => r.width * r.height,

  hitTest(r, p, tol) {
    const [lx, ly] = toLocal(r, p.x, p.y);
    // Distance from p to the filled box, measured in the box frame (rotation keeps distances).
    const dx = Math.max(0, -lx, lx - r.width);
    const dy = Math.max(0, -ly, ly - r.height);
    return Math.hypot(dx, dy) <= Math.max(0, tol);
  },

  translate: (r, dx, dy) => (isFiniteNumber(dx, dy) ? { ...r, x: r.x + dx, y: r.y + dy } : r),

  /**
   * sx scales along the box's own width axis and sy along its height axis, about the anchor (which
   * stays put). That is what a resize handle on a rotated box means, and the box stays a box with
   * the same angle; at rotation 0 it is plain image-axis scaling. Negative factors flip the box
   * over the anchor (normalised to positive width/height).
   */
  scale(r, sx, sy, anchor) {
    if (!isFiniteNumber(sx, sy, anchor.x, anchor.y)) return r;
    const [ax, ay] = toLocal(r, anchor.x, anchor.y);
    return fromLocalExtents(r, ax - ax * sx, ay - ay * sy, ax + (r.width - ax) * sx, ay + (r.height - ay) * sy);
  },

  /** The pivot of a rect is its top-left, so turning about any other centre moves x, y too. */
  rotate(r, degrees, centre) {
    if (!isFiniteNumber(degrees, centre.x, centre.y)) return r;
    const [x, y] = rotateXY(r.x, r.y, degrees, centre);
    return { ...r, x, y, rotation: normaliseDegrees(r.rotation + degrees) };
  },

  vertices: (r) => rectCorners(r).map(([x, y]) => ({ x, y })),

  /** Drag corner i (TL, TR, BR, BL): the opposite corner stays fixed, in the box frame. */
  moveVertex(r, i, p) {
    if (!Number.isInteger(i) || i < 0 || i > 3 || !isFiniteNumber(p.x, p.y)) return r;
    const opposite: Array<[number, number]> = [[r.width, r.height], [0, r.height], [0, 0], [r.width, 0]];
    const [ox, oy] = opposite[i]!;
    const [lx, ly] = toLocal(r, p.x, p.y);
    return fromLocalExtents(r, lx, ly, ox, oy);
  },

  /**
   * Axis-aligned boxes (rotation a multiple of 90°) are intersected with the image, keeping their
   * rotation. Any other rotated box cannot be cut and stay a box, so it is moved instead (and, if
   * its bounds are larger than the image, first shrunk about its centre, keeping angle and aspect)
   * until its axis-aligned bounds lie inside the image. Either way, null when the box does not
   * overlap the image at all.
   */
  clip(r, width, height) {
    if (isAxisAligned(r)) {
      const b = rectUtil.bounds(r);
      const x0 = Math.max(0, b.minX), y0 = Math.max(0, b.minY);
      const x1 = Math.min(width, b.maxX), y1 = Math.min(height, b.maxY);
      if (!(x1 > x0 && y1 > y0)) return null;
      if (x0 === b.minX && y0 === b.minY && x1 === b.maxX && y1 === b.maxY) return r;
      // Re-express the cut in the box frame so a 90/180/270° box keeps its rotation.
      const [lx0, ly0] = toLocal(r, x0, y0), [lx1, ly1] = toLocal(r, x1, y1);
      return fromLocalExtents(r, lx0, ly0, lx1, ly1);
    }
    if (polygonArea(clipPolygonToRect(rectCorners(r), width, height)) <= 0) return null;
    let b = rectUtil.bounds(r);
    if (b.minX >= 0 && b.minY >= 0 && b.maxX <= width && b.maxY <= height) return r;
    let out = r;
    const k = Math.min(1, width / (b.maxX - b.minX), height / (b.maxY - b.minY));
    if (k < 1) {
      const [cx, cy] = toWorld(r, r.width / 2, r.height / 2);
      const centre: Point = { x: cx, y: cy };
      out = rectUtil.scale(r, k, k, centre);
      b = rectUtil.bounds(out);
    }
    const dx = b.minX < 0 ? -b.minX : b.maxX > width ? width - b.maxX : 0;
    const dy = b.minY < 0 ? -b.minY : b.maxY > height ? height - b.maxY : 0;
    return rectUtil.translate(out, dx, dy);
  },
};

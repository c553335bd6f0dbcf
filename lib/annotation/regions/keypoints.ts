import { z } from "zod";
import { boundsOfPoints, isFiniteNumber, mapXY, rotateXY } from "../geometry";
import { coord, regionBase } from "./common";
import { validIndex } from "./path";
import type { RegionUtil } from "./types";

/** [x, y, visible] per skeleton point (visible: 0 absent, 1 occluded, 2 visible, as in COCO). */
export const keypointsRegion = z.object({
  ...regionBase,
  kind: z.literal("keypoints"),
  points: z.array(z.tuple([coord, coord, z.number().int().min(0).max(2)])).min(1).max(1000),
});

export type KeypointsRegion = z.output<typeof keypointsRegion>;
type Keypoint = KeypointsRegion["points"][number];

const visiblePoints = (r: KeypointsRegion): Keypoint[] => r.points.filter((q) => q[2] > 0);

export const keypointsUtil: RegionUtil<KeypointsRegion> = {
  kind: "keypoints",
  schema: keypointsRegion,

  /** Bounds of the labelled (visible > 0) points; if none is labelled, of all points, so it stays finite. */
  bounds(r) {
    const vis = visiblePoints(r);
    return boundsOfPoints(vis.length > 0 ? vis : r.points);
  },

  area: () => 0,

  hitTest: (r, p, tol) => visiblePoints(r).some((q) => Math.hypot(q[0] - p.x, q[1] - p.y) <= Math.max(0, tol)),

  // Geometric edits move every point, absent ones included, so the skeleton keeps its shape if a
  // point is marked visible later.
  translate: (r, dx, dy) => (isFiniteNumber(dx, dy) ? { ...r, points: mapXY(r.points, (x, y) => [x + dx, y + dy]) } : r),

  scale: (r, sx, sy, a) =>
    isFiniteNumber(sx, sy, a.x, a.y) ? { ...r, points: mapXY(r.points, (x, y) => [a.x + (x - a.x) * sx, a.y + (y - a.y) * sy]) } : r,

  rotate: (r, deg, c) => (isFiniteNumber(deg, c.x, c.y) ? { ...r, points: mapXY(r.points, (x, y) => rotateXY(x, y, deg, c)) } : r),

  /** One vertex per skeleton point, absent ones included, so vertex i is always point i. */
  vertices: (r) => r.points.map(([x, y]) => ({ x, y })),

  /** Moves point i; its visibility flag is left as it is (marking a point visible is a separate edit). */
  moveVertex(r, i, p) {
    if (!validIndex(i, r.points.length) || !isFiniteNumber(p.x, p.y)) return r;
    return { ...r, points: r.points.map((q, j): Keypoint => (j === i ? [p.x, p.y, q[2]] : [q[0], q[1], q[2]])) };
  },

  /** Points outside the image become absent (visible 0) but keep their coordinates; null if none stays visible. */
  clip(r, width, height) {
    const inside = (q: Keypoint) => q[0] >= 0 && q[0] <= width && q[1] >= 0 && q[1] <= height;
    if (!r.points.some((q) => q[2] > 0 && inside(q))) return null;
    if (r.points.every((q) => q[2] === 0 || inside(q))) return r;
    return { ...r, points: r.points.map((q): Keypoint => [q[0], q[1], inside(q) ? q[2] : 0]) };
  },
};

// What every region kind's module provides (the registry maps kind -> RegionUtil).
// Pure functions over plain region objects; no React, DOM or Konva.
import type { z } from "zod";
import type { Bounds, Point } from "../geometry";

export interface RegionUtil<R> {
  kind: string;
  schema: z.ZodType<R>;
  /** Axis-aligned bounds in natural-image pixels (for culling, sorting, hit pre-checks). */
  bounds(r: R): Bounds;
  /** Area in square pixels (0 for lines and points). */
  area(r: R): number;
  /** True if p is on the region, within tol pixels of its outline for open shapes. */
  hitTest(r: R, p: Point, tol: number): boolean;
  translate(r: R, dx: number, dy: number): R;
  /** Scale about an anchor point (resize handles). */
  scale(r: R, sx: number, sy: number, anchor: Point): R;
  /** Rotate by degrees clockwise about a centre. Kinds that cannot rotate return r unchanged. */
  rotate(r: R, degrees: number, centre: Point): R;
  /** The editable vertices (polygon points, rect corners, keypoints...). */
  vertices(r: R): Point[];
  /** Move vertex i to p; kinds with derived vertices (rect) reshape accordingly. */
  moveVertex(r: R, i: number, p: Point): R;
  /** Keep the region inside [0,width]x[0,height]; null when nothing is left inside. */
  clip(r: R, width: number, height: number): R | null;
}

// The rotation handle of a single selected rect or ellipse: a knob a fixed screen distance
// "above" the shape in its own rotated frame, and the rotation a drag of it means. Shared by the
// select tool (hit-test, drag) and the canvas (drawing), so both agree where the knob is.
import { rotateXY, type Point } from "../geometry";
import type { Region } from "../regions";
import { rectUtil } from "../regions/rect";

/** Screen px between the shape's top edge and the knob. */
export const ROTATE_HANDLE_PX = 24;

export const canRotate = (r: Region): boolean => (r.kind === "rect" || r.kind === "ellipse") && !r.locked;

/** The point the shape turns about: its centre (people expect that, whatever the stored pivot). */
export function rotationCentre(r: Region): Point | null {
  if (r.kind === "ellipse") return { x: r.cx, y: r.cy };
  if (r.kind === "rect") {
    const [x, y] = rotateXY(r.x + r.width / 2, r.y + r.height / 2, r.rotation ?? 0, { x: r.x, y: r.y });
    return { x, y };
  }
  return null;
}

/** Where the knob is, in image px, for a view scale (screen px per image px). */
export function rotateHandlePoint(r: Region, scale: number): Point | null {
  const d = ROTATE_HANDLE_PX / Math.max(scale, 1e-9);
  if (r.kind === "rect") {
    const [x, y] = rotateXY(r.x + r.width / 2, r.y - d, r.rotation ?? 0, { x: r.x, y: r.y });
    return { x, y };
  }
  if (r.kind === "ellipse") {
    const [x, y] = rotateXY(r.cx, r.cy - r.ry - d, r.rotation ?? 0, { x: r.cx, y: r.cy });
    return { x, y };
  }
  return null;
}

/** Degrees clockwise from `from` to `to` as seen from `c` (image y points down), in (-180, 180]. */
export function angleBetween(c: Point, from: Point, to: Point): number {
  const a = Math.atan2(from.y - c.y, from.x - c.x);
  const b = Math.atan2(to.y - c.y, to.x - c.x);
  let d = ((b - a) * 180) / Math.PI;
  while (d <= -180) d += 360;
  while (d > 180) d -= 360;
  return d;
}

/** Rotate the shape as it was at the start of the drag (never cumulatively), snapping to 15° with shift. */
export function rotateFrom(start: Region, c: Point, grab: Point, now: Point, snap: boolean): Region {
  let deg = angleBetween(c, grab, now);
  if (snap) {
    const base = start.kind === "rect" || start.kind === "ellipse" ? (start.rotation ?? 0) : 0;
    deg = Math.round((base + deg) / 15) * 15 - base;
  }
  if (start.kind === "rect") return rectUtil.rotate(start, deg, c);
  if (start.kind === "ellipse") {
    return { ...start, rotation: (((start.rotation ?? 0) + deg) % 360 + 360) % 360 };
  }
  return start;
}

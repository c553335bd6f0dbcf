// Path builders for the outline kinds, one entry per region kind. Each appends its outline to the
// current path in image pixels, so the caller can batch every region of one colour into a single
// fill + stroke (the cost of a canvas draw is mostly per fill/stroke call, not per vertex).
// Level of detail: a region a few screen pixels wide is drawn as a small box, and big polygons
// skip vertices closer than ~2 screen px: invisible at that zoom, and 5,000 polygons x 20
// vertices at "fit" would otherwise be 100,000 lineTo calls per frame.
import type { Region } from "@/lib/annotation/regions";
import { rectUtil } from "@/lib/annotation/regions/rect";
import type { Bounds } from "@/lib/annotation/geometry";

type Ctx = Pick<CanvasRenderingContext2D, "moveTo" | "lineTo" | "closePath" | "rect" | "ellipse">;

export interface ShapePainter {
  /** Closed outlines are filled; open ones (polylines) only stroked. */
  closed: boolean;
  add(ctx: Ctx, r: Region, scale: number): void;
}

/** Below this many screen px a region is drawn as a box: its shape is not visible anyway. */
export const DOT_PX = 4;

function addPoints(ctx: Ctx, pts: ReadonlyArray<readonly number[]>, scale: number, close: boolean, b: Bounds): void {
  const n = pts.length;
  if (n === 0) return;
  const screen = Math.max(b.maxX - b.minX, b.maxY - b.minY) * scale;
  // About one vertex per 1.5 screen px of extent (at least 8); all of them once it is big.
  const budget = Math.max(8, Math.floor(screen / 1.5));
  const step = n > budget ? Math.ceil(n / budget) : 1;
  const first = pts[0]!;
  ctx.moveTo(first[0]!, first[1]!);
  for (let i = step; i < n; i += step) {
    const p = pts[i]!;
    ctx.lineTo(p[0]!, p[1]!);
  }
  if (!close && (n - 1) % step !== 0) {
    const last = pts[n - 1]!;
    ctx.lineTo(last[0]!, last[1]!);
  }
  if (close) ctx.closePath();
}

const pathPainter = (closed: boolean): ShapePainter => ({
  closed,
  add(ctx, r, scale) {
    if (r.kind !== "polygon" && r.kind !== "polyline") return;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const p of r.points) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
    addPoints(ctx, r.points, scale, closed, { minX, minY, maxX, maxY });
  },
});

export const painters: Partial<Record<Region["kind"], ShapePainter>> = {
  polygon: pathPainter(true),
  polyline: pathPainter(false),
  rect: {
    closed: true,
    add(ctx, r) {
      if (r.kind !== "rect") return;
      if (!r.rotation) {
        ctx.rect(r.x, r.y, r.width, r.height);
        return;
      }
      const v = rectUtil.vertices(r);
      ctx.moveTo(v[0]!.x, v[0]!.y);
      for (let i = 1; i < v.length; i++) ctx.lineTo(v[i]!.x, v[i]!.y);
      ctx.closePath();
    },
  },
  ellipse: {
    closed: true,
    add(ctx, r) {
      if (r.kind !== "ellipse") return;
      const rot = ((r.rotation ?? 0) * Math.PI) / 180;
      // Start the sub-path on the ellipse, or the batch would draw a line from the previous one.
      ctx.moveTo(r.cx + r.rx * Math.cos(rot), r.cy + r.rx * Math.sin(rot));
      ctx.ellipse(r.cx, r.cy, Math.max(0, r.rx), Math.max(0, r.ry), rot, 0, Math.PI * 2);
    },
  },
};

// Paints regions onto a 2D context already transformed to image pixels: culled by the caller,
// batched by colour (one fill + one stroke per colour), with level of detail from painters/.
import type { Bounds } from "@/lib/annotation/geometry";
import type { Region } from "@/lib/annotation/regions";
import { regionBounds } from "@/lib/annotation/selection";
import { paintKeypoints } from "./painters/keypoints";
import { paintMask } from "./painters/mask";
import { DOT_PX, addDot, painters } from "./painters/shapes";

export interface PaintStyle {
  /** Screen px per image px (line widths and level of detail are in screen px). */
  scale: number;
  colorOf(r: Region): string;
  skeletonOf(r: Region): ReadonlyArray<readonly [number, number]>;
  flagged?: ReadonlySet<string>;
  /** Selected look: thicker outline, stronger fill. */
  emphasis?: boolean;
}

export const FLAG_COLOR = "#f97316";

interface Batch {
  closed: Region[];
  open: Region[];
  dots: Bounds[];
}

export function paintRegions(ctx: CanvasRenderingContext2D, regions: Iterable<Region>, style: PaintStyle): number {
  const { scale } = style;
  const batches = new Map<string, Batch>();
  const later: Region[] = [];
  let n = 0;
  for (const r of regions) {
    n++;
    if (r.kind === "keypoints" || r.kind === "mask") {
      later.push(r);
      continue;
    }
    const p = painters[r.kind];
    const b = regionBounds(r);
    if (!p || !b) continue;
    const color = style.colorOf(r);
    let batch = batches.get(color);
    if (!batch) batches.set(color, (batch = { closed: [], open: [], dots: [] }));
    if (!style.emphasis && Math.max(b.maxX - b.minX, b.maxY - b.minY) * scale < DOT_PX) batch.dots.push(b);
    else (p.closed ? batch.closed : batch.open).push(r);
  }
  const lw = (style.emphasis ? 2.5 : 1.5) / scale;
  for (const [color, batch] of batches) {
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    ctx.lineWidth = lw;
    if (batch.closed.length || batch.dots.length) {
      ctx.beginPath();
      for (const r of batch.closed) painters[r.kind]!.add(ctx, r, scale);
      for (const b of batch.dots) addDot(ctx, b, scale);
      ctx.globalAlpha = style.emphasis ? 0.35 : 0.2;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
    }
    if (batch.open.length) {
      ctx.beginPath();
      for (const r of batch.open) painters[r.kind]!.add(ctx, r, scale);
      ctx.stroke();
    }
  }
  for (const r of later) {
    const color = style.colorOf(r);
    if (r.kind === "mask") paintMask(ctx, r, color);
    else if (r.kind === "keypoints") paintKeypoints(ctx, r, scale, color, style.skeletonOf(r), !!style.emphasis);
  }
  // Flagged regions (label removed from the schema) get a dashed warning outline on top.
  if (style.flagged?.size) {
    ctx.save();
    ctx.strokeStyle = FLAG_COLOR;
    ctx.lineWidth = 2.5 / scale;
    ctx.setLineDash([6 / scale, 4 / scale]);
    ctx.beginPath();
    for (const [, batch] of batches) {
      for (const r of [...batch.closed, ...batch.open]) if (style.flagged.has(r.id)) painters[r.kind]!.add(ctx, r, scale);
    }
    for (const r of later) {
      const b = regionBounds(r);
      if (b && style.flagged.has(r.id)) ctx.rect(b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY);
    }
    ctx.stroke();
    ctx.restore();
  }
  return n;
}

// The active layer: what changes while the pointer moves. Selected regions (emphasised), the
// vertex handles of a single selected region, and the current tool's preview. It holds few
// shapes, so it is cheap to redraw on every pointer move; the many other regions stay on the
// static layer, which does not redraw during a drag.
import type { Bounds } from "@/lib/annotation/geometry";
import type { Region } from "@/lib/annotation/regions";
import { utilOf } from "@/lib/annotation/selection";
import { canRotate, rotateHandlePoint } from "@/lib/annotation/tools/rotate-handle";
import type { Preview } from "@/lib/annotation/tools";
import { paintRegions, type PaintStyle } from "./paint-regions";

export const HANDLE_PX = 7;

export interface OverlayArrow {
  from: Bounds;
  to: Bounds;
  label?: string;
  /** Touches the selection: drawn stronger. */
  hot: boolean;
}

export interface OverlayInput {
  selected: readonly Region[];
  /** Relations between visible regions, as arrows from centre to centre. */
  arrows?: readonly OverlayArrow[];
  /** Handles are shown for a single selected, unlocked region when editable. */
  editable: boolean;
  preview: Preview | null;
  previewColor: string;
  style: PaintStyle;
}

export function paintOverlay(ctx: CanvasRenderingContext2D, o: OverlayInput): void {
  const { scale } = o.style;
  if (o.arrows?.length) paintArrows(ctx, o.arrows, scale);
  if (o.selected.length) paintRegions(ctx, o.selected, { ...o.style, emphasis: true });
  const one = o.selected.length === 1 ? o.selected[0]! : null;
  if (one && o.editable && !one.locked) paintHandles(ctx, one, scale);
  if (o.preview) paintPreview(ctx, o.preview, o.previewColor, o.style);
}

const centre = (b: Bounds) => ({ x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 });

function paintArrows(ctx: CanvasRenderingContext2D, arrows: readonly OverlayArrow[], scale: number): void {
  ctx.save();
  ctx.font = `${11 / scale}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  for (const a of arrows) {
    const p = centre(a.from);
    const q = centre(a.to);
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    if (len < 1e-6) continue;
    const ux = (q.x - p.x) / len;
    const uy = (q.y - p.y) / len;
    const head = 9 / scale;
    const color = a.hot ? "#4f46e5" : "rgba(30, 41, 59, 0.75)";
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = (a.hot ? 2.5 : 1.5) / scale;
    ctx.setLineDash(a.hot ? [] : [5 / scale, 3 / scale]);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(q.x - ux * head, q.y - uy * head);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(q.x, q.y);
    ctx.lineTo(q.x - ux * head - uy * head * 0.5, q.y - uy * head + ux * head * 0.5);
    ctx.lineTo(q.x - ux * head + uy * head * 0.5, q.y - uy * head - ux * head * 0.5);
    ctx.closePath();
    ctx.fill();
    if (a.label) {
      const mx = (p.x + q.x) / 2;
      const my = (p.y + q.y) / 2;
      const w = ctx.measureText(a.label).width + 8 / scale;
      ctx.fillStyle = "rgba(255,255,255,0.9)";
      ctx.fillRect(mx - w / 2, my - 8 / scale, w, 16 / scale);
      ctx.fillStyle = color;
      ctx.fillText(a.label, mx, my);
    }
  }
  ctx.restore();
}

function paintHandles(ctx: CanvasRenderingContext2D, r: Region, scale: number): void {
  const util = utilOf(r.kind);
  if (!util || r.kind === "mask") return;
  const verts = util.vertices(r);
  const s = HANDLE_PX / scale;
  ctx.beginPath();
  for (const v of verts) ctx.rect(v.x - s / 2, v.y - s / 2, s, s);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  ctx.lineWidth = 1.25 / scale;
  ctx.strokeStyle = "#0f172a";
  ctx.stroke();
  const knob = canRotate(r) ? rotateHandlePoint(r, scale) : null;
  if (knob) {
    // A round knob above the shape turns it (shift snaps to 15°).
    ctx.beginPath();
    ctx.arc(knob.x, knob.y, (HANDLE_PX / 2 + 1) / scale, 0, Math.PI * 2);
    ctx.fillStyle = "#ffffff";
    ctx.fill();
    ctx.stroke();
  }
}

function box(ctx: CanvasRenderingContext2D, b: Bounds): void {
  ctx.rect(b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY);
}

function paintPreview(ctx: CanvasRenderingContext2D, p: Preview, color: string, style: PaintStyle): void {
  const { scale } = style;
  switch (p.type) {
    case "region":
      paintRegions(ctx, [{ id: "__preview", ...p.region } as Region], { ...style, colorOf: () => color, emphasis: true });
      return;
    case "marquee":
      ctx.save();
      ctx.beginPath();
      box(ctx, p.box);
      ctx.fillStyle = "rgba(79, 70, 229, 0.08)";
      ctx.fill();
      ctx.setLineDash([4 / scale, 3 / scale]);
      ctx.lineWidth = 1 / scale;
      ctx.strokeStyle = "#4f46e5";
      ctx.stroke();
      ctx.restore();
      return;
    case "path": {
      const pts = p.points;
      if (!pts.length) return;
      ctx.beginPath();
      ctx.moveTo(pts[0]![0], pts[0]![1]);
      for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i]![0], pts[i]![1]);
      if (p.cursor) ctx.lineTo(p.cursor[0], p.cursor[1]);
      if (p.closed && pts.length > 2) {
        ctx.globalAlpha = 0.15;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 1;
      }
      ctx.lineWidth = 2 / scale;
      ctx.strokeStyle = color;
      ctx.stroke();
      const s = HANDLE_PX / scale;
      ctx.beginPath();
      for (const q of pts) ctx.rect(q[0] - s / 2, q[1] - s / 2, s, s);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.lineWidth = 1 / scale;
      ctx.stroke();
      if (p.closing) {
        // The first point grows to say "click here to close".
        ctx.beginPath();
        ctx.arc(pts[0]![0], pts[0]![1], (HANDLE_PX + 3) / scale, 0, Math.PI * 2);
        ctx.lineWidth = 2 / scale;
        ctx.stroke();
      }
      return;
    }
    case "keypoints": {
      const placed = p.points;
      paintRegions(ctx, [{ id: "__preview", kind: "keypoints", points: placed.length ? placed : [[0, 0, 0]] } as Region], { ...style, colorOf: () => color, emphasis: true });
      if (p.cursor && p.next) {
        ctx.save();
        ctx.font = `${12 / scale}px system-ui, sans-serif`;
        ctx.fillStyle = "#0f172a";
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = 3 / scale;
        const x = p.cursor[0] + 10 / scale;
        const y = p.cursor[1] - 10 / scale;
        ctx.strokeText(`next: ${p.next}`, x, y);
        ctx.fillText(`next: ${p.next}`, x, y);
        ctx.restore();
      }
      return;
    }
    case "brush":
      paintBrush(ctx, p, color);
      return;
    case "sam":
      paintSam(ctx, p, scale);
      return;
  }
}

/** SAM's mask fill: cyan, whatever the label colour, so it never reads as a saved region. */
export const SAM_MASK_FILL = "rgba(34, 211, 238, 0.38)";

// Click-to-mask: the mask (its polygons, the exact shape Enter creates) filled cyan with a
// white-on-dark outline; dimmed while a newer answer is pending. Include clicks are green "+"
// dots, exclude clicks red "−" dots; the box is dashed.
function paintSam(ctx: CanvasRenderingContext2D, p: Extract<Preview, { type: "sam" }>, scale: number): void {
  ctx.save();
  if (p.mask?.polygons.length) {
    ctx.beginPath();
    for (const poly of p.mask.polygons) {
      const pts = poly.points;
      if (pts.length < 3) continue;
      ctx.moveTo(pts[0]![0], pts[0]![1]);
      for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i]![0], pts[i]![1]);
      ctx.closePath();
    }
    ctx.globalAlpha = p.pending ? 0.55 : 1;
    ctx.fillStyle = SAM_MASK_FILL;
    ctx.fill();
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "rgba(8, 47, 73, 0.85)";
    ctx.stroke();
    ctx.lineWidth = 1.5 / scale;
    ctx.strokeStyle = "#ecfeff";
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  for (const [b, dashed] of [[p.box, false], [p.drag, true]] as const) {
    if (!b) continue;
    ctx.beginPath();
    box(ctx, b);
    ctx.setLineDash(dashed ? [5 / scale, 4 / scale] : []);
    ctx.lineWidth = 2 / scale;
    ctx.strokeStyle = "#0e7490";
    ctx.stroke();
    ctx.setLineDash([4 / scale, 4 / scale]);
    ctx.lineWidth = 1 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.setLineDash([]);
  }
  const r = 6 / scale;
  for (const c of p.clicks) {
    ctx.beginPath();
    ctx.arc(c.x, c.y, r, 0, Math.PI * 2);
    ctx.fillStyle = c.positive ? "#16a34a" : "#dc2626";
    ctx.fill();
    ctx.lineWidth = 1.5 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.beginPath();
    const a = r * 0.55;
    ctx.moveTo(c.x - a, c.y);
    ctx.lineTo(c.x + a, c.y);
    if (c.positive) {
      ctx.moveTo(c.x, c.y - a);
      ctx.lineTo(c.x, c.y + a);
    }
    ctx.lineWidth = 1.75 / scale;
    ctx.stroke();
  }
  ctx.restore();
}

// The stroke raster is the whole mask being edited; we keep one canvas per stroke (keyed by the
// raster array) and repaint only the dirty box on each move.
let brushCanvas: { data: Uint8Array; canvas: HTMLCanvasElement; painted: Bounds | null } | null = null;

function paintBrush(ctx: CanvasRenderingContext2D, p: Extract<Preview, { type: "brush" }>, color: string): void {
  if (!brushCanvas || brushCanvas.data !== p.data) {
    const canvas = brushCanvas?.canvas ?? document.createElement("canvas");
    canvas.width = p.width;
    canvas.height = p.height;
    brushCanvas = { data: p.data, canvas, painted: null };
    repaint(brushCanvas.canvas, p.data, p.width, { minX: 0, minY: 0, maxX: p.width, maxY: p.height }, color);
  } else {
    repaint(brushCanvas.canvas, p.data, p.width, p.dirty, color);
  }
  const smoothing = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(brushCanvas.canvas, 0, 0);
  ctx.imageSmoothingEnabled = smoothing;
}

function repaint(canvas: HTMLCanvasElement, data: Uint8Array, width: number, b: Bounds, color: string): void {
  const x0 = Math.max(0, Math.floor(b.minX));
  const y0 = Math.max(0, Math.floor(b.minY));
  const w = Math.min(canvas.width, Math.ceil(b.maxX)) - x0;
  const h = Math.min(canvas.height, Math.ceil(b.maxY)) - y0;
  if (w <= 0 || h <= 0) return;
  const m = /^#?([0-9a-f]{6})$/i.exec(color);
  const n = m ? parseInt(m[1]!, 16) : 0x64748b;
  const img = new ImageData(w, h);
  const out = img.data;
  for (let y = 0; y < h; y++) {
    const row = (y + y0) * width + x0;
    for (let x = 0; x < w; x++) {
      if (data[row + x] === 0) continue;
      const o = (y * w + x) * 4;
      out[o] = (n >> 16) & 255;
      out[o + 1] = (n >> 8) & 255;
      out[o + 2] = n & 255;
      out[o + 3] = 150;
    }
  }
  canvas.getContext("2d")?.putImageData(img, x0, y0);
}

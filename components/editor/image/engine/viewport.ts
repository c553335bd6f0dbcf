// The canvas view transform: screen = image * scale + (x, y). Pure math, unit-tested, shared by
// input (screen -> image pixels), culling (the image rectangle on screen) and the zoom controls.
import type { Bounds, Point } from "@/lib/annotation/geometry";

export interface View {
  scale: number;
  x: number;
  y: number;
}

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 64;

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** The whole image centred in the viewport with `pad` screen px around it (never above 8x). */
export function fitView(imgW: number, imgH: number, vpW: number, vpH: number, pad = 16): View {
  if (!(imgW > 0 && imgH > 0 && vpW > 0 && vpH > 0)) return { scale: 1, x: 0, y: 0 };
  const scale = clampScale(Math.min((vpW - 2 * pad) / imgW, (vpH - 2 * pad) / imgH, 8));
  return { scale, x: (vpW - imgW * scale) / 2, y: (vpH - imgH * scale) / 2 };
}

/** Zoom by `factor` keeping the image point under `anchor` (screen px) where it is. */
export function zoomAbout(v: View, factor: number, anchor: Point): View {
  if (!(factor > 0) || !Number.isFinite(factor)) return v;
  const scale = clampScale(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: anchor.x - (anchor.x - v.x) * k, y: anchor.y - (anchor.y - v.y) * k };
}

/** Set an absolute scale about an anchor (1:1). */
export const zoomTo = (v: View, scale: number, anchor: Point): View => zoomAbout(v, scale / v.scale, anchor);

export const panBy = (v: View, dx: number, dy: number): View => ({ scale: v.scale, x: v.x + dx, y: v.y + dy });

export const toImage = (v: View, p: Point): Point => ({ x: (p.x - v.x) / v.scale, y: (p.y - v.y) / v.scale });
export const toScreen = (v: View, p: Point): Point => ({ x: p.x * v.scale + v.x, y: p.y * v.scale + v.y });

/** The part of image space the viewport shows (for culling), grown by `margin` screen px. */
export function visibleBounds(v: View, vpW: number, vpH: number, margin = 0): Bounds {
  const a = toImage(v, { x: -margin, y: -margin });
  const b = toImage(v, { x: vpW + margin, y: vpH + margin });
  return { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y };
}

/**
 * The smallest pan (and, if the box does not fit, zoom out) that shows `b` with `pad` px to spare;
 * the view is unchanged when `b` is already fully visible.
 */
export function revealBounds(v: View, b: Bounds, vpW: number, vpH: number, pad = 40): View {
  const bw = b.maxX - b.minX;
  const bh = b.maxY - b.minY;
  let view = v;
  const room = { w: vpW - 2 * pad, h: vpH - 2 * pad };
  if (room.w > 0 && room.h > 0 && (bw * view.scale > room.w || bh * view.scale > room.h)) {
    const scale = clampScale(Math.min(room.w / Math.max(bw, 1e-6), room.h / Math.max(bh, 1e-6)));
    view = { scale, x: view.x, y: view.y };
  }
  const s = toScreen(view, { x: b.minX, y: b.minY });
  const e = toScreen(view, { x: b.maxX, y: b.maxY });
  let dx = 0;
  let dy = 0;
  if (e.x - s.x > vpW - 2 * pad) dx = vpW / 2 - (s.x + e.x) / 2;
  else if (s.x < pad) dx = pad - s.x;
  else if (e.x > vpW - pad) dx = vpW - pad - e.x;
  if (e.y - s.y > vpH - 2 * pad) dy = vpH / 2 - (s.y + e.y) / 2;
  else if (s.y < pad) dy = pad - s.y;
  else if (e.y > vpH - pad) dy = vpH - pad - e.y;
  return panBy(view, dx, dy);
}

/** Wheel delta -> zoom factor: one mouse notch (~100 px) is 1.2x; trackpad pinches are smooth. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const clamped = Math.max(-300, Math.min(300, px));
  return Math.pow(1.2, -clamped / 100);
}

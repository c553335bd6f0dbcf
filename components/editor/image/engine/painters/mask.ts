// Masks: the RLE is rasterised once per region object (regions are immutable, so a WeakMap keyed
// by the object is an exact cache) into a canvas the size of the mask's bounds, tinted with the
// label colour; drawing it per frame is one drawImage.
import type { Region } from "@/lib/annotation/regions";
import { rleBounds } from "@/lib/annotation/regions/mask";

type Mask = Extract<Region, { kind: "mask" }>;
interface Raster {
  canvas: HTMLCanvasElement | OffscreenCanvas;
  x: number;
  y: number;
  color: string;
}

const cache = new WeakMap<Mask, Raster | null>();

function hexRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const n = m ? parseInt(m[1]!, 16) : 0x64748b;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function newCanvas(w: number, h: number): HTMLCanvasElement | OffscreenCanvas {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(w, h);
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  return c;
}

/** Paint the foreground pixels of one RLE into RGBA (only within bounds b). */
export function rasterise(r: Mask, color: string, alpha = 140): { data: Uint8ClampedArray; x: number; y: number; w: number; h: number } | null {
  const b = rleBounds(r.rle, r.width, r.height);
  if (!b) return null;
  const x0 = Math.floor(b.minX);
  const y0 = Math.floor(b.minY);
  const w = Math.max(1, Math.ceil(b.maxX) - x0);
  const h = Math.max(1, Math.ceil(b.maxY) - y0);
  const data = new Uint8ClampedArray(w * h * 4);
  const [cr, cg, cb] = hexRgb(color);
  let i = 0;
  for (let k = 0; k < r.rle.length; k++) {
    const run = r.rle[k]!;
    if (k % 2 === 1) {
      for (let p = i; p < i + run; p++) {
        const py = Math.floor(p / r.width) - y0;
        const px = (p % r.width) - x0;
        if (px < 0 || py < 0 || px >= w || py >= h) continue;
        const o = (py * w + px) * 4;
        data[o] = cr;
        data[o + 1] = cg;
        data[o + 2] = cb;
        data[o + 3] = alpha;
      }
    }
    i += run;
  }
  return { data, x: x0, y: y0, w, h };
}

export function paintMask(ctx: CanvasRenderingContext2D, r: Mask, color: string): void {
  let raster = cache.get(r);
  if (raster === undefined || (raster && raster.color !== color)) {
    const px = rasterise(r, color);
    if (px) {
      const canvas = newCanvas(px.w, px.h);
      const c = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
      c?.putImageData(new ImageData(px.data as Uint8ClampedArray<ArrayBuffer>, px.w, px.h), 0, 0);
      raster = { canvas, x: px.x, y: px.y, color };
    } else raster = null;
    cache.set(r, raster);
  }
  if (!raster) return;
  const smoothing = ctx.imageSmoothingEnabled;
  ctx.imageSmoothingEnabled = false; // crisp pixels when zoomed in: masks are pixel-exact
  ctx.drawImage(raster.canvas as CanvasImageSource, raster.x, raster.y);
  ctx.imageSmoothingEnabled = smoothing;
}

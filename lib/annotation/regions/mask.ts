import { z } from "zod";
import { isFiniteNumber } from "../geometry";
import { regionBase } from "./common";
import { decodeRle, encodeRle, rleBounds, rleForegroundCount } from "./rle";
import type { RegionUtil } from "./types";

export { decodeRle, encodeRle, paintCircle, rleBounds, rleForegroundCount, rleFromPolygon } from "./rle";

/** Row-major run lengths, alternating background/foreground, starting with background. */
export const maskRegion = z
  .object({
    ...regionBase,
    kind: z.literal("mask"),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    rle: z.array(z.number().int().min(0)).max(10_000_000),
  })
  .refine((m) => m.rle.reduce((a, b) => a + b, 0) === m.width * m.height, {
    message: "rle run lengths must add up to width*height",
    path: ["rle"],
  });

export type MaskRegion = z.output<typeof maskRegion>;

// A mask covers the whole image from its origin (width/height = image size), so "moving" one
// means shifting pixels inside that fixed frame.

/**
 * True if some foreground pixel lies within tol of p (tol 0: the pixel under p). Walks the runs
 * once without decoding, so hover tests on large masks stay cheap.
 */
function maskHit(r: MaskRegion, px: number, py: number, tol: number): boolean {
  const { width: w, height: h, rle } = r;
  const t = Math.max(0, tol);
  const rowLo = Math.max(0, Math.floor(py - t)), rowHi = Math.min(h - 1, Math.floor(py + t));
  const colLo = Math.max(0, Math.floor(px - t)), colHi = Math.min(w - 1, Math.floor(px + t));
  if (rowLo > rowHi || colLo > colHi) return false;
  const windowEnd = (rowHi + 1) * w;
  let i = 0;
  for (let k = 0; k < rle.length && i < windowEnd; k++) {
    const run = rle[k]!;
    if (k % 2 === 1 && run > 0 && i + run > rowLo * w) {
      const last = i + run - 1;
      const r0 = Math.max(rowLo, Math.floor(i / w)), r1 = Math.min(rowHi, Math.floor(last / w));
      for (let row = r0; row <= r1; row++) {
        // The part of this run on this row, clipped to the window's columns.
        const c0 = Math.max(colLo, Math.max(i, row * w) - row * w);
        const c1 = Math.min(colHi, Math.min(last, row * w + w - 1) - row * w);
        if (c0 > c1) continue;
        const dx = Math.max(0, c0 - px, px - (c1 + 1));
        const dy = Math.max(0, row - py, py - (row + 1));
        if (Math.hypot(dx, dy) <= t) return true;
      }
    }
    i += run;
  }
  return false;
}

/** Shift pixels by whole pixels; what leaves the frame is dropped, what enters is background. */
function shiftMask(r: MaskRegion, dx: number, dy: number): MaskRegion {
  const { width: w, height: h } = r;
  const src = decodeRle(r.rle, w, h);
  const dst = new Uint8Array(w * h);
  const cFrom = Math.max(0, -dx), cTo = Math.min(w, w - dx); // source columns that stay inside
  if (cTo > cFrom) {
    for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
      dst.set(src.subarray(y * w + cFrom, y * w + cTo), (y + dy) * w + cFrom + dx);
    }
  }
  return { ...r, rle: encodeRle(dst, w, h) };
}

export const maskUtil: RegionUtil<MaskRegion> = {
  kind: "mask",
  schema: maskRegion,

  /** Bounds of the foreground pixels (pixel edges); an empty mask gives a zero box at the origin. */
  bounds: (r) => rleBounds(r.rle, r.width, r.height) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 },

  area: (r) => rleForegroundCount(r.rle),

  hitTest: (r, p, tol) => isFiniteNumber(p.x, p.y, tol) && maskHit(r, p.x, p.y, tol),

  /** Offsets are rounded to whole pixels (masks are pixel grids); pixels moved out are dropped. */
  translate(r, dx, dy) {
    if (!isFiniteNumber(dx, dy)) return r;
    const ix = Math.round(dx), iy = Math.round(dy);
    return ix === 0 && iy === 0 ? r : shiftMask(r, ix, iy);
  },

  /** Not supported: resampling a mask is lossy, and brush/eraser are the way to reshape one. */
  scale: (r) => r,

  /** Not supported, for the same reason as scale. */
  rotate: (r) => r,

  vertices: () => [],

  moveVertex: (r) => r,

  /** The mask's frame is the image, so there is nothing to cut: kept if any foreground, else null. */
  clip: (r) => (rleForegroundCount(r.rle) > 0 ? r : null),
};

import { describe, it, expect } from "vitest";
import {
  maskUtil, maskRegion, encodeRle, decodeRle, paintCircle, rleFromPolygon, rleBounds, rleForegroundCount, type MaskRegion,
} from "@/lib/annotation/regions/mask";

/** A W x H mask with the given pixel box [x0, x1) x [y0, y1) set. */
function boxMask(W: number, H: number, x0: number, y0: number, x1: number, y1: number): MaskRegion {
  const bits = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) bits.fill(1, y * W + x0, y * W + x1);
  return { id: "m1", kind: "mask", label: "blob", width: W, height: H, rle: encodeRle(bits, W, H) };
}

// Deterministic pseudo-random numbers (no flaky tests).
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe("RLE helpers", () => {
  it("encode uses the canonical form (leading background run, no zero runs after it)", () => {
    expect(encodeRle(new Uint8Array([0, 0, 1, 1, 0]), 5, 1)).toEqual([2, 2, 1]);
    expect(encodeRle(new Uint8Array([1, 1, 0]), 3, 1)).toEqual([0, 2, 1]);
    expect(encodeRle(new Uint8Array([0, 0, 0, 0]), 2, 2)).toEqual([4]);
    expect(encodeRle(new Uint8Array([1, 1, 1, 1]), 2, 2)).toEqual([0, 4]);
    expect(encodeRle(new Uint8Array([0, 5, 255, 0]), 2, 2)).toEqual([1, 2, 1]);
    // Shorter input: the rest is background.
    expect(encodeRle(new Uint8Array([1]), 2, 2)).toEqual([0, 1, 3]);
    expect(encodeRle(new Uint8Array([]), 2, 2)).toEqual([4]);
  });

  it("round-trips random masks of many densities and shapes", () => {
    const rand = rng(42);
    for (const [W, H, density] of [[1, 1, 0.5], [7, 3, 0.1], [64, 48, 0.5], [100, 1, 0.9], [33, 77, 0.02]] as const) {
      for (let trial = 0; trial < 5; trial++) {
        const bits = new Uint8Array(W * H);
        for (let i = 0; i < bits.length; i++) bits[i] = rand() < density ? 1 : 0;
        const rle = encodeRle(bits, W, H);
        expect(rle.reduce((a, b) => a + b, 0)).toBe(W * H);
        expect(rle.slice(1).every((n) => n > 0)).toBe(true);
        expect(decodeRle(rle, W, H)).toEqual(bits);
        expect(rleForegroundCount(rle)).toBe(bits.reduce((a, b) => a + b, 0));
      }
    }
  });

  it("round-trips a 4000x3000 mask", () => {
    const W = 4000, H = 3000;
    const bits = new Uint8Array(W * H);
    const rand = rng(7);
    for (let k = 0; k < 200; k++) paintCircle(bits, W, H, rand() * W, rand() * H, 5 + rand() * 200, k % 5 === 4 ? 0 : 1);
    const rle = encodeRle(bits, W, H);
    const back = decodeRle(rle, W, H);
    expect(back.length).toBe(W * H);
    let diff = 0;
    for (let i = 0; i < back.length; i++) diff += back[i] !== bits[i] ? 1 : 0;
    expect(diff).toBe(0);
    expect(maskRegion.safeParse({ id: "m", kind: "mask", width: W, height: H, rle }).success).toBe(true);
  });

  it("decode tolerates a short or overlong rle", () => {
    expect(decodeRle([1, 1], 2, 2)).toEqual(new Uint8Array([0, 1, 0, 0]));
    expect(decodeRle([0, 10], 2, 2)).toEqual(new Uint8Array([1, 1, 1, 1]));
  });

  it("paintCircle area is close to πr², erases, and clips at the raster edge", () => {
    const W = 200, H = 200;
    for (const r of [10, 25.5, 60]) {
      const bits = new Uint8Array(W * H);
      paintCircle(bits, W, H, 100.3, 99.8, r, 1);
      const n = rleForegroundCount(encodeRle(bits, W, H));
      expect(Math.abs(n - Math.PI * r * r) / (Math.PI * r * r)).toBeLessThan(0.02);
    }
    const bits = new Uint8Array(W * H).fill(1);
    paintCircle(bits, W, H, 100, 100, 20, 0);
    expect(W * H - rleForegroundCount(encodeRle(bits, W, H))).toBeGreaterThan(Math.PI * 400 * 0.98);
    const edge = new Uint8Array(W * H);
    paintCircle(edge, W, H, 0, 0, 30, 1); // a quarter disc survives
    const q = rleForegroundCount(encodeRle(edge, W, H));
    expect(Math.abs(q - (Math.PI * 900) / 4) / ((Math.PI * 900) / 4)).toBeLessThan(0.05);
    const none = new Uint8Array(4);
    paintCircle(none, 2, 2, NaN, 0, 3, 1);
    expect(none).toEqual(new Uint8Array(4));
  });

  it("rleFromPolygon: a square fills exactly its pixels; a triangle about half its box", () => {
    const rle = rleFromPolygon([[10, 10], [20, 10], [20, 20], [10, 20]], 50, 40);
    expect(rleForegroundCount(rle)).toBe(100);
    expect(rleBounds(rle, 50, 40)).toEqual({ minX: 10, minY: 10, maxX: 20, maxY: 20 });
    expect(rleForegroundCount(rleFromPolygon([[0, 0], [50, 0], [50, 40], [0, 40]], 50, 40))).toBe(2000);
    // Clipped by the raster: only the inside part is painted.
    expect(rleForegroundCount(rleFromPolygon([[-10, -10], [5, -10], [5, 5], [-10, 5]], 50, 40))).toBe(25);
    const tri = rleForegroundCount(rleFromPolygon([[0, 0], [40, 0], [0, 40]], 50, 40));
    expect(Math.abs(tri - 800)).toBeLessThan(40);
    expect(rleFromPolygon([[0, 0], [1, 1]], 4, 4)).toEqual([16]);
  });

  it("rleBounds handles runs that wrap rows", () => {
    // 4x3, foreground from (3,0) to (1,1): wraps, so columns 0..3 and rows 0..1.
    expect(rleBounds([3, 3, 6], 4, 3)).toEqual({ minX: 0, minY: 0, maxX: 4, maxY: 2 });
    expect(rleBounds([12], 4, 3)).toBeNull();
  });
});

describe("mask util", () => {
  const W = 40, H = 30;

  it("bounds and area from the runs", () => {
    const m = boxMask(W, H, 5, 6, 15, 10);
    expect(maskUtil.bounds(m)).toEqual({ minX: 5, minY: 6, maxX: 15, maxY: 10 });
    expect(maskUtil.area(m)).toBe(40);
    expect(maskUtil.bounds(boxMask(W, H, 0, 0, 0, 0))).toEqual({ minX: 0, minY: 0, maxX: 0, maxY: 0 });
  });

  it("hitTest: the pixel under p, or any foreground pixel within tol", () => {
    const m = boxMask(W, H, 5, 6, 15, 10);
    expect(maskUtil.hitTest(m, { x: 5.5, y: 6.5 }, 0)).toBe(true);
    expect(maskUtil.hitTest(m, { x: 14.99, y: 9.99 }, 0)).toBe(true);
    expect(maskUtil.hitTest(m, { x: 15.5, y: 8 }, 0)).toBe(false);
    expect(maskUtil.hitTest(m, { x: 17, y: 8 }, 2.5)).toBe(true);
    expect(maskUtil.hitTest(m, { x: 17, y: 8 }, 1.5)).toBe(false);
    expect(maskUtil.hitTest(m, { x: 17, y: 12 }, 2.5)).toBe(false); // corner distance √8 ≈ 2.83
    expect(maskUtil.hitTest(m, { x: 17, y: 12 }, 2.9)).toBe(true);
    expect(maskUtil.hitTest(m, { x: -1, y: 8 }, 0)).toBe(false);
    expect(maskUtil.hitTest(m, { x: 100, y: 100 }, 3)).toBe(false);
  });

  it("translate shifts whole pixels and drops what leaves the frame", () => {
    const m = boxMask(W, H, 5, 6, 15, 10);
    const t = maskUtil.translate(m, 3, -2);
    expect(maskUtil.bounds(t)).toEqual({ minX: 8, minY: 4, maxX: 18, maxY: 8 });
    expect(maskUtil.area(t)).toBe(40);
    expect(t).toMatchObject({ id: "m1", label: "blob", width: W, height: H });
    expect(maskRegion.safeParse(t).success).toBe(true);
    const off = maskUtil.translate(m, -10, 0); // columns 5..14 -> -5..4: half is dropped
    expect(maskUtil.bounds(off)).toEqual({ minX: 0, minY: 6, maxX: 5, maxY: 10 });
    expect(maskUtil.area(off)).toBe(20);
    expect(maskUtil.area(maskUtil.translate(m, 0, 25))).toBe(0);
    expect(maskUtil.translate(m, 0.4, -0.4)).toBe(m);
    expect(maskUtil.translate(m, 1.6, 0).rle).toEqual(maskUtil.translate(m, 2, 0).rle);
  });

  it("scale/rotate are no-ops; no vertices; clip keeps any foreground", () => {
    const m = boxMask(W, H, 5, 6, 15, 10);
    expect(maskUtil.scale(m, 2, 2, { x: 0, y: 0 })).toBe(m);
    expect(maskUtil.rotate(m, 90, { x: 0, y: 0 })).toBe(m);
    expect(maskUtil.vertices(m)).toEqual([]);
    expect(maskUtil.moveVertex(m, 0, { x: 1, y: 1 })).toBe(m);
    expect(maskUtil.clip(m, W, H)).toBe(m);
    // Foreground against each edge still clips to itself.
    for (const [x0, y0, x1, y1] of [[0, 5, 3, 8], [37, 5, 40, 8], [5, 0, 8, 3], [5, 27, 8, 30]] as const) {
      const e = boxMask(W, H, x0, y0, x1, y1);
      expect(maskUtil.clip(e, W, H)).toBe(e);
    }
    expect(maskUtil.clip(boxMask(W, H, 0, 0, 0, 0), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const m = boxMask(W, H, 5, 6, 15, 10);
    const snap = structuredClone(m);
    maskUtil.translate(m, 3, 3);
    maskUtil.clip(m, W, H);
    maskUtil.hitTest(m, { x: 6, y: 7 }, 2);
    expect(m).toEqual(snap);
  });
});

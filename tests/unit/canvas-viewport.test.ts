import { describe, expect, it } from "vitest";
import { fitView, panBy, revealBounds, toImage, toScreen, visibleBounds, wheelFactor, zoomAbout, zoomTo, MAX_SCALE, MIN_SCALE } from "@/components/editor/image/engine/viewport";

describe("canvas viewport", () => {
  it("fits a 4000x3000 image into 1600x1000 with padding, centred", () => {
    const v = fitView(4000, 3000, 1600, 1000, 16);
    expect(v.scale).toBeCloseTo((1000 - 32) / 3000);
    const tl = toScreen(v, { x: 0, y: 0 });
    const br = toScreen(v, { x: 4000, y: 3000 });
    expect(tl.y).toBeCloseTo(16);
    expect(br.y).toBeCloseTo(1000 - 16);
    expect((tl.x + br.x) / 2).toBeCloseTo(800);
  });

  it("does not blow small images up past 8x and survives zero sizes", () => {
    expect(fitView(10, 10, 1600, 1000).scale).toBe(8);
    expect(fitView(0, 10, 1600, 1000)).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it("keeps the image point under the pointer fixed while zooming", () => {
    const v = { scale: 0.5, x: 100, y: 50 };
    const anchor = { x: 400, y: 300 };
    const before = toImage(v, anchor);
    const z = zoomAbout(v, 1.7, anchor);
    expect(z.scale).toBeCloseTo(0.85);
    const after = toImage(z, anchor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("clamps the scale and ignores bad factors", () => {
    const v = { scale: 1, x: 0, y: 0 };
    expect(zoomAbout(v, 1e9, { x: 0, y: 0 }).scale).toBe(MAX_SCALE);
    expect(zoomAbout(v, 1e-9, { x: 0, y: 0 }).scale).toBe(MIN_SCALE);
    expect(zoomAbout(v, NaN, { x: 0, y: 0 })).toBe(v);
    expect(zoomAbout(v, -2, { x: 0, y: 0 })).toBe(v);
    expect(zoomTo({ scale: 0.25, x: 10, y: 10 }, 1, { x: 0, y: 0 }).scale).toBe(1);
  });

  it("round-trips screen and image coordinates and pans", () => {
    const v = panBy({ scale: 2, x: 10, y: 20 }, 5, -5);
    expect(v).toEqual({ scale: 2, x: 15, y: 15 });
    const p = { x: 123.5, y: 77.25 };
    const back = toImage(v, toScreen(v, p));
    expect(back.x).toBeCloseTo(p.x);
    expect(back.y).toBeCloseTo(p.y);
  });

  it("reports the visible image rectangle for culling", () => {
    const b = visibleBounds({ scale: 2, x: -200, y: -100 }, 800, 600);
    expect(b).toEqual({ minX: 100, minY: 50, maxX: 500, maxY: 350 });
    const m = visibleBounds({ scale: 2, x: -200, y: -100 }, 800, 600, 20);
    expect(m.minX).toBe(90);
    expect(m.maxY).toBe(360);
  });

  it("reveals a region: unchanged when visible, panned when off screen, zoomed out when too big", () => {
    const v = { scale: 1, x: 0, y: 0 };
    expect(revealBounds(v, { minX: 100, minY: 100, maxX: 200, maxY: 200 }, 800, 600)).toEqual(v);
    const panned = revealBounds(v, { minX: 1000, minY: 100, maxX: 1100, maxY: 200 }, 800, 600);
    expect(panned.scale).toBe(1);
    const r = toScreen(panned, { x: 1100, y: 200 });
    expect(r.x).toBeLessThanOrEqual(800 - 40 + 1e-9);
    const big = revealBounds(v, { minX: 0, minY: 0, maxX: 3000, maxY: 3000 }, 800, 600);
    expect(big.scale).toBeLessThan(1);
    const tl = toScreen(big, { x: 0, y: 0 });
    const br = toScreen(big, { x: 3000, y: 3000 });
    expect(tl.y).toBeGreaterThanOrEqual(40 - 1e-6);
    expect(br.y).toBeLessThanOrEqual(560 + 1e-6);
  });

  it("turns wheel deltas into zoom factors: down zooms out, up zooms in, huge deltas are capped", () => {
    expect(wheelFactor(100, 0)).toBeCloseTo(1 / 1.2);
    expect(wheelFactor(-100, 0)).toBeCloseTo(1.2);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(99, 0));
    expect(wheelFactor(-1e6, 0)).toBeCloseTo(Math.pow(1.2, 3));
  });
});

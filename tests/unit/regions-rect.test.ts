import { describe, it, expect } from "vitest";
import { rectUtil, rectRegion, type RectRegion } from "@/lib/annotation/regions/rect";

const rect = (o: Partial<RectRegion> = {}): RectRegion =>
  Object.freeze({ id: "r1", kind: "rect", label: "car", attributes: { a: 1 }, x: 10, y: 20, width: 40, height: 30, rotation: 0, ...o }) as RectRegion;

const close = (a: RectRegion, b: RectRegion, eps = 1e-9) => {
  for (const k of ["x", "y", "width", "height", "rotation"] as const) expect(Math.abs(a[k] - b[k])).toBeLessThan(eps);
};

describe("rect util", () => {
  it("bounds and area, axis-aligned and rotated", () => {
    expect(rectUtil.bounds(rect())).toEqual({ minX: 10, minY: 20, maxX: 50, maxY: 50 });
    expect(rectUtil.area(rect())).toBe(1200);
    // 90° clockwise about the top-left: the box now hangs down-left of (10, 20).
    const b = rectUtil.bounds(rect({ rotation: 90 }));
    expect(b).toEqual({ minX: -20, minY: 20, maxX: 10, maxY: 60 });
    const b45 = rectUtil.bounds(rect({ x: 0, y: 0, width: 10, height: 10, rotation: 45 }));
    expect(b45.minX).toBeCloseTo(-Math.SQRT2 * 5, 9);
    expect(b45.maxX).toBeCloseTo(Math.SQRT2 * 5, 9);
    expect(b45.maxY).toBeCloseTo(Math.SQRT2 * 10, 9);
    expect(rectUtil.area(rect({ rotation: 33 }))).toBe(1200);
  });

  it("hitTest inside, outside and near an edge, also when rotated", () => {
    const r = rect();
    expect(rectUtil.hitTest(r, { x: 30, y: 30 }, 0)).toBe(true);
    expect(rectUtil.hitTest(r, { x: 5, y: 30 }, 0)).toBe(false);
    expect(rectUtil.hitTest(r, { x: 52, y: 30 }, 3)).toBe(true);
    expect(rectUtil.hitTest(r, { x: 52, y: 30 }, 1)).toBe(false);
    // Corner tolerance is round: (53, 53) is 3√2 ≈ 4.24 from the corner (50, 50).
    expect(rectUtil.hitTest(r, { x: 53, y: 53 }, 4)).toBe(false);
    expect(rectUtil.hitTest(r, { x: 53, y: 53 }, 4.3)).toBe(true);
    const rot = rect({ rotation: 90 });
    expect(rectUtil.hitTest(rot, { x: 0, y: 40 }, 0)).toBe(true);
    expect(rectUtil.hitTest(rot, { x: 30, y: 30 }, 0)).toBe(false);
  });

  it("translate keeps everything else", () => {
    const r = rect();
    const t = rectUtil.translate(r, 5, -5);
    expect(t).toMatchObject({ x: 15, y: 15, width: 40, height: 30, id: "r1", label: "car", attributes: { a: 1 } });
  });

  it("scale about an anchor; negative factors flip and normalise", () => {
    const r = rect();
    expect(rectUtil.scale(r, 2, 0.5, { x: 10, y: 20 })).toMatchObject({ x: 10, y: 20, width: 80, height: 15 });
    expect(rectUtil.scale(r, 2, 2, { x: 50, y: 50 })).toMatchObject({ x: -30, y: -10, width: 80, height: 60 });
    expect(rectUtil.scale(r, -1, 1, { x: 10, y: 20 })).toMatchObject({ x: -30, y: 20, width: 40, height: 30 });
    const z = rectUtil.scale(r, 0, 0, { x: 0, y: 0 });
    expect(z.width).toBeGreaterThan(0);
    expect(rectRegion.safeParse(z).success).toBe(true);
    expect(rectUtil.scale(r, NaN, 1, { x: 0, y: 0 })).toBe(r);
  });

  it("scale of a rotated box works in the box frame and keeps the anchor fixed", () => {
    const r = rect({ rotation: 30 });
    const [, , br] = rectUtil.vertices(r);
    const s = rectUtil.scale(r, 0.5, 2, br!);
    expect(s.rotation).toBe(30);
    expect(s.width).toBeCloseTo(20, 9);
    expect(s.height).toBeCloseTo(60, 9);
    const br2 = rectUtil.vertices(s)[2]!;
    expect(br2.x).toBeCloseTo(br!.x, 9);
    expect(br2.y).toBeCloseTo(br!.y, 9);
  });

  it("rotate accumulates, moves the top-left pivot, and four quarter turns return to the start", () => {
    const r = rect({ rotation: 10 });
    const c = { x: 30, y: 35 };
    const q = rectUtil.rotate(r, 90, c);
    expect(q.rotation).toBe(100);
    // (10, 20) is up-left of the centre; a clockwise quarter turn takes it up-right.
    expect(q.x).toBeCloseTo(45, 9);
    expect(q.y).toBeCloseTo(15, 9);
    let x = r;
    for (let i = 0; i < 4; i++) x = rectUtil.rotate(x, 90, c);
    close(x, r);
    close(rectUtil.rotate(rectUtil.rotate(r, 37.5, { x: 3, y: -8 }), -37.5, { x: 3, y: -8 }), r);
    // Turning about the box centre keeps the centre: bounds stay centred.
    const b0 = rectUtil.bounds(r);
    const rc = rectUtil.rotate(r, 63, { x: (b0.minX + b0.maxX) / 2, y: (b0.minY + b0.maxY) / 2 });
    const vs = rectUtil.vertices(rc);
    const cx = vs.reduce((a, v) => a + v.x, 0) / 4;
    const v0 = rectUtil.vertices(r);
    expect(cx).toBeCloseTo(v0.reduce((a, v) => a + v.x, 0) / 4, 9);
  });

  it("vertices are TL, TR, BR, BL, turned with the box", () => {
    expect(rectUtil.vertices(rect())).toEqual([{ x: 10, y: 20 }, { x: 50, y: 20 }, { x: 50, y: 50 }, { x: 10, y: 50 }]);
    const v = rectUtil.vertices(rect({ rotation: 90 }));
    expect(v).toEqual([{ x: 10, y: 20 }, { x: 10, y: 60 }, { x: -20, y: 60 }, { x: -20, y: 20 }]);
  });

  it("moveVertex resizes with the opposite corner fixed, and normalises a flipped box", () => {
    const r = rect();
    expect(rectUtil.moveVertex(r, 2, { x: 60, y: 70 })).toMatchObject({ x: 10, y: 20, width: 50, height: 50 });
    expect(rectUtil.moveVertex(r, 0, { x: 0, y: 0 })).toMatchObject({ x: 0, y: 0, width: 50, height: 50 });
    // Drag TL past BR: the box flips over (50, 50).
    expect(rectUtil.moveVertex(r, 0, { x: 70, y: 60 })).toMatchObject({ x: 50, y: 50, width: 20, height: 10 });
    expect(rectUtil.moveVertex(r, 1, { x: 20, y: 10 })).toMatchObject({ x: 10, y: 10, width: 10, height: 40 });
    expect(rectUtil.moveVertex(r, 4, { x: 0, y: 0 })).toBe(r);
    // Rotated: the opposite corner stays where it was.
    const rr = rect({ rotation: 25 });
    const tl = rectUtil.vertices(rr)[0]!;
    const m = rectUtil.moveVertex(rr, 2, { x: 80, y: 90 });
    const v = rectUtil.vertices(m);
    expect(v[0]!.x).toBeCloseTo(tl.x, 9);
    expect(v[0]!.y).toBeCloseTo(tl.y, 9);
    expect(m.rotation).toBe(25);
    // Collapsing onto the opposite corner keeps a positive (tiny) size.
    const c = rectUtil.moveVertex(r, 2, { x: 10, y: 20 });
    expect(rectRegion.safeParse(c).success).toBe(true);
  });

  it("clip of an axis-aligned box intersects it with the image at each edge", () => {
    const W = 100, H = 80;
    expect(rectUtil.clip(rect(), W, H)).toEqual(rect());
    expect(rectUtil.clip(rect({ x: -10 }), W, H)).toMatchObject({ x: 0, width: 30 });
    expect(rectUtil.clip(rect({ y: -10 }), W, H)).toMatchObject({ y: 0, height: 20 });
    expect(rectUtil.clip(rect({ x: 80 }), W, H)).toMatchObject({ x: 80, width: 20 });
    expect(rectUtil.clip(rect({ y: 70 }), W, H)).toMatchObject({ y: 70, height: 10 });
    expect(rectUtil.clip(rect({ x: 100 }), W, H)).toBeNull();
    expect(rectUtil.clip(rect({ x: -40 }), W, H)).toBeNull();
    expect(rectUtil.clip(rect({ y: 200 }), W, H)).toBeNull();
    // 360° is axis-aligned too.
    expect(rectUtil.clip(rect({ x: -10, rotation: 360 }), W, H)).toMatchObject({ x: 0, width: 30 });
    // So is 90°: the box hangs left of its pivot (10, 20), covering x in [-20, 10]; it is cut, not moved.
    const q = rectUtil.clip(rect({ rotation: 90 }), W, H)!;
    expect(q.rotation).toBe(90);
    expect(rectUtil.bounds(q)).toEqual({ minX: 0, minY: 20, maxX: 10, maxY: 60 });
    const h = rectUtil.clip(rect({ x: 110, y: 90, rotation: 180 }), W, H)!; // covers [70,110]x[60,90]
    expect(h.rotation).toBe(180);
    expect(rectUtil.bounds(h)).toEqual({ minX: 70, minY: 60, maxX: 100, maxY: 80 });
    expect(rectUtil.clip(rect({ x: -21, rotation: 90 }), W, H)).toBeNull();
  });

  it("clip of a rotated box moves (or shrinks) it so its bounds fit, or drops it when outside", () => {
    const W = 100, H = 80;
    const inside = rect({ x: 50, y: 10, rotation: 30 });
    expect(rectUtil.clip(inside, W, H)).toBe(inside);
    for (const o of [{ x: -5 }, { x: 75 }, { y: -15 }, { y: 75 }]) {
      const c = rectUtil.clip(rect({ ...o, rotation: 20 }), W, H)!;
      expect(c).not.toBeNull();
      const b = rectUtil.bounds(c);
      expect(b.minX).toBeGreaterThanOrEqual(-1e-9);
      expect(b.minY).toBeGreaterThanOrEqual(-1e-9);
      expect(b.maxX).toBeLessThanOrEqual(W + 1e-9);
      expect(b.maxY).toBeLessThanOrEqual(H + 1e-9);
      expect(c.width).toBeCloseTo(40, 9);
      expect(c.rotation).toBe(20);
    }
    const big = rectUtil.clip(rect({ x: 10, y: 10, width: 300, height: 200, rotation: 45 }), W, H)!;
    const bb = rectUtil.bounds(big);
    expect(bb.maxX - bb.minX).toBeLessThanOrEqual(W + 1e-9);
    expect(bb.maxY - bb.minY).toBeLessThanOrEqual(H + 1e-9);
    expect(big.width / big.height).toBeCloseTo(1.5, 9);
    expect(rectUtil.clip(rect({ x: 200, rotation: 20 }), W, H)).toBeNull();
    // Bounds overlap the image corner but the rotated box itself does not.
    expect(rectUtil.clip(rect({ x: -10, y: -10, width: 10, height: 10, rotation: 45 }), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const r = rect({ rotation: 15 });
    const snap = structuredClone(r);
    rectUtil.translate(r, 1, 2);
    rectUtil.scale(r, 2, 3, { x: 1, y: 1 });
    rectUtil.rotate(r, 30, { x: 0, y: 0 });
    rectUtil.moveVertex(r, 1, { x: 0, y: 0 });
    rectUtil.clip(r, 20, 20);
    expect(r).toEqual(snap);
  });
});

import { describe, it, expect } from "vitest";
import { ellipseUtil, ellipseRegion, distanceToEllipseOutline, type EllipseRegion } from "@/lib/annotation/regions/ellipse";

const ell = (o: Partial<EllipseRegion> = {}): EllipseRegion => ({ id: "e1", kind: "ellipse", label: "cell", cx: 50, cy: 40, rx: 20, ry: 10, rotation: 0, ...o });
const closeE = (a: EllipseRegion, b: EllipseRegion, eps = 1e-9) => {
  for (const k of ["cx", "cy", "rx", "ry", "rotation"] as const) expect(Math.abs(a[k] - b[k])).toBeLessThan(eps);
};

describe("ellipse util", () => {
  it("exact bounds of the rotated ellipse; area π·rx·ry", () => {
    expect(ellipseUtil.bounds(ell())).toEqual({ minX: 30, minY: 30, maxX: 70, maxY: 50 });
    expect(ellipseUtil.bounds(ell({ rotation: 90 }))).toEqual({ minX: 40, minY: 20, maxX: 60, maxY: 60 });
    // Compare with a dense sampling of the outline at 30°.
    const r = ell({ rotation: 30 });
    const b = ellipseUtil.bounds(r);
    let maxX = -Infinity, maxY = -Infinity;
    const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
    for (let k = 0; k < 100_000; k++) {
      const t = (2 * Math.PI * k) / 100_000;
      const lx = 20 * Math.cos(t), ly = 10 * Math.sin(t);
      maxX = Math.max(maxX, 50 + lx * c - ly * s);
      maxY = Math.max(maxY, 40 + lx * s + ly * c);
    }
    expect(b.maxX).toBeCloseTo(maxX, 6);
    expect(b.maxY).toBeCloseTo(maxY, 6);
    expect(b.maxX).toBeGreaterThanOrEqual(maxX);
    expect(ellipseUtil.area(r)).toBeCloseTo(Math.PI * 200, 12);
  });

  it("hitTest inside, outside, near the outline with tol, rotated", () => {
    const r = ell();
    expect(ellipseUtil.hitTest(r, { x: 50, y: 40 }, 0)).toBe(true);
    expect(ellipseUtil.hitTest(r, { x: 69, y: 40 }, 0)).toBe(true);
    expect(ellipseUtil.hitTest(r, { x: 72, y: 40 }, 0)).toBe(false);
    expect(ellipseUtil.hitTest(r, { x: 72, y: 40 }, 2.5)).toBe(true);
    expect(ellipseUtil.hitTest(r, { x: 50, y: 52 }, 1.5)).toBe(false);
    expect(ellipseUtil.hitTest(r, { x: 50, y: 52 }, 2.5)).toBe(true);
    // Inside the bounding box corner but well outside the ellipse.
    expect(ellipseUtil.hitTest(r, { x: 68, y: 49 }, 1)).toBe(false);
    const rot = ell({ rotation: 90 });
    expect(ellipseUtil.hitTest(rot, { x: 50, y: 58 }, 0)).toBe(true);
    expect(ellipseUtil.hitTest(rot, { x: 65, y: 40 }, 0)).toBe(false);
  });

  it("distanceToEllipseOutline matches known cases and handles a flat ellipse", () => {
    expect(distanceToEllipseOutline(20, 10, 25, 0)).toBeCloseTo(5, 9);
    expect(distanceToEllipseOutline(20, 10, 0, -13)).toBeCloseTo(3, 9);
    expect(distanceToEllipseOutline(5, 5, 3, 4)).toBeCloseTo(0, 9);
    expect(distanceToEllipseOutline(5, 5, 6, 8)).toBeCloseTo(5, 9);
    expect(distanceToEllipseOutline(0, 5, 3, 2)).toBe(3);
    expect(Number.isNaN(distanceToEllipseOutline(0, 0, 0, 0))).toBe(false);
  });

  it("translate, scale (own frame), rotate", () => {
    const r = ell();
    expect(ellipseUtil.translate(r, 5, 5)).toMatchObject({ cx: 55, cy: 45, rx: 20, ry: 10 });
    expect(ellipseUtil.scale(r, 2, 3, { x: 30, y: 30 })).toMatchObject({ cx: 70, cy: 60, rx: 40, ry: 30 });
    expect(ellipseUtil.scale(r, -1, 1, { x: 30, y: 40 })).toMatchObject({ cx: 10, rx: 20 });
    expect(ellipseRegion.safeParse(ellipseUtil.scale(r, 0, 0, { x: 0, y: 0 })).success).toBe(true);
    // Rotated: scaling about the right handle doubles rx and keeps that handle fixed.
    const rr = ell({ rotation: 40 });
    const right = ellipseUtil.vertices(rr)[0]!;
    const s = ellipseUtil.scale(rr, 2, 1, right);
    expect(s.rx).toBeCloseTo(40, 9);
    expect(s.rotation).toBe(40);
    const left = ellipseUtil.vertices(s)[0]!;
    expect(left.x).toBeCloseTo(right.x, 9);
    expect(left.y).toBeCloseTo(right.y, 9);
    const c = { x: 7, y: 9 };
    let x = rr;
    for (let i = 0; i < 4; i++) x = ellipseUtil.rotate(x, 90, c);
    closeE(x, rr);
    closeE(ellipseUtil.rotate(ellipseUtil.rotate(rr, 200, c), -200, c), rr);
    expect(ellipseUtil.rotate(r, 90, { x: 50, y: 40 })).toMatchObject({ cx: 50, cy: 40, rotation: 90 });
  });

  it("vertices are right, bottom, left, top handles; moveVertex sets the matching radius", () => {
    const r = ell();
    expect(ellipseUtil.vertices(r)).toEqual([{ x: 70, y: 40 }, { x: 50, y: 50 }, { x: 30, y: 40 }, { x: 50, y: 30 }]);
    const v = ellipseUtil.vertices(ell({ rotation: 90 }));
    expect(v[0]).toEqual({ x: 50, y: 60 }); // rx axis now points down
    expect(ellipseUtil.moveVertex(r, 0, { x: 80, y: 45 })).toMatchObject({ cx: 50, cy: 40, rx: 30, ry: 10 });
    expect(ellipseUtil.moveVertex(r, 3, { x: 50, y: 25 })).toMatchObject({ rx: 20, ry: 15 });
    expect(ellipseUtil.moveVertex(r, 2, { x: 45, y: 40 })).toMatchObject({ rx: 5 });
    expect(ellipseRegion.safeParse(ellipseUtil.moveVertex(r, 1, { x: 50, y: 40 })).success).toBe(true);
    expect(ellipseUtil.moveVertex(r, 4, { x: 0, y: 0 })).toBe(r);
  });

  it("clip keeps it unchanged while its bounds meet the image, else null (each edge)", () => {
    const W = 100, H = 80;
    for (const o of [{ cx: -10 }, { cx: 110 }, { cy: -5 }, { cy: 85 }]) {
      const r = ell(o);
      expect(ellipseUtil.clip(r, W, H)).toBe(r);
    }
    for (const o of [{ cx: -21 }, { cx: 121 }, { cy: -11 }, { cy: 91 }]) expect(ellipseUtil.clip(ell(o), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const r = ell({ rotation: 12 });
    const snap = structuredClone(r);
    ellipseUtil.translate(r, 1, 2);
    ellipseUtil.scale(r, 2, 2, { x: 0, y: 0 });
    ellipseUtil.rotate(r, 45, { x: 0, y: 0 });
    ellipseUtil.moveVertex(r, 0, { x: 0, y: 0 });
    ellipseUtil.clip(r, 15, 15);
    expect(r).toEqual(snap);
  });
});

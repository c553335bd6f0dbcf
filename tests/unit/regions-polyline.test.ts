import { describe, it, expect } from "vitest";
import { polylineUtil, insertVertex, removeVertex, nearestEdge, type PolylineRegion } from "@/lib/annotation/regions/polyline";

const line = (points: Array<[number, number]>): PolylineRegion => ({ id: "l1", kind: "polyline", label: "lane", points });
const zig = () => line([[10, 10], [30, 10], [30, 30]]);

describe("polyline util", () => {
  it("bounds; area is 0", () => {
    expect(polylineUtil.bounds(zig())).toEqual({ minX: 10, minY: 10, maxX: 30, maxY: 30 });
    expect(polylineUtil.area(zig())).toBe(0);
  });

  it("hitTest: within tol of a segment only (the line is open)", () => {
    const r = zig();
    expect(polylineUtil.hitTest(r, { x: 20, y: 11 }, 2)).toBe(true);
    expect(polylineUtil.hitTest(r, { x: 20, y: 13 }, 2)).toBe(false);
    expect(polylineUtil.hitTest(r, { x: 20, y: 10 }, 0)).toBe(true);
    // Inside the "triangle" the line would enclose if it were closed: not a hit.
    expect(polylineUtil.hitTest(r, { x: 25, y: 15 }, 1)).toBe(false);
    // Near where a closing edge would be: not a hit either.
    expect(polylineUtil.hitTest(r, { x: 20, y: 20 }, 1)).toBe(false);
    // Beyond an end point, measured to the end point.
    expect(polylineUtil.hitTest(r, { x: 7, y: 6 }, 5)).toBe(true);
    expect(polylineUtil.hitTest(r, { x: 7, y: 6 }, 4.9)).toBe(false);
  });

  it("translate, scale, rotate (four quarter turns, inverse turn)", () => {
    const r = zig();
    expect(polylineUtil.translate(r, 1, 1).points).toEqual([[11, 11], [31, 11], [31, 31]]);
    expect(polylineUtil.scale(r, 0.5, 2, { x: 10, y: 10 }).points).toEqual([[10, 10], [20, 10], [20, 50]]);
    const c = { x: 0.7, y: 12.25 };
    let x = r;
    for (let i = 0; i < 4; i++) x = polylineUtil.rotate(x, 90, c);
    x.points.forEach((p, i) => {
      expect(Math.abs(p[0] - r.points[i]![0])).toBeLessThan(1e-9);
      expect(Math.abs(p[1] - r.points[i]![1])).toBeLessThan(1e-9);
    });
    const back = polylineUtil.rotate(polylineUtil.rotate(r, -123.4, c), 123.4, c);
    back.points.forEach((p, i) => expect(Math.hypot(p[0] - r.points[i]![0], p[1] - r.points[i]![1])).toBeLessThan(1e-9));
  });

  it("vertex edits; removeVertex refuses below 2 points", () => {
    const r = zig();
    expect(polylineUtil.vertices(r)).toHaveLength(3);
    expect(polylineUtil.moveVertex(r, 0, { x: 0, y: 0 }).points[0]).toEqual([0, 0]);
    expect(insertVertex(r, 2, { x: 40, y: 40 }).points).toHaveLength(4);
    expect(removeVertex(r, 2).points).toEqual([[10, 10], [30, 10]]);
    const two = line([[0, 0], [1, 1]]);
    expect(removeVertex(two, 0)).toBe(two);
    // No closing edge: the last point's neighbourhood maps to segment 1.
    expect(nearestEdge(r, { x: 20, y: 25 })).toEqual({ index: 1, distance: 10, point: { x: 30, y: 25 } });
  });

  it("clip clamps points into the image at each edge, keeping the vertex count", () => {
    const W = 100, H = 80;
    expect(polylineUtil.clip(zig(), W, H)).toEqual(zig());
    expect(polylineUtil.clip(line([[-10, 5], [50, 5]]), W, H)!.points).toEqual([[0, 5], [50, 5]]);
    expect(polylineUtil.clip(line([[50, 5], [150, 5]]), W, H)!.points).toEqual([[50, 5], [100, 5]]);
    expect(polylineUtil.clip(line([[5, -5], [5, 50]]), W, H)!.points).toEqual([[5, 0], [5, 50]]);
    expect(polylineUtil.clip(line([[5, 50], [5, 90]]), W, H)!.points).toEqual([[5, 50], [5, 80]]);
    // A segment crossing the image with both ends outside survives.
    expect(polylineUtil.clip(line([[-10, 40], [110, 40]]), W, H)!.points).toEqual([[0, 40], [100, 40]]);
    expect(polylineUtil.clip(line([[-10, -10], [-5, 50], [-20, 90]]), W, H)).toBeNull();
    expect(polylineUtil.clip(line([[110, 10], [150, 10]]), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const r = zig();
    const snap = structuredClone(r);
    polylineUtil.translate(r, 1, 2);
    polylineUtil.scale(r, 2, 2, { x: 0, y: 0 });
    polylineUtil.rotate(r, 45, { x: 0, y: 0 });
    polylineUtil.moveVertex(r, 0, { x: 0, y: 0 });
    polylineUtil.clip(r, 15, 15);
    insertVertex(r, 0, { x: 1, y: 1 });
    removeVertex(r, 0);
    expect(r).toEqual(snap);
  });
});

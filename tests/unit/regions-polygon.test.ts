import { describe, it, expect } from "vitest";
import { polygonUtil, insertVertex, removeVertex, nearestEdge, type PolygonRegion } from "@/lib/annotation/regions/polygon";

const poly = (points: Array<[number, number]>): PolygonRegion => ({ id: "p1", kind: "polygon", label: "roof", attributes: { k: "v" }, points });
const square = () => poly([[10, 10], [30, 10], [30, 30], [10, 30]]);
const closePts = (a: PolygonRegion, b: PolygonRegion, eps = 1e-9) => {
  expect(a.points).toHaveLength(b.points.length);
  a.points.forEach((p, i) => {
    expect(Math.abs(p[0] - b.points[i]![0])).toBeLessThan(eps);
    expect(Math.abs(p[1] - b.points[i]![1])).toBeLessThan(eps);
  });
};

describe("polygon util", () => {
  it("bounds and shoelace area whatever the winding", () => {
    expect(polygonUtil.bounds(square())).toEqual({ minX: 10, minY: 10, maxX: 30, maxY: 30 });
    expect(polygonUtil.area(square())).toBe(400);
    expect(polygonUtil.area(poly([[10, 10], [10, 30], [30, 30], [30, 10]]))).toBe(400);
    expect(polygonUtil.area(poly([[0, 0], [4, 0], [0, 3]]))).toBe(6);
    expect(polygonUtil.area(poly([[0, 0], [1, 1], [2, 2]]))).toBe(0);
  });

  it("hitTest: inside (even-odd), outside, near an edge within tol", () => {
    const r = square();
    expect(polygonUtil.hitTest(r, { x: 20, y: 20 }, 0)).toBe(true);
    expect(polygonUtil.hitTest(r, { x: 40, y: 20 }, 0)).toBe(false);
    expect(polygonUtil.hitTest(r, { x: 32, y: 20 }, 3)).toBe(true);
    expect(polygonUtil.hitTest(r, { x: 32, y: 20 }, 1)).toBe(false);
    // Near the closing edge (last point back to the first).
    expect(polygonUtil.hitTest(r, { x: 8, y: 20 }, 2.5)).toBe(true);
    // Even-odd: the inner square of a self-overlapping "figure" is a hole.
    const bow = poly([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0], [3, 3], [7, 3], [7, 7], [3, 7], [3, 3]]);
    expect(polygonUtil.hitTest(bow, { x: 5, y: 5 }, 0)).toBe(false);
    expect(polygonUtil.hitTest(bow, { x: 1, y: 5 }, 0)).toBe(true);
  });

  it("translate, scale about an anchor", () => {
    const r = square();
    expect(polygonUtil.translate(r, 1, -2).points).toEqual([[11, 8], [31, 8], [31, 28], [11, 28]]);
    expect(polygonUtil.scale(r, 2, 0.5, { x: 10, y: 10 }).points).toEqual([[10, 10], [50, 10], [50, 20], [10, 20]]);
    expect(polygonUtil.translate(r, 1, 1)).toMatchObject({ id: "p1", label: "roof", attributes: { k: "v" } });
  });

  it("rotate: four quarter turns and a turn and its inverse return to the start", () => {
    const r = poly([[1.5, 2], [7, 3.25], [4, 9]]);
    const c = { x: 3.3, y: -2.1 };
    let x = r;
    for (let i = 0; i < 4; i++) x = polygonUtil.rotate(x, 90, c);
    closePts(x, r);
    closePts(polygonUtil.rotate(polygonUtil.rotate(r, 17, c), -17, c), r);
    const q = polygonUtil.rotate(poly([[1, 0], [2, 0], [2, 1]]), 90, { x: 0, y: 0 });
    closePts(q, poly([[0, 1], [0, 2], [-1, 2]]));
  });

  it("vertices, moveVertex, insertVertex, removeVertex", () => {
    const r = square();
    expect(polygonUtil.vertices(r)).toEqual([{ x: 10, y: 10 }, { x: 30, y: 10 }, { x: 30, y: 30 }, { x: 10, y: 30 }]);
    expect(polygonUtil.moveVertex(r, 2, { x: 40, y: 40 }).points[2]).toEqual([40, 40]);
    expect(polygonUtil.moveVertex(r, 9, { x: 40, y: 40 })).toBe(r);
    expect(insertVertex(r, 0, { x: 20, y: 5 }).points).toEqual([[10, 10], [20, 5], [30, 10], [30, 30], [10, 30]]);
    expect(insertVertex(r, 3, { x: 5, y: 20 }).points[4]).toEqual([5, 20]);
    expect(insertVertex(r, -1, { x: 0, y: 0 }).points[0]).toEqual([0, 0]);
    expect(insertVertex(r, 4, { x: 0, y: 0 })).toBe(r);
    expect(removeVertex(r, 1).points).toEqual([[10, 10], [30, 30], [10, 30]]);
    const tri = poly([[0, 0], [1, 0], [0, 1]]);
    expect(removeVertex(tri, 0)).toBe(tri);
  });

  it("nearestEdge finds the edge and foot point (closing edge included), for click-to-add", () => {
    const r = square();
    expect(nearestEdge(r, { x: 20, y: 8 })).toEqual({ index: 0, distance: 2, point: { x: 20, y: 10 } });
    expect(nearestEdge(r, { x: 7, y: 25 })).toEqual({ index: 3, distance: 3, point: { x: 10, y: 25 } });
    const e = nearestEdge(r, { x: 33, y: 20 });
    expect(insertVertex(r, e.index, e.point).points).toEqual([[10, 10], [30, 10], [30, 20], [30, 30], [10, 30]]);
    // Zero-length edges do not produce NaN.
    const d = nearestEdge(poly([[5, 5], [5, 5], [5, 5]]), { x: 8, y: 9 });
    expect(d.distance).toBe(5);
  });

  it("clip with Sutherland–Hodgman at each image edge", () => {
    const W = 100, H = 80;
    expect(polygonUtil.clip(square(), W, H)).toEqual(square());
    const left = polygonUtil.clip(poly([[-10, 10], [10, 10], [10, 30], [-10, 30]]), W, H)!;
    expect(polygonUtil.area(left)).toBe(200);
    expect(polygonUtil.bounds(left)).toEqual({ minX: 0, minY: 10, maxX: 10, maxY: 30 });
    const right = polygonUtil.clip(poly([[90, 10], [110, 10], [110, 30], [90, 30]]), W, H)!;
    expect(polygonUtil.bounds(right)).toEqual({ minX: 90, minY: 10, maxX: 100, maxY: 30 });
    const top = polygonUtil.clip(poly([[10, -10], [30, -10], [30, 10], [10, 10]]), W, H)!;
    expect(polygonUtil.area(top)).toBe(200);
    const bottom = polygonUtil.clip(poly([[10, 70], [30, 70], [30, 90], [10, 90]]), W, H)!;
    expect(polygonUtil.bounds(bottom)).toEqual({ minX: 10, minY: 70, maxX: 30, maxY: 80 });
    // A triangle across a corner gains the corner as a vertex.
    const corner = polygonUtil.clip(poly([[-10, 50], [50, -10], [50, 50]]), W, H)!;
    expect(corner.points).toContainEqual([0, 40]);
    expect(polygonUtil.area(corner)).toBeCloseTo(0.5 * 60 * 60 - 0.5 * 10 * 10 * 2, 9);
    expect(polygonUtil.clip(poly([[110, 10], [130, 10], [120, 30]]), W, H)).toBeNull();
    // Touching the border from outside leaves no area.
    expect(polygonUtil.clip(poly([[100, 10], [120, 10], [120, 30], [100, 30]]), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const r = square();
    const snap = structuredClone(r);
    polygonUtil.translate(r, 1, 2);
    polygonUtil.scale(r, 2, 2, { x: 0, y: 0 });
    polygonUtil.rotate(r, 45, { x: 0, y: 0 });
    polygonUtil.moveVertex(r, 0, { x: 0, y: 0 });
    polygonUtil.clip(r, 15, 15);
    insertVertex(r, 0, { x: 1, y: 1 });
    removeVertex(r, 0);
    expect(r).toEqual(snap);
  });
});

import { describe, it, expect } from "vitest";
import { keypointsUtil, type KeypointsRegion } from "@/lib/annotation/regions/keypoints";

const kp = (points: Array<[number, number, number]>): KeypointsRegion => ({ id: "k1", kind: "keypoints", label: "person", points });
const pose = () => kp([[10, 10, 2], [20, 30, 1], [90, 90, 0]]);

describe("keypoints util", () => {
  it("bounds of visible points only; area 0", () => {
    expect(keypointsUtil.bounds(pose())).toEqual({ minX: 10, minY: 10, maxX: 20, maxY: 30 });
    expect(keypointsUtil.area(pose())).toBe(0);
    // No visible point: bounds of all points, never Infinity.
    expect(keypointsUtil.bounds(kp([[1, 2, 0], [3, 4, 0]]))).toEqual({ minX: 1, minY: 2, maxX: 3, maxY: 4 });
  });

  it("hitTest within tol of a visible point; absent points do not hit", () => {
    const r = pose();
    expect(keypointsUtil.hitTest(r, { x: 13, y: 14 }, 5)).toBe(true);
    expect(keypointsUtil.hitTest(r, { x: 13, y: 14 }, 4.9)).toBe(false);
    expect(keypointsUtil.hitTest(r, { x: 20, y: 30 }, 0)).toBe(true);
    expect(keypointsUtil.hitTest(r, { x: 90, y: 90 }, 3)).toBe(false);
    expect(keypointsUtil.hitTest(r, { x: 15, y: 20 }, 1)).toBe(false);
  });

  it("translate/scale/rotate move every point and keep visibility", () => {
    const r = pose();
    expect(keypointsUtil.translate(r, 1, 2).points).toEqual([[11, 12, 2], [21, 32, 1], [91, 92, 0]]);
    expect(keypointsUtil.scale(r, 2, 3, { x: 10, y: 10 }).points).toEqual([[10, 10, 2], [30, 70, 1], [170, 250, 0]]);
    const c = { x: 5.5, y: -1 };
    let x = r;
    for (let i = 0; i < 4; i++) x = keypointsUtil.rotate(x, 90, c);
    x.points.forEach((p, i) => {
      expect(Math.abs(p[0] - r.points[i]![0])).toBeLessThan(1e-9);
      expect(Math.abs(p[1] - r.points[i]![1])).toBeLessThan(1e-9);
      expect(p[2]).toBe(r.points[i]![2]);
    });
    const back = keypointsUtil.rotate(keypointsUtil.rotate(r, 71, c), -71, c);
    back.points.forEach((p, i) => expect(Math.hypot(p[0] - r.points[i]![0], p[1] - r.points[i]![1])).toBeLessThan(1e-9));
  });

  it("vertices are all points in skeleton order; moveVertex moves one and keeps its flag", () => {
    const r = pose();
    expect(keypointsUtil.vertices(r)).toEqual([{ x: 10, y: 10 }, { x: 20, y: 30 }, { x: 90, y: 90 }]);
    expect(keypointsUtil.moveVertex(r, 1, { x: 0, y: 5 }).points).toEqual([[10, 10, 2], [0, 5, 1], [90, 90, 0]]);
    expect(keypointsUtil.moveVertex(r, 3, { x: 0, y: 5 })).toBe(r);
  });

  it("clip: points outside the image become absent at each edge; null if none stays visible", () => {
    const W = 100, H = 80;
    expect(keypointsUtil.clip(pose(), W, H)).toEqual(pose());
    const r = kp([[50, 40, 2], [-1, 40, 2], [101, 40, 1], [50, -1, 2], [50, 81, 2]]);
    expect(keypointsUtil.clip(r, W, H)!.points).toEqual([[50, 40, 2], [-1, 40, 0], [101, 40, 0], [50, -1, 0], [50, 81, 0]]);
    expect(keypointsUtil.clip(kp([[-5, 5, 2], [50, 50, 0]]), W, H)).toBeNull();
  });

  it("never mutates its input", () => {
    const r = pose();
    const snap = structuredClone(r);
    keypointsUtil.translate(r, 1, 2);
    keypointsUtil.scale(r, 2, 2, { x: 0, y: 0 });
    keypointsUtil.rotate(r, 45, { x: 0, y: 0 });
    keypointsUtil.moveVertex(r, 0, { x: 0, y: 0 });
    keypointsUtil.clip(r, 15, 15);
    expect(r).toEqual(snap);
  });
});

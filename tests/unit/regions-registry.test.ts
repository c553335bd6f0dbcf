import { describe, it, expect } from "vitest";
import { getRegionUtil, regionSchemas, regionUtils, type Region } from "@/lib/annotation/regions";

const samples: Region[] = [
  { id: "1", kind: "rect", x: 1, y: 2, width: 3, height: 4, rotation: 0 },
  { id: "2", kind: "polygon", points: [[0, 0], [4, 0], [0, 4]] },
  { id: "3", kind: "polyline", points: [[0, 0], [4, 4]] },
  { id: "4", kind: "keypoints", points: [[1, 1, 2]] },
  { id: "5", kind: "ellipse", cx: 5, cy: 5, rx: 2, ry: 1, rotation: 0 },
  { id: "6", kind: "mask", width: 2, height: 2, rle: [1, 2, 1] },
];

describe("region util registry", () => {
  it("has a util for every image kind, and none for text/audio/video kinds or junk", () => {
    expect(Object.keys(regionUtils).sort()).toEqual(["ellipse", "keypoints", "mask", "polygon", "polyline", "rect"]);
    for (const k of ["span", "segment", "track", "nope", "toString", "__proto__", "constructor"]) expect(getRegionUtil(k)).toBeUndefined();
    expect(Object.keys(regionSchemas)).toHaveLength(9);
  });

  it("each util's kind and schema match, and its outputs stay schema-valid and finite", () => {
    for (const r of samples) {
      const u = getRegionUtil(r.kind)!;
      expect(u.kind).toBe(r.kind);
      expect(u.schema).toBe(regionSchemas[r.kind]);
      const edits = [
        u.translate(r, 3, 4),
        u.scale(r, 0, 0, { x: 1, y: 1 }),
        u.scale(r, -2, 3, { x: 1, y: 1 }),
        u.rotate(r, 33, { x: 2, y: 2 }),
        ...u.vertices(r).map((_, i) => u.moveVertex(r, i, { x: 1, y: 1 })),
        u.clip(r, 10, 10),
      ];
      for (const e of edits) {
        if (!e) continue;
        expect(u.schema.safeParse(e).success).toBe(true);
        const b = u.bounds(e);
        expect([b.minX, b.minY, b.maxX, b.maxY, u.area(e)].every(Number.isFinite)).toBe(true);
        expect(e.id).toBe(r.id);
      }
    }
  });
});

import { describe, it, expect } from "vitest";
import { parseDocument, labelsUsed } from "@/lib/annotation/document";

const schema = {
  labels: [{ name: "car", kinds: ["rect", "polygon"] }, { name: "PER" }],
  classifications: [{ name: "w", choices: ["a", "b"], multiple: false }],
  allowedKinds: ["rect", "polygon", "mask", "keypoints", "span"],
};

describe("native annotation document", () => {
  it("accepts every region kind's geometry", () => {
    const r = parseDocument({
      regions: [
        { id: "1", kind: "rect", label: "car", x: 0, y: 0, width: 1, height: 1 },
        { id: "2", kind: "polygon", label: "car", points: [[0, 0], [1, 0], [1, 1]] },
        { id: "3", kind: "polyline", labels: ["car"], points: [[0, 0], [1, 1]] },
        { id: "4", kind: "keypoints", label: "PER", points: [[1, 2, 2]] },
        { id: "5", kind: "ellipse", label: "car", cx: 1, cy: 1, rx: 1, ry: 2, rotation: 10 },
        { id: "6", kind: "mask", label: "car", width: 2, height: 2, rle: [1, 2, 1] },
        { id: "7", kind: "span", label: "PER", start: 0, end: 3 },
        { id: "8", kind: "segment", label: "PER", start: 0.5, end: 1.5, text: "hi" },
        { id: "9", kind: "track", label: "car", keyframes: [{ frame: 0, x: 0, y: 0, width: 2, height: 2 }] },
      ],
      relations: [{ from: "1", to: "2", label: "near" }],
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.doc.regions).toHaveLength(9);
      expect(r.doc.regions[0]).toMatchObject({ rotation: 0 });
      expect(labelsUsed(r.doc).sort()).toEqual(["PER", "car"]);
    }
  });

  it.each([
    [{ regions: [{ id: "1", kind: "rect", label: "car", x: 0, y: 0, width: -1, height: 1 }] }, "regions.0.width"],
    [{ regions: [{ id: "1", kind: "mask", label: "car", width: 2, height: 2, rle: [1, 1] }] }, "regions.0.rle"],
    [{ regions: [{ id: "1", kind: "span", label: "PER", start: 4, end: 2 }] }, "regions.0.end"],
    [{ regions: [{ id: "1", kind: "rect", label: "PER", x: 0, y: 0, width: 1, height: 1 }, { id: "2", kind: "span", label: "car", start: 0, end: 1 }] }, "regions.1.kind"],
    [{ regions: [{ id: "1", kind: "polyline", label: "car", points: [[0, 0], [1, 1]] }] }, "regions.0.kind"],
    [{ regions: "nope" }, "regions"],
    [{ classifications: { w: ["a", "b"] } }, "classifications.w"],
    [{ classifications: { nope: ["a"] } }, "classifications.nope"],
  ])("refuses %j at %s", (doc, path) => {
    const r = parseDocument(doc, schema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue.path).toBe(path);
  });

  it("checks shape but not labels without a schema (drafts)", () => {
    expect(parseDocument({ regions: [{ id: "1", kind: "rect", label: "anything", x: 0, y: 0, width: 1, height: 1 }] }).ok).toBe(true);
    expect(parseDocument({ regions: [{ id: "1", kind: "rect", x: 0, y: 0, width: 1, height: Infinity }] }).ok).toBe(false);
  });
});

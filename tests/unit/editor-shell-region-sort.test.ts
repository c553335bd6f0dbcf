import { describe, it, expect } from "vitest";
import type { Region } from "@/lib/annotation/regions";
import {
  flaggedRegionIds, formatArea, labelCounts, missingDefaults, regionArea, sortRegions, submitBlockers, visibleRange,
} from "@/components/editor/shell/region-sort";
import type { LabelConfig } from "@/lib/labeling-config/schema";

const rect = (id: string, label: string | undefined, w: number, h: number, attributes?: Record<string, unknown>): Region =>
  ({ id, kind: "rect", label, x: 0, y: 0, width: w, height: h, rotation: 0, ...(attributes ? { attributes } : {}) }) as Region;

const schema: LabelConfig = {
  labels: [
    { name: "car", color: "#e6194b", attributes: [{ name: "make", type: "text", required: true }, { name: "occluded", type: "checkbox", required: true }] },
    { name: "person", color: "#3cb44b", attributes: [{ name: "pose", type: "select", options: ["up", "down"], default: "up" }] },
  ],
  classifications: [{ name: "scene", choices: ["in", "out"], multiple: false, required: true }],
};

describe("region list helpers", () => {
  const regions = [rect("a", "person", 10, 10), rect("b", "car", 50, 3), rect("c", undefined, 1, 1), rect("d", "car", 30, 30)];

  it("sorts by order, label (unlabelled last, stable) and area (largest first)", () => {
    expect(sortRegions(regions, "order").map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(sortRegions(regions, "label").map((r) => r.id)).toEqual(["b", "d", "a", "c"]);
    expect(sortRegions(regions, "area").map((r) => r.id)).toEqual(["d", "b", "a", "c"]);
    expect(regionArea(regions[3]!)).toBe(900);
  });

  it("counts labels and flags labels the schema no longer has", () => {
    expect(Object.fromEntries(labelCounts(regions))).toEqual({ person: 1, car: 2 });
    const withGone = [...regions, rect("e", "truck", 5, 5)];
    expect([...flaggedRegionIds(withGone, schema)]).toEqual(["e"]);
  });

  it("formats areas and computes a visible window", () => {
    expect(formatArea(0)).toBe("—");
    expect(formatArea(1234.4)).toBe("1,234 px²");
    expect(formatArea(2_500_000)).toBe("2.5M px²");
    expect(visibleRange(0, 320, 32, 5000, 2)).toEqual([0, 12]);
    expect(visibleRange(32 * 100, 320, 32, 5000, 2)).toEqual([98, 112]);
    expect(visibleRange(32 * 4990, 320, 32, 5000, 2)).toEqual([4988, 5000]);
    expect(visibleRange(0, 320, 32, 0)).toEqual([0, 0]);
  });
});

describe("submit blockers", () => {
  it("names removed labels, required classifications and required attributes", () => {
    const regions = [rect("a", "truck", 5, 5), rect("b", "car", 5, 5)];
    const b = submitBlockers(regions, {}, schema);
    expect(b.map((x) => x.message)).toEqual([
      '1 region has a label removed from the project ("truck") — pick a new label before submitting.',
      'Choose a value for "scene" before submitting.',
      'A "car" region needs its "make" attribute before submitting.',
    ]);
    expect(b[0]!.regionId).toBe("a");
    expect(b[2]!.regionId).toBe("b");
  });

  it("counts regions missing the same attribute once", () => {
    const b = submitBlockers([rect("a", "car", 5, 5), rect("b", "car", 5, 5), rect("c", "car", 5, 5, { make: "vw" })], { scene: ["in"] }, schema);
    expect(b).toEqual([{ message: '2 "car" regions need their "make" attribute before submitting.', regionId: "a" }]);
  });

  it("passes a complete document", () => {
    expect(submitBlockers([rect("b", "car", 5, 5, { make: "vw" })], { scene: ["in"] }, schema)).toEqual([]);
  });

  it("lists attribute defaults not stored yet", () => {
    const m = missingDefaults([rect("a", "person", 1, 1), rect("b", "person", 1, 1, { pose: "down" })], schema);
    expect(Object.fromEntries(m)).toEqual({ a: { pose: "up" } });
  });
});

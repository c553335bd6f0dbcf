import { describe, it, expect } from "vitest";
import { labelConfigSchema, kindIssues, toolsFor } from "@/lib/labeling-config/schema";

const parse = (v: unknown) => labelConfigSchema.safeParse(v);

describe("label schema", () => {
  it("accepts the contract's example and fills defaults", () => {
    const r = parse({
      labels: [
        { name: "car", color: "#e6194b", hotkey: "1", kinds: ["rect", "polygon"], attributes: [{ name: "occluded", type: "checkbox" }] },
        { name: "person", color: "#3cb44b", hotkey: "2" },
      ],
      classifications: [{ name: "sentiment", choices: ["positive", "negative", "neutral"], multiple: false }],
    });
    expect(r.success).toBe(true);
    expect(parse({}).data).toEqual({ labels: [], classifications: [] });
    expect(parse({ labels: [{ name: "x" }] }).data!.labels[0]!.color).toMatch(/^#/);
  });

  it("maps tool aliases (bbox, brush) to region kinds", () => {
    expect(parse({ labels: [{ name: "a", kinds: ["bbox", "brush"] }] }).data!.labels[0]!.kinds).toEqual(["rect", "mask"]);
  });

  it.each([
    [{ labels: [{ name: "a" }, { name: "a" }] }, "labels.1.name"],
    [{ labels: [{ name: "a", hotkey: "1" }, { name: "b", hotkey: "1" }] }, "labels.1.hotkey"],
    [{ labels: [{ name: "a", hotkey: "ctrl" }] }, "labels.0.hotkey"],
    [{ labels: [{ name: "a", color: "red" }] }, "labels.0.color"],
    [{ labels: [{ name: "" }] }, "labels.0.name"],
    [{ labels: [{ name: "a\u0007" }] }, "labels.0.name"],
    [{ labels: [{ name: "a", kinds: ["hexagon"] }] }, "labels.0.kinds.0"],
    [{ labels: [{ name: "a", attributes: [{ name: "t", type: "select" }] }] }, "labels.0.attributes.0.options"],
    [{ labels: [{ name: "a", skeleton: { points: ["x"], edges: [[0, 3]] } }] }, "labels.0.skeleton.edges.0"],
    [{ classifications: [{ name: "c", choices: [] }] }, "classifications.0.choices"],
  ])("refuses %j at %s", (value, path) => {
    const r = parse(value);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.join(".")).toBe(path);
  });

  it("checks kinds against the data type", () => {
    const cfg = parse({ labels: [{ name: "a", kinds: ["rect"] }], tools: ["span"] }).data!;
    expect(kindIssues(cfg, "image").map((i) => i.path)).toEqual(["tools.0"]);
    expect(kindIssues(cfg, "text").map((i) => i.path)).toEqual(["labels.0.kinds.0"]);
    expect(toolsFor(parse({}).data!, "audio")).toEqual(["segment"]);
  });
});

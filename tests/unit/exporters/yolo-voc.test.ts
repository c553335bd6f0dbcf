import { describe, expect, it } from "vitest";
import { inferVariant, yoloLine } from "@/lib/exporters/yolo";
import { expectGolden, run, source, text, ann } from "./support";
import { imageItems, imageSchema, imageSource } from "./fixtures";

describe("YOLO export", () => {
  it.each(["detect", "segment", "pose", "obb"] as const)("matches the golden files (%s)", async (variant) => {
    expectGolden("yolo", variant, await run("yolo", imageSource(), { yoloVariant: variant }));
  });

  it("infers the variant from the data", () => {
    expect(inferVariant(new Set(["rect"]), false)).toBe("detect");
    expect(inferVariant(new Set(["rect"]), true)).toBe("obb");
    expect(inferVariant(new Set(["rect", "polygon"]), true)).toBe("segment");
    expect(inferVariant(new Set(["rect", "keypoints", "polygon"]), false)).toBe("pose");
  });

  it("exports rotated boxes as OBB when the data has them and no variant is asked for", async () => {
    const items = imageItems().slice(0, 1).map((i) => ({ ...i, annotations: [ann(1, { regions: [{ id: "b", kind: "rect", label: "car", x: 100, y: 10, width: 40, height: 20, rotation: 30 }] })] }));
    const files = await run("yolo", source("image", imageSchema, items));
    expect(text(files, "data.yaml")).toContain("task: obb");
    // Corners TL, TR, BR, BL normalised by 200x100.
    expect(text(files, "labels/train/street.txt")).toBe("0 0.5 0.1 0.673205 0.3 0.623205 0.473205 0.45 0.273205\n");
  });

  it("clamps coordinates into the image", () => {
    const line = yoloLine({ id: "x", kind: "rect", label: "car", x: -10, y: -10, width: 30, height: 30, rotation: 0 }, 0, "detect", 100, 100, 0);
    expect(line).toBe("0 0.1 0.1 0.2 0.2");
  });

  it("writes names as quoted YAML and points val at train when there is no val split", async () => {
    const items = imageItems().map((i) => ({ ...i, split: "train" as const }));
    const schema = { labels: [{ name: 'say "hi": #1', kinds: ["rect"] }] };
    const files = await run("yolo", source("image", schema, items.slice(0, 1).map((i) => ({ ...i, annotations: [] }))));
    expect(text(files, "data.yaml")).toContain('  0: "say \\"hi\\": #1"');
    expect(text(files, "data.yaml")).toContain("val: images/train");
  });
});

describe("Pascal VOC export", () => {
  it("matches the golden files", async () => {
    expectGolden("voc", "image", await run("voc", imageSource(), { media: "include" }));
  });
});

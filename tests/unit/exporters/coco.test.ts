import { describe, expect, it } from "vitest";
import { decodeRle } from "@/lib/annotation/regions/rle";
import { encodeRle } from "@/lib/annotation/regions/rle";
import { fromCocoRle, maskOutlines, toCocoRle } from "@/lib/exporters/geometry";
import { ann, expectGolden, run, source, text } from "./support";
import { imageItems, imageSchema, imageSource, ringMask } from "./fixtures";

describe("COCO export", () => {
  it("matches the golden files", async () => {
    expectGolden("coco", "image", await run("coco", imageSource()));
  });

  it("matches the golden files with every annotator's work and media included", async () => {
    expectGolden("coco", "all-annotations-include-media", await run("coco", imageSource(), { annotations: "all", media: "include" }));
  });

  it("writes valid JSON with 1-based skeleton pairs and stable ids", async () => {
    const files = await run("coco", imageSource());
    const train = JSON.parse(text(files, "annotations/instances_train.json"));
    expect(train.categories.map((c: { name: string }) => c.name)).toEqual(["car", "person", "blob", "road", "lane"]);
    expect(train.categories[1]).toMatchObject({ id: 2, keypoints: ["head", "left_hand", "right_hand"], skeleton: [[1, 2], [1, 3]] });
    expect(train.images.map((i: { id: number; file_name: string }) => [i.id, i.file_name])).toEqual([[1, "street.jpg"], [3, "STREET-2.jpeg"]]);
    const byCat = (id: number) => train.annotations.filter((a: { category_id: number }) => a.category_id === id);
    // Rotated rect: bbox of the turned corners, polygon of the corners, angle kept in attributes.
    const rotated = byCat(1).find((a: { attributes?: { rotation?: number } }) => a.attributes?.rotation === 30);
    const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
    expect(rotated.bbox[0]).toBeCloseTo(100 - 20 * s, 3);
    expect(rotated.bbox[2]).toBeCloseTo(40 * c + 20 * s, 3);
    expect(rotated.segmentation[0]).toHaveLength(8);
    expect(rotated.area).toBe(800);
    const kp = byCat(2)[0];
    expect(kp.keypoints).toEqual([60, 30, 2, 50, 50, 1, 0, 0, 0]);
    expect(kp.num_keypoints).toBe(2);
    // The polyline has no COCO form: skipped and reported.
    expect(byCat(5)).toEqual([]);
    expect(text(files, "export-report.json")).toContain("COCO has no polyline regions");
  });

  it("converts a row-major Loupe mask to column-major COCO RLE, hole included", async () => {
    const files = await run("coco", imageSource());
    const val = JSON.parse(text(files, "annotations/instances_val.json"));
    const m = val.annotations[0];
    expect(m.segmentation.size).toEqual([5, 6]);
    expect(m.area).toBe(11);
    expect(m.bbox).toEqual([1, 1, 4, 3]);
    // Columns 1..4 of rows 1..3; column 2 has the hole at row 2.
    expect(m.segmentation.counts).toEqual([6, 3, 2, 1, 1, 1, 2, 3, 2, 3, 6]);
    const back = fromCocoRle(m.segmentation);
    expect([...back.bits]).toEqual([...decodeRle(ringMask(), 6, 5)]);
  });

  it("pads or cuts keypoints to the label's skeleton and says so", async () => {
    const items = imageItems().slice(0, 1).map((i) => ({
      ...i,
      annotations: [ann(1, { regions: [{ id: "k", kind: "keypoints", label: "person", points: [[1, 2, 2], [3, 4, 2]] }] })],
    }));
    const files = await run("coco", source("image", imageSchema, items));
    const a = JSON.parse(text(files, "annotations/instances_train.json")).annotations[0];
    expect(a.keypoints).toEqual([1, 2, 2, 3, 4, 2, 0, 0, 0]);
    expect(text(files, "export-report.json")).toContain("2 points, skeleton has 3; missing points written as absent");
  });

  it("starts COCO RLE with a zero run when the first pixel is foreground", () => {
    expect(toCocoRle([0, 2, 2], 2, 2).counts).toEqual([0, 1, 1, 1, 1]);
    expect(toCocoRle([0, 4], 2, 2).counts).toEqual([0, 4]);
    expect(toCocoRle([4], 2, 2).counts).toEqual([4]);
  });
});

describe("mask outlines", () => {
  const outlines = (rows: string[]) => {
    const h = rows.length, w = rows[0]!.length;
    const bits = new Uint8Array(w * h);
    rows.forEach((r, y) => [...r].forEach((c, x) => { if (c === "#") bits[y * w + x] = 1; }));
    return maskOutlines(encodeRle(bits, w, h), w, h);
  };

  it("traces the outer ring clockwise and the hole counter-clockwise, merging straight runs", () => {
    expect(outlines(["......", ".####.", ".#.##.", ".####.", "......"])).toEqual([
      { points: [[1, 1], [5, 1], [5, 4], [1, 4]], hole: false },
      { points: [[3, 2], [2, 2], [2, 3], [3, 3]], hole: true },
    ]);
  });

  it("keeps pixels that touch only at a corner apart, both diagonals", () => {
    expect(outlines(["#.", ".#"]).map((r) => r.points)).toEqual([[[0, 0], [1, 0], [1, 1], [0, 1]], [[1, 1], [2, 1], [2, 2], [1, 2]]]);
    expect(outlines([".#", "#."]).map((r) => r.points)).toEqual([[[1, 0], [2, 0], [2, 1], [1, 1]], [[0, 1], [1, 1], [1, 2], [0, 2]]]);
  });

  it("follows concave shapes", () => {
    expect(outlines(["##.", "#..", "..."])).toEqual([{ points: [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]], hole: false }]);
  });
});

describe("unaccepted predictions in exports", () => {
  it("are left out of COCO by default and kept, with their score, when asked", async () => {
    const count = async (opts?: { predictions: "include" }) => {
      const train = JSON.parse(text(await run("coco", imageSource(), opts), "annotations/instances_train.json"));
      return train.annotations.filter((a: { score?: number }) => a.score === 0.87).length;
    };
    expect(await count()).toBe(0);
    expect(await count({ predictions: "include" })).toBe(1);
  });
});

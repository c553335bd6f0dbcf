import { describe, expect, it } from "vitest";
import { run, text } from "./support";
import { imageSource } from "./fixtures";

// The fixture's task 1 has one unaccepted prediction (r7, a "car" box scored 0.87).
describe("unaccepted predictions in exports", () => {
  it("are left out of COCO by default and kept, with their score, when asked", async () => {
    const scored = async (opts = {}) => {
      const train = JSON.parse(text(await run("coco", imageSource(), opts), "annotations/instances_train.json"));
      return train.annotations.filter((a: { score?: number }) => a.score !== undefined).map((a: { score: number }) => a.score);
    };
    expect(await scored()).toEqual([]);
    expect(await scored({ predictions: "include" })).toEqual([0.87]);
  });

  it("are left out of YOLO labels by default", async () => {
    const lines = async (opts = {}) => text(await run("yolo", imageSource(), { yoloVariant: "detect", ...opts }), "labels/train/street.txt").trim().split("\n").length;
    expect(await lines({ predictions: "include" })).toBe((await lines()) + 1);
  });
});

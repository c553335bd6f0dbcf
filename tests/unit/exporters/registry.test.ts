import { describe, expect, it } from "vitest";
import { checkFit, exportEntries, formatsFor, FORMAT_NAMES, ExportError } from "@/lib/exporters";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import { imageSource, textSource } from "./fixtures";

const schema = (v: unknown) => labelConfigSchema.parse(v);

describe("format registry", () => {
  it("lists the contract's formats", () => {
    for (const f of ["native", "coco", "yolo", "voc", "conll", "spacy", "asr"]) expect(FORMAT_NAMES).toContain(f);
  });

  it("explains why a format does not fit the data type", () => {
    const fit = checkFit("conll", schema({ labels: [{ name: "car" }] }), "image");
    expect(fit).toEqual({ ok: false, message: expect.stringMatching(/CoNLL 2003 is a format for texts; this project labels images/) });
    expect(checkFit("coco", schema({ labels: [{ name: "PER" }] }), "text")).toMatchObject({ ok: false, message: expect.stringContaining("COCO is a format for images") });
    expect(checkFit("asr", schema({}), "text")).toMatchObject({ ok: false });
    expect(checkFit("yolo", schema({}), "video")).toMatchObject({ ok: false, message: expect.stringContaining("frame extraction") });
  });

  it("explains when the project's region kinds have no place in the format", () => {
    const lines = schema({ labels: [{ name: "lane", kinds: ["polyline"] }] });
    expect(checkFit("coco", lines, "image")).toMatchObject({ ok: false, message: expect.stringContaining("this project's labels use polyline") });
    expect(checkFit("native", lines, "image")).toEqual({ ok: true });
    expect(checkFit("yolo", schema({ labels: [{ name: "hand", kinds: ["keypoints"] }] }), "image", { yoloVariant: "pose" })).toMatchObject({ ok: false, message: expect.stringContaining("skeleton") });
  });

  it("rejects unknown formats by name", () => {
    expect(checkFit("../../etc", schema({}), "image")).toMatchObject({ ok: false, message: expect.stringContaining("unknown export format") });
    expect(checkFit("constructor", schema({}), "image")).toMatchObject({ ok: false });
  });

  it("throws ExportError (422 material) before writing anything", async () => {
    const run = async () => { for await (const _ of exportEntries("conll", imageSource())) void _; };
    await expect(run()).rejects.toBeInstanceOf(ExportError);
    await expect(run()).rejects.toMatchObject({ code: "format_does_not_fit" });
  });

  it("offers each project the formats that fit it", () => {
    const text = textSource();
    const fitting = formatsFor(text.schema, text.dataType).filter((f) => f.fit.ok).map((f) => f.name);
    expect(fitting).toEqual(["native", "conll", "spacy"]);
    const img = imageSource();
    expect(formatsFor(img.schema, img.dataType).filter((f) => f.fit.ok).map((f) => f.name)).toEqual(["native", "coco", "yolo", "voc"]);
  });
});

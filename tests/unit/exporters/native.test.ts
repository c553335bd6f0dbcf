import { describe, expect, it } from "vitest";
import { parseNativeTask } from "@/lib/exporters/native";
import { expectGolden, run, text } from "./support";
import { audioSource, imageItems, imageSource, textItems, textSource, audioItems } from "./fixtures";
import type { ExportItem, ExportSource } from "@/lib/exporters/types";

function readBack(files: Map<string, Uint8Array>, layout: "jsonl" | "json" = "jsonl"): ExportItem[] {
  const raw = layout === "json" ? JSON.parse(text(files, "tasks.json")) : text(files, "tasks.jsonl").trim().split("\n").map((l) => JSON.parse(l));
  return (raw as unknown[]).map((v) => {
    const p = parseNativeTask(v);
    if (!p.ok) throw new Error(p.message);
    return p.item;
  });
}

const strip = (items: ExportItem[]) =>
  items.map((i) => ({ ...i, media: i.media ? { ...i.media, open: undefined } : null }));

describe("native export", () => {
  it("matches the golden files (image, with media included)", async () => {
    expectGolden("native", "image-include-media", await run("native", imageSource(), { media: "include" }));
  });

  it("matches the golden files (text, JSON layout)", async () => {
    expectGolden("native", "text-json", await run("native", textSource(), { nativeLayout: "json" }));
  });

  it.each([
    ["image", imageSource, imageItems],
    ["text", textSource, textItems],
    ["audio", audioSource, audioItems],
  ] as Array<[string, () => ExportSource, () => ExportItem[]]>)("round-trips %s annotations losslessly", async (_, src, items) => {
    for (const layout of ["jsonl", "json"] as const) {
      const back = readBack(await run("native", src(), { nativeLayout: layout }), layout);
      const want = strip(items()).map((i) => ({ ...i, media: i.media ? JSON.parse(JSON.stringify(i.media)) : null }));
      expect(back.map((i) => JSON.parse(JSON.stringify(i)))).toEqual(want.map((i) => JSON.parse(JSON.stringify(i))));
    }
  });

  it("keeps every region field: origin, model, score, attributes, relations, classifications", async () => {
    const [t1] = readBack(await run("native", imageSource()));
    const d = t1!.annotations[0]!.document;
    expect(d.regions.find((r) => r.id === "r7")).toMatchObject({ origin: "prediction", model: "yolo11n", score: 0.87 });
    expect(d.regions.find((r) => r.id === "r1")?.attributes).toEqual({ occluded: true });
    expect(d.relations).toEqual([{ from: "r5", to: "r1", label: "drives" }]);
    expect(d.classifications).toEqual({ weather: ["sunny"] });
    expect(t1!.annotations.map((a) => a.annotator)).toEqual(["ana@example.com", "bo@example.com"]);
  });

  it("does not depend on the key order the documents came in with", async () => {
    const a = await run("native", textSource());
    const shuffled = textSource();
    const items = textItems().map((i) => ({
      ...i,
      annotations: i.annotations.map((x) => ({ ...x, document: { relations: x.document.relations, version: x.document.version, classifications: x.document.classifications, regions: x.document.regions.map((r) => Object.fromEntries(Object.entries(r).reverse())) } as typeof x.document })),
    }));
    const b = await run("native", { ...shuffled, items: () => items });
    expect(text(b, "tasks.jsonl")).toBe(text(a, "tasks.jsonl"));
  });

  it("rejects a tampered document on the way back in", () => {
    const p = parseNativeTask({ task_id: 1, annotations: [{ id: 1, document: { regions: [{ id: "x", kind: "rect", x: 0, y: 0, width: -1, height: 1 }] } }] });
    expect(p.ok).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { Editor } from "@/lib/annotation/editor";
import { acceptAbove, acceptSelected, polygonLabels, rejectAll, rejectSelected } from "@/components/editor/image/prelabel/ocr-commands";
import { sortRegions } from "@/components/editor/shell/region-sort";
import { paintRegions } from "@/components/editor/image/engine/paint-regions";
import { ocrToPolygons } from "@/lib/prelabel/to-regions";
import type { LabelConfig } from "@/lib/labeling-config/schema";

const schema = {
  labels: [
    { name: "person", color: "#e6194b", kinds: ["rect"] },
    { name: "animal", color: "#3cb44b" },
    { name: "text", color: "#911eb4", kinds: ["rect", "polygon"] },
  ],
  classifications: [],
} as unknown as LabelConfig;

const lines = [
  { points: [[10, 10], [100, 10], [100, 30], [10, 30]], text: "Hello", confidence: 0.95, score: 0.9 },
  { points: [[10, 40], [100, 40], [100, 60], [10, 60]], text: "world", confidence: 0.7, score: 0.8 },
  { points: [[10, 70], [100, 70], [100, 90], [10, 90]], text: "again", confidence: 0.99, score: 0.99 },
] as Parameters<typeof ocrToPolygons>[0];

function withSuggestions() {
  let n = 0;
  const editor = new Editor({ schema, dataType: "image", width: 200, height: 100, newId: () => `r${++n}` });
  editor.createRegion({ kind: "rect", x: 1, y: 1, width: 5, height: 5, label: "person" });
  const inputs = ocrToPolygons(lines, { label: "text", model: "ppocr-v4" }).map(({ id: _id, ...r }) => r);
  editor.createRegions(inputs, "pre-label");
  return editor;
}

describe("OCR suggestions in the image editor", () => {
  it("picks polygon-capable labels, text-like names first, and none when the schema has none", () => {
    const editor = new Editor({ schema, dataType: "image", width: 10, height: 10 });
    expect(polygonLabels(editor)).toEqual(["text", "animal"]);
    const none = new Editor({ schema: { ...schema, labels: [schema.labels[0]!] }, dataType: "image", width: 10, height: 10 });
    expect(polygonLabels(none)).toEqual([]);
  });

  it("adds all suggestions in one undo step, accepts above a threshold and selected ones, rejects, each one undo step", () => {
    const editor = withSuggestions();
    expect(editor.getRegions().filter((r) => r.origin === "prediction")).toHaveLength(3);
    editor.undo();
    expect(editor.getRegions()).toHaveLength(1);
    editor.redo();

    expect(acceptAbove(editor, 0.8)).toBe(2); // 0.855 and 0.98; "world" is 0.56
    const byText = (t: string) => editor.getRegions().find((r) => r.attributes?.text === t)!;
    expect(byText("Hello")).toMatchObject({ origin: "manual" });
    expect(byText("Hello").score).toBeUndefined();
    expect(byText("Hello").model).toBeUndefined();
    expect(byText("world").origin).toBe("prediction");
    editor.undo();
    expect(editor.getRegions().filter((r) => r.origin === "prediction")).toHaveLength(3);

    editor.select([byText("world").id, "r1"], "replace");
    expect(acceptSelected(editor)).toBe(1); // the manual rect is not a prediction
    expect(byText("world").origin).toBe("manual");
    editor.undo();

    editor.select([byText("again").id], "replace");
    expect(rejectSelected(editor)).toBe(1);
    expect(editor.getRegions()).toHaveLength(3);
    editor.undo();

    expect(rejectAll(editor)).toBe(3);
    expect(editor.getRegions().map((r) => r.id)).toEqual(["r1"]);
    editor.undo();
    expect(editor.getRegions()).toHaveLength(4);
  });

  it("sorts by score, highest first, regions without a score last", () => {
    const editor = withSuggestions();
    expect(sortRegions(editor.getRegions(), "score").map((r) => r.attributes?.text ?? r.kind)).toEqual(["again", "Hello", "world", "rect"]);
  });

  it("paints predictions with a dashed violet outline and manual regions solid", () => {
    const editor = withSuggestions();
    const calls: Array<{ op: string; dash: number[]; stroke: string }> = [];
    let dash: number[] = [];
    const ctx = {
      strokeStyle: "",
      fillStyle: "",
      lineWidth: 1,
      setLineDash: (d: number[]) => (dash = d),
      beginPath() {},
      moveTo() {},
      lineTo() {},
      closePath() {},
      rect() {},
      ellipse() {},
      fill() {},
      fillRect() {},
      stroke() {
        calls.push({ op: "stroke", dash: [...dash], stroke: String(this.strokeStyle) });
      },
      save() {},
      restore() {},
    };
    paintRegions(ctx as unknown as CanvasRenderingContext2D, editor.getRegions(), { scale: 4, colorOf: (r) => editor.labelDef(r.label ?? null)?.color ?? "#000000", skeletonOf: () => [] });
    const pred = calls.filter((c) => c.stroke === "#7c3aed");
    expect(pred).toHaveLength(3);
    expect(pred.every((c) => c.dash.length === 2)).toBe(true);
    expect(calls.filter((c) => c.stroke === "#e6194b").every((c) => c.dash.length === 0)).toBe(true);
  });
});

import { describe, it, expect } from "vitest";
import { Editor, EditorError } from "@/lib/annotation/editor";
import { parseDocument } from "@/lib/annotation/document";
import { TextIndex } from "@/lib/annotation/text/offsets";
import { checkSpans } from "@/lib/annotation/text/spans";
import { acceptPredictions, labelAllOccurrences, labelSelection, predictionIds, prelabel, spanRange } from "@/lib/annotation/text/commands";
import { labelConfigSchema } from "@/lib/labeling-config/schema";

const schema = labelConfigSchema.parse({
  labels: [
    { name: "PER", hotkey: "1" },
    { name: "LOC", hotkey: "2" },
  ],
  textFields: [{ name: "notes", maxLength: 5 }],
});
const text = "Zoë 👋🏽 met Zoë in Paris. Paris is nice; Parisians agree. Zoë!";
const setup = () => {
  const index = new TextIndex(text);
  let n = 0;
  const editor = new Editor({ schema, dataType: "text", textLength: index.length, newId: () => `r${++n}` });
  return { index, editor };
};
const u16 = (part: string, from = 0) => [text.indexOf(part, from), text.indexOf(part, from) + part.length] as const;
const py = (s: string, a: number, b: number) => [...s].slice(a, b).join("");

describe("labelling a selection", () => {
  it("stores code-point offsets and the covered text, snapped to words", () => {
    const { index, editor } = setup();
    const [a, b] = u16("aris. ");
    const r = labelSelection(editor, index, a, b - 2, "LOC", true)!;
    expect(r.created).toBe(true);
    expect(r.region).toMatchObject({ kind: "span", label: "LOC", text: "Paris", origin: "manual" });
    expect(py(text, r.region.start, r.region.end)).toBe("Paris");
    expect(r.region.start).toBe([...text.slice(0, text.indexOf("Paris"))].length);
  });

  it("without snapping keeps the exact selection, trimmed, and never splits an emoji", () => {
    const { index } = setup();
    const [a] = u16("👋🏽");
    // A selection ending between the halves of 👋 grows to include it.
    const r = spanRange(index, a - 1, a + 1, false)!;
    expect(py(text, r.start, r.end)).toBe("👋");
    expect(spanRange(index, 3, 4, false)).toBeNull(); // only the space
  });

  it("returns the existing span rather than a duplicate, and refuses unknown labels and overruns", () => {
    const { index, editor } = setup();
    const [a, b] = u16("Paris");
    labelSelection(editor, index, a, b, "LOC", true);
    expect(labelSelection(editor, index, a, b, "LOC", true)!.created).toBe(false);
    expect(editor.regionCount).toBe(1);
    expect(() => labelSelection(editor, index, a, b, "ORG", true)).toThrow(EditorError);
    expect(() => editor.createRegion({ kind: "span", start: 0, end: index.length + 1, label: "PER" })).toThrow(/past the end/);
    const id = editor.getRegions()[0]!.id;
    expect(() => editor.updateRegions([id], (r) => ({ ...r, end: index.length + 3 }) as typeof r)).toThrow(/past the end/);
  });
});

describe("label all occurrences", () => {
  it("labels every other whole-word occurrence in one undo step, skipping ones already labelled", () => {
    const { index, editor } = setup();
    const [a, b] = u16("Zoë");
    const first = labelSelection(editor, index, a, b, "PER", true)!.region;
    editor.setAttributes([first.id], { confidence: "high" });
    expect(labelAllOccurrences(editor, index, first.id)).toBe(2);
    const spans = editor.getRegions();
    expect(spans.map((s) => (s.kind === "span" ? py(text, s.start, s.end) : ""))).toEqual(["Zoë", "Zoë", "Zoë"]);
    expect(spans.every((s) => s.attributes?.confidence === "high")).toBe(true);
    expect(labelAllOccurrences(editor, index, first.id)).toBe(0);
    editor.undo();
    expect(editor.regionCount).toBe(1);
  });

  it("matches whole words only (Paris, not Parisians)", () => {
    const { index, editor } = setup();
    const [a, b] = u16("Paris");
    const r = labelSelection(editor, index, a, b, "LOC", true)!.region;
    expect(labelAllOccurrences(editor, index, r.id)).toBe(1);
  });
});

describe("dictionary pre-labelling", () => {
  it("adds predictions with model and score as one undo step; accept makes them manual", () => {
    const { index, editor } = setup();
    const n = prelabel(editor, index, [
      { pattern: "Paris", label: "LOC" },
      { pattern: "zoë", label: "PER" },
      { pattern: "Nowhere", label: "ORG" }, // label not in the schema: ignored
    ]);
    expect(n).toBe(5);
    const regions = editor.getRegions();
    expect(regions.every((r) => r.origin === "prediction" && r.model === "dictionary" && typeof r.score === "number")).toBe(true);
    for (const r of regions) if (r.kind === "span") expect(py(text, r.start, r.end)).toBe(r.text);
    // Running again adds nothing: identical spans are skipped.
    expect(prelabel(editor, index, [{ pattern: "Paris", label: "LOC" }])).toBe(0);
    const ids = predictionIds(editor);
    acceptPredictions(editor, ids.slice(0, 2));
    expect(editor.getRegions().filter((r) => r.origin === "manual")).toHaveLength(2);
    expect(editor.getRegions().find((r) => r.origin === "manual")!.score).toBeUndefined();
    editor.undo();
    editor.undo();
    expect(editor.regionCount).toBe(0);
  });
});

describe("documents and checks", () => {
  it("round-trips spans through the document and checkSpans agrees with Python slicing", () => {
    const { index, editor } = setup();
    labelSelection(editor, index, ...u16("👋🏽"), "PER", false);
    labelSelection(editor, index, ...u16("Paris"), "LOC", true);
    const doc = editor.toDocument();
    const parsed = parseDocument(JSON.parse(JSON.stringify(doc)), editor.schemaView());
    expect(parsed.ok).toBe(true);
    expect(checkSpans(doc.regions, index)).toBeNull();
    expect(checkSpans([{ kind: "span", start: 0, end: 3, text: "Zo" } as never], index)?.path).toBe("regions.0.text");
    expect(checkSpans([{ kind: "span", start: 0, end: index.length + 1 } as never], index)?.path).toBe("regions.0.end");
  });

  it("free-text fields hold one answer within maxLength", () => {
    const { editor } = setup();
    editor.setClassification("notes", ["short"]);
    expect(editor.getClassifications().notes).toEqual(["short"]);
    expect(() => editor.setClassification("notes", ["too long"])).toThrow(EditorError);
    expect(() => editor.setClassification("notes", ["a", "b"])).toThrow(EditorError);
    const ok = parseDocument({ classifications: { notes: ["hey"] } }, editor.schemaView());
    expect(ok.ok).toBe(true);
    const bad = parseDocument({ classifications: { notes: ["a", "b"] } }, editor.schemaView());
    expect(bad.ok).toBe(false);
  });
});

import { describe, it, expect } from "vitest";
import { Editor } from "@/lib/annotation/editor";
import { acceptAbove, acceptSelected, addSpeechPredictions, rejectAll, rejectSelected, segmentPredictions, speechLabel } from "@/lib/annotation/audio/prelabel";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import type { SegmentRegion } from "@/lib/annotation/regions/segment";

const schema = labelConfigSchema.parse({ labels: [{ name: "box", kinds: ["rect"] }, { name: "noise" }, { name: "speech" }] });
const setup = () => {
  let n = 0;
  const editor = new Editor({ schema, dataType: "audio", width: 20, newId: () => `s${++n}` });
  const segs = () => editor.getRegions() as SegmentRegion[];
  return { editor, segs };
};
const vad = [
  { start: 1.2, end: 4.9, score: 0.9 },
  { start: 5.7, end: 10.1, score: 0.4 },
  { start: 10.9, end: 25, score: 0.7 },
];

describe("audio speech predictions", () => {
  it("picks a speech label the schema allows for segments", () => {
    const { editor } = setup();
    expect(speechLabel(editor, ["box", "noise", "speech"])).toBe("speech");
    editor.setCurrentLabel("noise");
    expect(speechLabel(editor, ["box", "noise", "speech"])).toBe("noise");
  });

  it("adds predictions in one undo step, clamped to the clip, and a re-run replaces them", () => {
    const { editor, segs } = setup();
    addSpeechPredictions(editor, vad, { label: "speech", duration: 20 });
    expect(segs()).toHaveLength(3);
    expect(segs()[2]).toMatchObject({ origin: "prediction", model: "silero-vad-v5", score: 0.7, end: 20, label: "speech" });
    editor.undo();
    expect(segs()).toHaveLength(0);
    editor.redo();
    addSpeechPredictions(editor, vad.slice(0, 2), { label: "speech", duration: 20 });
    expect(segmentPredictions(editor)).toHaveLength(2);
    editor.undo();
    expect(segmentPredictions(editor)).toHaveLength(3);
  });

  it("accepts above a threshold in one step: those become manual without model or score", () => {
    const { editor, segs } = setup();
    addSpeechPredictions(editor, vad, { label: "speech", duration: 20 });
    expect(acceptAbove(editor, 0.5)).toHaveLength(2);
    const manual = segs().filter((s) => s.origin === "manual");
    expect(manual.map((s) => s.start)).toEqual([1.2, 10.9]);
    expect(manual[0]!.score).toBeUndefined();
    expect(manual[0]!.model).toBeUndefined();
    editor.undo();
    expect(segmentPredictions(editor)).toHaveLength(3);
  });

  it("accepts / rejects the selection, and rejects all predictions but keeps manual segments", () => {
    const { editor, segs } = setup();
    editor.createRegion({ kind: "segment", label: "noise", start: 15, end: 16 });
    const [a, b] = addSpeechPredictions(editor, vad, { label: "speech", duration: 20 });
    editor.select([a!.id]);
    expect(acceptSelected(editor)).toEqual([a!.id]);
    editor.select([b!.id, segs()[0]!.id]);
    expect(rejectSelected(editor)).toEqual([b!.id]);
    expect(segs()).toHaveLength(3);
    expect(rejectAll(editor)).toHaveLength(1);
    expect(segs().map((s) => s.origin)).toEqual(["manual", "manual"]);
    editor.undo();
    expect(segmentPredictions(editor)).toHaveLength(1);
  });
});

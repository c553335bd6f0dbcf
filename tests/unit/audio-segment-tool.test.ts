import { describe, it, expect } from "vitest";
import { Editor, EditorError } from "@/lib/annotation/editor";
import { SegmentTool } from "@/lib/annotation/audio/segment-tool";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import type { SegmentRegion } from "@/lib/annotation/regions/segment";

const schema = labelConfigSchema.parse({
  labels: [
    { name: "speech", hotkey: "1" },
    { name: "noise", hotkey: "2" },
    { name: "box", kinds: ["rect"] },
  ],
});

function setup(duration = 20) {
  let n = 0;
  const editor = new Editor({ schema, dataType: "audio", width: duration, newId: () => `s${++n}` });
  const clicks: Array<[number, string | null]> = [];
  const tool = new SegmentTool(editor, { edgePx: 6, dragPx: 3, onClick: (t, hit) => clicks.push([t, hit?.id ?? null]) });
  tool.setScale(100); // 100 px/s: edge tolerance 0.06 s, drag threshold 0.03 s
  const segs = () => editor.getRegions() as SegmentRegion[];
  return { editor, tool, clicks, segs };
}

describe("segment tool", () => {
  it("drag on empty audio: pressing -> creating -> a labelled, selected segment; one undo step", () => {
    const { editor, tool, segs } = setup();
    tool.pointerDown(5);
    expect(tool.state).toBe("pressing");
    tool.pointerMove(6);
    expect(tool.state).toBe("creating");
    expect(tool.preview).toEqual({ start: 5, end: 6 });
    tool.pointerMove(3); // dragging left of the start flips it
    tool.pointerUp(2.5);
    expect(tool.state).toBe("idle");
    expect(tool.preview).toBeNull();
    expect(segs()).toEqual([expect.objectContaining({ kind: "segment", start: 2.5, end: 5, label: "speech", origin: "manual" })]);
    expect([...editor.selectedIds]).toEqual(["s1"]);
    expect(editor.undoNames).toEqual(["create"]);
  });

  it("a click seeks (reports the time) and clears the selection; tiny drags are clicks", () => {
    const { editor, tool, clicks, segs } = setup();
    editor.createRegion({ kind: "segment", start: 1, end: 2 });
    editor.select(["s1"]);
    tool.pointerDown(8);
    tool.pointerMove(8.02);
    tool.pointerUp(8.02);
    expect(segs()).toHaveLength(1);
    expect(clicks).toEqual([[8.02, null]]);
    expect(editor.selectedIds.size).toBe(0);
  });

  it("clamps a drag past the end to the duration, and refuses nothing shorter than the minimum silently", () => {
    const { tool, segs } = setup(10);
    tool.pointerDown(9);
    tool.pointerMove(12);
    tool.pointerUp(15);
    expect(segs()[0]).toMatchObject({ start: 9, end: 10 });
  });

  it("moves a segment by its body (clamped) and resizes by its edges, each one undo step", () => {
    const { editor, tool, segs, clicks } = setup(10);
    editor.createRegion({ kind: "segment", start: 2, end: 4, text: "hello" });
    tool.pointerDown(3);
    expect(tool.state).toBe("grabbing");
    expect([...editor.selectedIds]).toEqual(["s1"]);
    tool.pointerMove(4);
    expect(tool.state).toBe("moving");
    tool.pointerMove(20);
    tool.pointerUp(20);
    expect(segs()[0]).toMatchObject({ start: 8, end: 10, text: "hello" });
    expect(clicks).toEqual([]);
    tool.pointerDown(8.03); // within 6 px of the start edge
    expect(tool.state).toBe("resizing");
    tool.pointerMove(6);
    tool.pointerUp(6);
    expect(segs()[0]).toMatchObject({ start: 6, end: 10 });
    expect(editor.undoNames.slice(-2)).toEqual(["move", "resize"]);
    editor.undo();
    expect(segs()[0]).toMatchObject({ start: 8, end: 10 });
  });

  it("a click on a segment selects it and still seeks", () => {
    const { editor, tool, clicks } = setup();
    editor.createRegion({ kind: "segment", start: 2, end: 4 });
    tool.pointerDown(3);
    tool.pointerUp(3);
    expect([...editor.selectedIds]).toEqual(["s1"]);
    expect(clicks).toEqual([[3, "s1"]]);
  });

  it("Escape mid-move puts the segment back and leaves no undo step", () => {
    const { editor, tool, segs } = setup();
    editor.createRegion({ kind: "segment", start: 2, end: 4 });
    const steps = editor.undoNames.length;
    tool.pointerDown(3);
    tool.pointerMove(5);
    expect(tool.cancel()).toBe(true);
    expect(segs()[0]).toMatchObject({ start: 2, end: 4 });
    expect(editor.undoNames.length).toBe(steps);
    expect(tool.cancel()).toBe(false);
  });

  it("locked segments are not grabbed: a drag over them creates a new one (overlaps are allowed)", () => {
    const { editor, tool, segs } = setup();
    editor.createRegion({ kind: "segment", start: 2, end: 6, locked: true });
    tool.pointerDown(3);
    tool.pointerMove(5);
    tool.pointerUp(5);
    expect(segs()).toHaveLength(2);
    expect(segs()[1]).toMatchObject({ start: 3, end: 5 });
  });

  it("Enter while listening: start, then stop into a segment with the current label", () => {
    const { editor, tool, segs } = setup();
    editor.setCurrentLabel("noise");
    expect(tool.toggleRecord(1.5)).toBeNull();
    expect(tool.recordingFrom).toBe(1.5);
    tool.recordTo(2);
    expect(tool.preview).toEqual({ start: 1.5, end: 2 });
    const r = tool.toggleRecord(3.25)!;
    expect(r).toMatchObject({ start: 1.5, end: 3.25, label: "noise" });
    expect(segs()).toHaveLength(1);
    expect(tool.recordingFrom).toBeNull();
    // Stopping at (almost) the same instant makes nothing.
    tool.toggleRecord(4);
    expect(tool.toggleRecord(4.01)).toBeNull();
    expect(segs()).toHaveLength(1);
  });

  it("does not draw with a label that does not allow segments", () => {
    const { editor, tool, segs } = setup();
    editor.setCurrentLabel("box");
    tool.pointerDown(1);
    tool.pointerMove(3);
    tool.pointerUp(3);
    expect(segs()).toHaveLength(0);
    expect(tool.toggleRecord(1)).toBeNull();
    expect(tool.recordingFrom).toBeNull();
  });
});

describe("editor rules for segments", () => {
  it("refuses segments past the duration or of zero length, like the server", () => {
    const editor = new Editor({ schema, dataType: "audio", width: 10 });
    expect(() => editor.createRegion({ kind: "segment", start: 9, end: 11 })).toThrow(EditorError);
    expect(() => editor.createRegion({ kind: "segment", start: 3, end: 3 })).toThrow(/end must be after start/);
    expect(editor.createRegion({ kind: "segment", start: 9, end: 10.005 })).toMatchObject({ end: 10.005 });
    // Unknown duration (0): no upper bound.
    const open = new Editor({ schema, dataType: "audio" });
    expect(open.createRegion({ kind: "segment", start: 100, end: 200 })).toMatchObject({ start: 100 });
  });
});

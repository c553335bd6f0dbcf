import { describe, it, expect } from "vitest";
import { Editor, EditorError, type EditorChange, type RegionInput } from "@/lib/annotation/editor";
import { parseDocument } from "@/lib/annotation/document";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import { testSchema } from "./support/editor-driver";

const schema = labelConfigSchema.parse(testSchema);
const make = (opts: Partial<ConstructorParameters<typeof Editor>[0]> = {}) => new Editor({ schema, width: 200, height: 100, ...opts });
const rect = (x: number, y: number, w = 20, h = 10, label = "car"): RegionInput => ({ kind: "rect", x, y, width: w, height: h, label });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof EditorError ? e.code : "other";
  }
  return null;
};

describe("Editor: creating regions", () => {
  it("gives new regions short unique ids, origin manual and schema defaults", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    const b = ed.createRegion(rect(10, 10));
    expect(a.id).toMatch(/^[0-9A-Za-z]{6,16}$/);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({ kind: "rect", origin: "manual", rotation: 0, label: "car" });
    expect(ed.getRegions().map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it("refuses invalid regions with a typed error and leaves the document alone", () => {
    const ed = make({ allowedKinds: ["rect", "polygon", "keypoints", "mask", "polyline", "ellipse"] });
    expect(codeOf(() => ed.createRegion({ kind: "polyline", points: [[0, 0], [5, 5]], label: "car" }))).toBe("label-not-allowed");
    expect(codeOf(() => ed.createRegion(rect(0, 0, 5, 5, "boat")))).toBe("unknown-label");
    expect(codeOf(() => ed.createRegion({ kind: "span", start: 0, end: 2 }))).toBe("kind-not-allowed");
    expect(codeOf(() => ed.createRegion(rect(0, 0, 0, 5)))).toBe("invalid-region");
    const r = ed.createRegion(rect(0, 0));
    expect(codeOf(() => ed.createRegion({ ...rect(0, 0), id: r.id }))).toBe("duplicate-id");
    expect(ed.regionCount).toBe(1);
    expect(ed.canCreate("polyline", "car")).toBe(false);
    expect(ed.canCreate("polyline", "road")).toBe(true);
  });

  it("creates a batch (accepted predictions) as one undo step, all or nothing", () => {
    const ed = make();
    ed.createRegions([{ ...rect(0, 0), origin: "prediction", model: "m", score: 0.9 }, rect(30, 0)], "accept predictions");
    expect(ed.getRegions()[0]).toMatchObject({ origin: "prediction", score: 0.9 });
    expect(ed.undoNames).toEqual(["accept predictions"]);
    expect(() => ed.createRegions([rect(50, 0), rect(0, 0, 5, 5, "boat")])).toThrow(EditorError);
    expect(ed.regionCount).toBe(2);
    ed.undo();
    expect(ed.regionCount).toBe(0);
  });
});

describe("Editor: changing regions", () => {
  it("updates, deletes and undoes/redoes each as a step", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    ed.updateRegions([a.id], (r) => ({ ...r, x: 50 }) as typeof r);
    expect(ed.getRegion(a.id)).toMatchObject({ x: 50 });
    ed.deleteRegions([a.id]);
    expect(ed.regionCount).toBe(0);
    ed.undo();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 50 });
    ed.undo();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 0 });
    ed.redo();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 50 });
    expect(ed.undoNames).toEqual(["create", "update"]);
  });

  it("restores a deleted region at its place in the stacking order", () => {
    const ed = make();
    const ids = [0, 1, 2].map((i) => ed.createRegion(rect(i * 30, 0)).id);
    ed.deleteRegions([ids[1]!]);
    ed.undo();
    expect(ed.getRegions().map((r) => r.id)).toEqual(ids);
  });

  it("deleting a region drops its relations; undo brings them back", () => {
    const ed = make();
    const [a, b, c] = ed.createRegions([rect(0, 0), rect(30, 0), rect(60, 0)]).map((r) => r.id);
    ed.addRelation(a!, b!, "near");
    ed.addRelation(b!, c!);
    ed.addRelation(a!, c!);
    ed.deleteRegions([b!]);
    expect(ed.getRelations()).toEqual([{ from: a, to: c }]);
    ed.undo();
    expect(ed.getRelations()).toEqual([{ from: a, to: b, label: "near" }, { from: b, to: c }, { from: a, to: c }]);
  });

  it("relations: duplicates are no-ops, bad ends throw, removal is undoable", () => {
    const ed = make();
    const [a, b] = ed.createRegions([rect(0, 0), rect(30, 0)]).map((r) => r.id);
    expect(ed.addRelation(a!, b!)).toBe(true);
    expect(ed.addRelation(a!, b!)).toBe(false);
    expect(codeOf(() => ed.addRelation(a!, "nope"))).toBe("invalid-relation");
    expect(codeOf(() => ed.addRelation(a!, a!))).toBe("invalid-relation");
    expect(ed.removeRelation(a!, b!)).toBe(true);
    expect(ed.getRelations()).toEqual([]);
    ed.undo();
    expect(ed.getRelations()).toHaveLength(1);
  });

  it("setLabel relabels only regions whose kind the label allows", () => {
    const ed = make();
    const box = ed.createRegion(rect(0, 0));
    const line = ed.createRegion({ kind: "polyline", points: [[0, 0], [9, 9]], label: "road" });
    expect(ed.setLabel([box.id, line.id], "person")).toEqual([box.id]);
    expect(ed.getRegion(box.id)?.label).toBe("person");
    expect(ed.getRegion(line.id)?.label).toBe("road");
    expect(codeOf(() => ed.setLabel([box.id], "boat"))).toBe("unknown-label");
    ed.setLabel([box.id], null);
    expect(ed.getRegion(box.id)).not.toHaveProperty("label");
    ed.undo();
    ed.undo();
    expect(ed.getRegion(box.id)?.label).toBe("car");
  });

  it("setAttributes merges, and undefined removes an attribute", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    ed.setAttributes([a.id], { colour: "red", n: 2 });
    ed.setAttributes([a.id], { n: undefined, occluded: true });
    expect(ed.getRegion(a.id)?.attributes).toEqual({ colour: "red", occluded: true });
  });

  it("hidden regions leave the selection and hit-testing; locked ones do not move or go away", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    const b = ed.createRegion(rect(50, 0));
    ed.select([a.id, b.id]);
    ed.toggleHidden([a.id]);
    expect(ed.getRegion(a.id)?.hidden).toBe(true);
    expect([...ed.selectedIds]).toEqual([b.id]);
    expect(ed.hitTest({ x: 5, y: 5 })).toBeNull();
    ed.toggleHidden([a.id]);
    expect(ed.getRegion(a.id)).not.toHaveProperty("hidden");

    ed.toggleLocked([b.id]);
    ed.select([a.id, b.id]);
    ed.nudge(5, 0);
    expect(ed.getRegion(a.id)).toMatchObject({ x: 5 });
    expect(ed.getRegion(b.id)).toMatchObject({ x: 50 });
    expect(ed.deleteRegions([a.id, b.id])).toEqual([a.id]);
    expect(ed.getRegion(b.id)).toBeDefined();
    expect(ed.hitTest({ x: 55, y: 5 })).toBeNull(); // locked: not pickable on the canvas
  });

  it("toggles a mixed set on first, then all off", () => {
    const ed = make();
    const [a, b] = ed.createRegions([rect(0, 0), rect(30, 0)]).map((r) => r.id);
    ed.toggleLocked([a!]);
    ed.toggleLocked([a!, b!]);
    expect([ed.getRegion(a!)?.locked, ed.getRegion(b!)?.locked]).toEqual([true, true]);
    ed.toggleLocked([a!, b!]);
    expect([ed.getRegion(a!)?.locked, ed.getRegion(b!)?.locked]).toEqual([undefined, undefined]);
  });
});

describe("Editor: nudge, copy and paste", () => {
  it("nudges the selection, one undo step per nudge, stopping at the image edge", () => {
    const ed = make();
    const a = ed.createRegion(rect(10, 10));
    ed.select([a.id]);
    ed.nudge(1, 0);
    ed.nudge(0, -1);
    expect(ed.getRegion(a.id)).toMatchObject({ x: 11, y: 9 });
    ed.nudge(-100, 0);
    expect(ed.getRegion(a.id)).toMatchObject({ x: 0 });
    ed.nudge(0, 500);
    expect(ed.getRegion(a.id)).toMatchObject({ y: 90 }); // 100 high image, 10 high box
    ed.undo();
    ed.undo();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 11, y: 9 });
  });

  it("pastes copies with new ids, 10px away, as the new selection, cascading", () => {
    const ed = make();
    const [a, b] = ed.createRegions([{ ...rect(10, 10), origin: "prediction", score: 0.5 }, rect(40, 10)]).map((r) => r.id);
    ed.addRelation(a!, b!, "next");
    ed.select([a!, b!]);
    expect(ed.copy()?.regions).toHaveLength(2);
    const pasted = ed.paste();
    expect(pasted).toHaveLength(2);
    expect(pasted.some((id) => id === a || id === b)).toBe(false);
    expect([...ed.selectedIds]).toEqual(pasted);
    const p0 = ed.getRegion(pasted[0]!)!;
    expect(p0).toMatchObject({ x: 20, y: 20, origin: "manual", label: "car" });
    expect(p0).not.toHaveProperty("score");
    expect(ed.getRelations()).toContainEqual({ from: pasted[0], to: pasted[1], label: "next" });
    const again = ed.paste();
    expect(ed.getRegion(again[0]!)).toMatchObject({ x: 30, y: 30 });
    ed.undo();
    ed.undo();
    expect(ed.regionCount).toBe(2);
  });

  it("clips pasted regions to the image", () => {
    const ed = make();
    const a = ed.createRegion(rect(180, 80, 20, 20));
    ed.select([a.id]);
    ed.copy();
    const [p] = ed.paste();
    const r = ed.getRegion(p!)!;
    expect(r).toMatchObject({ x: 190, y: 90, width: 10, height: 10 });
  });

  it("copy with nothing selected is null and paste then does nothing", () => {
    const ed = make();
    expect(ed.copy()).toBeNull();
    expect(ed.paste()).toEqual([]);
  });
});

describe("Editor: queries, order, classifications", () => {
  it("hitTest returns the topmost region; regionsInBounds culls by bounds", () => {
    const ed = make();
    const low = ed.createRegion(rect(0, 0, 50, 50));
    const high = ed.createRegion(rect(20, 20, 50, 50));
    expect(ed.hitTest({ x: 30, y: 30 })?.id).toBe(high.id);
    expect(ed.hitTest({ x: 5, y: 5 })?.id).toBe(low.id);
    expect(ed.hitTest({ x: 150, y: 90 })).toBeNull();
    expect(ed.regionsInBounds({ minX: 0, minY: 0, maxX: 10, maxY: 10 }).map((r) => r.id)).toEqual([low.id]);
    ed.bringToFront([low.id]);
    expect(ed.hitTest({ x: 30, y: 30 })?.id).toBe(low.id);
    ed.sendToBack([low.id]);
    expect(ed.getRegions()[0]?.id).toBe(low.id);
    ed.undo();
    expect(ed.getRegions().map((r) => r.id)).toEqual([high.id, low.id]);
  });

  it("classifications follow the schema and undo", () => {
    const ed = make();
    ed.setClassification("weather", ["sunny"]);
    expect(codeOf(() => ed.setClassification("weather", ["sunny", "rain"]))).toBe("invalid-classification");
    expect(codeOf(() => ed.setClassification("weather", ["hail"]))).toBe("invalid-classification");
    expect(codeOf(() => ed.setClassification("mood", ["x"]))).toBe("invalid-classification");
    ed.toggleChoice("tags", "a");
    ed.toggleChoice("tags", "c");
    ed.toggleChoice("tags", "a");
    ed.toggleChoice("weather", "rain");
    expect(ed.getClassifications()).toEqual({ weather: ["rain"], tags: ["c"] });
    ed.toggleChoice("weather", "rain");
    expect(ed.getClassifications()).toEqual({ tags: ["c"] });
    ed.undo();
    ed.undo();
    expect(ed.getClassifications()).toEqual({ weather: ["sunny"], tags: ["c"] });
  });
});

describe("Editor: document and change events", () => {
  it("toDocument round-trips through parseDocument with the schema, and load restores it", () => {
    const ed = make();
    const [a, b] = ed.createRegions([rect(0, 0), { kind: "polygon", points: [[0, 0], [10, 0], [5, 8]], label: "road" }]).map((r) => r.id);
    ed.createRegion({ kind: "keypoints", points: [[1, 2, 2], [0, 0, 0], [3, 4, 1]], label: "person" });
    ed.addRelation(a!, b!, "on");
    ed.setClassification("tags", ["a", "b"]);
    const doc = ed.toDocument();
    const parsed = parseDocument(JSON.parse(JSON.stringify(doc)), ed.schemaView());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.doc).toEqual(doc);
    const other = make({ document: parsed.doc });
    expect(other.toDocument()).toEqual(doc);
    expect(other.canUndo()).toBe(false);
  });

  it("load replaces everything and forgets history and selection", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    ed.select([a.id]);
    ed.load({ version: 1, regions: [{ id: "x", kind: "rect", x: 1, y: 1, width: 2, height: 2, rotation: 0 }], classifications: {}, relations: [] });
    expect(ed.getRegions().map((r) => r.id)).toEqual(["x"]);
    expect(ed.selectedIds.size).toBe(0);
    expect(ed.canUndo()).toBe(false);
    const b = ed.createRegion(rect(5, 5));
    expect(ed.getRegions().map((r) => r.id)).toEqual(["x", b.id]);
  });

  it("notifies subscribers with the changed region ids and a rising version", () => {
    const ed = make();
    const seen: EditorChange[] = [];
    const off = ed.subscribe((c) => seen.push(c));
    const a = ed.createRegion(rect(0, 0));
    const v1 = ed.getVersion();
    ed.select([a.id]);
    expect(seen[0]?.regions).toEqual(new Set([a.id]));
    expect(seen[1]).toMatchObject({ selection: true });
    expect(seen[1]?.regions.size).toBe(0);
    expect(ed.getVersion()).toBeGreaterThan(v1);
    seen.length = 0;
    ed.batch("two", () => {
      ed.createRegion(rect(30, 0));
      ed.createRegion(rect(60, 0));
    });
    expect(seen).toHaveLength(1); // one notification per batch
    expect(seen[0]?.regions.size).toBe(2);
    expect(ed.undoNames.at(-1)).toBe("two");
    off();
    ed.createRegion(rect(90, 0));
    expect(seen).toHaveLength(1);
  });

  it("a batch that throws is reverted", () => {
    const ed = make();
    expect(() =>
      ed.batch("bad", () => {
        ed.createRegion(rect(0, 0));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(ed.regionCount).toBe(0);
    expect(ed.canUndo()).toBe(false);
  });

  it("an interaction is one undo step and can be cancelled", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    ed.beginInteraction("move");
    for (let i = 1; i <= 5; i++) ed.updateRegions([a.id], (r) => ({ ...r, x: i }) as typeof r);
    ed.endInteraction();
    expect(ed.undoNames).toEqual(["create", "move"]);
    ed.beginInteraction("move");
    ed.updateRegions([a.id], (r) => ({ ...r, x: 99 }) as typeof r);
    ed.cancelInteraction();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 5 });
    expect(ed.canRedo()).toBe(false);
    ed.undo();
    expect(ed.getRegion(a.id)).toMatchObject({ x: 0 });
  });

  it("says when a gesture ends, so views that held back during it can catch up", () => {
    const ed = make();
    const a = ed.createRegion(rect(0, 0));
    const seen: Array<{ interaction: string | null; regions: number; ui: boolean }> = [];
    ed.subscribe((c) => seen.push({ interaction: ed.interaction, regions: c.regions.size, ui: c.ui }));
    ed.beginInteraction("move");
    ed.updateRegions([a.id], (r) => ({ ...r, x: 3 }) as typeof r);
    expect(seen).toEqual([{ interaction: "move", regions: 1, ui: false }]);
    ed.endInteraction();
    expect(seen.at(-1)).toEqual({ interaction: null, regions: 0, ui: true });
    ed.endInteraction(); // nothing open: no extra notification
    expect(seen).toHaveLength(2);
  });

  it("labels by hotkey and refuses unknown current labels", () => {
    const ed = make();
    expect(ed.currentLabel).toBe("car");
    expect(ed.labelForHotkey("3")?.name).toBe("person");
    expect(codeOf(() => ed.setCurrentLabel("boat"))).toBe("unknown-label");
  });
});

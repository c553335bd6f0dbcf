import { describe, it, expect } from "vitest";
import type { RegionInput } from "@/lib/annotation/editor";
import { EditorDriver, testSchema } from "./support/editor-driver";

function setup() {
  const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
  const box = (x: number, y: number, w = 20, h = 20): RegionInput => ({ kind: "rect", x, y, width: w, height: h, label: "car" });
  const [a, b, c] = d.editor.createRegions([box(10, 10), box(50, 10), box(150, 60)]).map((r) => r.id);
  d.tool("select");
  return { d, a: a!, b: b!, c: c! };
}

describe("select tool", () => {
  it("click selects (pointing_region -> idle); click on empty canvas clears", () => {
    const { d, a } = setup();
    d.pointerDown(15, 15);
    expect(d.state).toBe("pointing_region");
    d.pointerUp();
    expect(d.state).toBe("idle");
    expect(d.selected).toEqual([a]);
    d.pointerDown(100, 90);
    expect(d.state).toBe("pointing_canvas");
    d.pointerUp();
    expect(d.selected).toEqual([]);
  });

  it("shift-click toggles regions in the selection", () => {
    const { d, a, b } = setup();
    d.click(15, 15).click(55, 15, { shift: true });
    expect(d.selected.sort()).toEqual([a, b].sort());
    d.click(15, 15, { shift: true });
    expect(d.selected).toEqual([b]);
  });

  it("dragging moves the selection as one undo step", () => {
    const { d, a, b } = setup();
    d.click(15, 15).click(55, 15, { shift: true });
    d.pointerDown(15, 15).pointerMove(17, 15);
    expect(d.state).toBe("pointing_region"); // under the drag threshold
    d.pointerMove(25, 20);
    expect(d.state).toBe("dragging_region");
    d.pointerMove(35, 25).pointerUp(35, 25);
    expect(d.state).toBe("idle");
    expect(d.editor.getRegion(a)).toMatchObject({ x: 30, y: 20 });
    expect(d.editor.getRegion(b)).toMatchObject({ x: 70, y: 20 });
    expect(d.editor.undoNames).toEqual(["create", "move"]);
    d.editor.undo();
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10 });
    expect(d.editor.getRegion(b)).toMatchObject({ x: 50, y: 10 });
  });

  it("dragging an unselected region selects and moves only it; the image edge stops it", () => {
    const { d, a, c } = setup();
    d.click(15, 15);
    d.drag(155, 65, 195, 95);
    expect(d.selected).toEqual([c]);
    expect(d.editor.getRegion(c)).toMatchObject({ x: 180, y: 80 });
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10 });
  });

  it("Escape while dragging puts everything back and leaves no undo step", () => {
    const { d, a } = setup();
    d.pointerDown(15, 15).pointerMove(40, 40).pointerMove(60, 60);
    d.key("Escape");
    expect(d.state).toBe("idle");
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10 });
    expect(d.editor.undoNames).toEqual(["create"]);
    d.pointerUp(60, 60);
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10 });
  });

  it("dragging a vertex handle of the selected region reshapes it (one step)", () => {
    const { d, a } = setup();
    d.click(15, 15);
    d.pointerDown(30, 30); // bottom-right corner of a
    expect(d.state).toBe("pointing_handle");
    d.pointerMove(40, 35);
    expect(d.state).toBe("dragging_handle");
    d.pointerMove(50, 45).pointerUp(50, 45);
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10, width: 40, height: 35 });
    expect(d.editor.undoNames).toEqual(["create", "reshape"]);
  });

  it("moves a polygon vertex", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    const p = d.editor.createRegion({ kind: "polygon", points: [[10, 10], [60, 10], [35, 50]], label: "car" });
    d.tool("select").click(35, 20);
    expect(d.selected).toEqual([p.id]);
    d.drag(60, 10, 80, 20);
    expect(d.editor.getRegion(p.id)).toMatchObject({ points: [[10, 10], [80, 20], [35, 50]] });
  });

  it("marquee selects regions touching the box; shift adds; Escape restores", () => {
    const { d, a, b, c } = setup();
    d.pointerDown(5, 5).pointerMove(7, 6);
    expect(d.state).toBe("pointing_canvas");
    d.pointerMove(40, 40);
    expect(d.state).toBe("brushing");
    expect(d.preview).toMatchObject({ type: "marquee", box: { minX: 5, minY: 5, maxX: 40, maxY: 40 } });
    expect(d.selected).toEqual([a]);
    d.pointerMove(60, 40).pointerUp();
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    expect(d.selected).toEqual([a, b]);
    d.drag(140, 50, 199, 99, { shift: true });
    expect(d.selected.sort()).toEqual([a, b, c].sort());
    d.pointerDown(100, 5, {}).pointerMove(199, 99);
    expect(d.selected).toEqual([c]);
    d.key("Escape");
    expect(d.selected).toEqual([]); // the press without shift had cleared it
  });

  it("the marquee skips hidden and locked regions, and a polygon's empty corner", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    const tri = d.editor.createRegion({ kind: "polygon", points: [[0, 0], [100, 0], [0, 100]], label: "car" });
    const r1 = d.editor.createRegion({ kind: "rect", x: 150, y: 10, width: 10, height: 10, label: "car" });
    d.editor.toggleLocked([r1.id]);
    d.tool("select").drag(80, 80, 199, 99);
    expect(d.selected).toEqual([]);
    d.drag(40, 40, 199, 99);
    expect(d.selected).toEqual([tri.id]);
  });

  it("locked regions cannot be picked or dragged", () => {
    const { d, a } = setup();
    d.editor.toggleLocked([a]);
    d.drag(15, 15, 60, 60);
    expect(d.editor.getRegion(a)).toMatchObject({ x: 10, y: 10 });
    expect(d.selected).not.toContain(a);
  });
});

describe("select tool: editing polygon points", () => {
  const setup = () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    const p = d.editor.createRegion({ kind: "polygon", points: [[10, 10], [60, 10], [60, 60], [10, 60]], label: "car" });
    d.tool("select").click(30, 30);
    return { d, id: p.id };
  };

  it("double-clicking an edge of the selected polygon adds a point there (one step)", () => {
    const { d, id } = setup();
    d.dblclick(35, 11);
    expect(d.editor.getRegion(id)).toMatchObject({ points: [[10, 10], [35, 10], [60, 10], [60, 60], [10, 60]] });
    expect(d.editor.undoNames).toEqual(["create", "add point"]);
    d.dblclick(35, 35); // inside, not on an edge: nothing
    expect(d.editor.undoNames).toEqual(["create", "add point"]);
  });

  it("alt+click on a point removes it, never below three points", () => {
    const { d, id } = setup();
    d.click(60, 60, { alt: true });
    expect(d.editor.getRegion(id)).toMatchObject({ points: [[10, 10], [60, 10], [10, 60]] });
    d.click(60, 10, { alt: true });
    expect(d.editor.getRegion(id)).toMatchObject({ points: [[10, 10], [60, 10], [10, 60]] });
    expect(d.state).toBe("idle");
  });
});

describe("select tool: rotation knob", () => {
  it("dragging the knob of a selected rect turns it about its centre as one undo step; shift snaps to 15°", async () => {
    const { rotateHandlePoint, rotationCentre } = await import("@/lib/annotation/tools/rotate-handle");
    const d = new EditorDriver({ schema: testSchema, width: 400, height: 400 });
    const r = d.editor.createRegion({ kind: "rect", x: 100, y: 100, width: 100, height: 50, label: "car" });
    d.tool("select").click(150, 125);
    const knob = rotateHandlePoint(d.editor.getRegion(r.id)!, 1)!;
    expect(knob).toEqual({ x: 150, y: 76 });
    const c = rotationCentre(d.editor.getRegion(r.id)!)!;
    d.pointerDown(knob.x, knob.y);
    expect(d.state).toBe("rotating");
    // A quarter turn clockwise: from straight above the centre to straight right of it.
    d.pointerMove(c.x + 30, c.y - 30).pointerMove(c.x + 49, c.y).pointerUp(c.x + 49, c.y);
    expect(d.state).toBe("idle");
    const turned = d.editor.getRegion(r.id)!;
    expect(turned.kind === "rect" && turned.rotation).toBeCloseTo(90);
    const c2 = rotationCentre(turned)!;
    expect(c2.x).toBeCloseTo(c.x);
    expect(c2.y).toBeCloseTo(c.y);
    expect(d.editor.undoNames.at(-1)).toBe("rotate");
    d.editor.undo();
    expect(d.editor.getRegion(r.id)).toMatchObject({ x: 100, y: 100, rotation: 0 });
    const k2 = rotateHandlePoint(d.editor.getRegion(r.id)!, 1)!;
    d.pointerDown(k2.x, k2.y).pointerMove(c.x + 10, c.y - 40, { shift: true }).pointerUp(c.x + 10, c.y - 40, { shift: true });
    const snapped = d.editor.getRegion(r.id)!;
    expect(snapped.kind === "rect" && (snapped.rotation ?? 0) % 15).toBeCloseTo(0);
  });

  it("Escape while rotating puts the ellipse back; locked shapes have no knob", async () => {
    const { rotateHandlePoint } = await import("@/lib/annotation/tools/rotate-handle");
    const d = new EditorDriver({ schema: testSchema, width: 400, height: 400 });
    const e = d.editor.createRegion({ kind: "ellipse", cx: 200, cy: 200, rx: 40, ry: 20, label: "car" });
    d.tool("select").click(200, 200);
    const knob = rotateHandlePoint(d.editor.getRegion(e.id)!, 1)!;
    d.pointerDown(knob.x, knob.y).pointerMove(260, 200);
    expect(d.editor.getRegion(e.id)).not.toMatchObject({ rotation: 0 });
    d.key("Escape");
    expect(d.state).toBe("idle");
    expect(d.editor.getRegion(e.id)!.kind === "ellipse" && (d.editor.getRegion(e.id) as { rotation?: number }).rotation).toBeFalsy();
    d.editor.toggleLocked([e.id]);
    d.pointerDown(knob.x, knob.y);
    expect(d.state).not.toBe("rotating");
  });
});

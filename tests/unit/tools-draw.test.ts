import { describe, it, expect } from "vitest";
import { EditorDriver, testSchema } from "./support/editor-driver";

const driver = () => new EditorDriver({ schema: testSchema, width: 200, height: 100 });

describe("rect tool", () => {
  it("idle -> pointing -> drawing -> idle commits a rect with the current label, selected", () => {
    const d = driver().tool("rect");
    d.pointerDown(10, 10);
    expect(d.state).toBe("pointing");
    d.pointerMove(30, 20);
    expect(d.state).toBe("drawing");
    expect(d.preview).toMatchObject({ type: "region", region: { kind: "rect", x: 10, y: 10, width: 20, height: 10 } });
    d.pointerMove(50, 40).pointerUp();
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    expect(d.regions).toHaveLength(1);
    expect(d.region(0)).toMatchObject({ kind: "rect", x: 10, y: 10, width: 40, height: 30, label: "car", origin: "manual" });
    expect(d.selected).toEqual([d.region(0).id]);
  });

  it("normalises a drag up-left and clamps to the image", () => {
    const d = driver().tool("rect").drag(50, 50, -20, 10);
    expect(d.region(0)).toMatchObject({ x: 0, y: 10, width: 50, height: 40 });
  });

  it("cancels a drag of 2px or less, a plain click, and Escape", () => {
    const d = driver().tool("rect");
    d.drag(10, 10, 12, 40);
    expect(d.regions).toHaveLength(0);
    d.click(10, 10);
    expect(d.state).toBe("idle");
    d.pointerDown(10, 10).pointerMove(80, 80).key("Escape");
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    d.pointerUp(80, 80);
    expect(d.regions).toHaveLength(0);
    expect(d.editor.canUndo()).toBe(false);
  });

  it("shift draws a square", () => {
    const d = driver().tool("rect").drag(10, 10, 40, 20, { shift: true });
    expect(d.region(0)).toMatchObject({ width: 30, height: 30 });
  });

  it("does nothing when the current label does not allow rects", () => {
    const d = driver().tool("rect").label("road");
    d.pointerDown(10, 10);
    expect(d.state).toBe("idle");
    d.pointerMove(50, 50).pointerUp();
    expect(d.regions).toHaveLength(0);
  });

  it("one drawn rect is one undo step", () => {
    const d = driver().tool("rect").drag(10, 10, 60, 60, {}, 10);
    expect(d.editor.undoNames).toEqual(["create"]);
    d.key("z", { ctrl: true });
    expect(d.regions).toHaveLength(0);
  });
});

describe("ellipse tool (corner to corner)", () => {
  it("draws the ellipse inscribed in the dragged box; shift makes a circle", () => {
    const d = driver().tool("ellipse");
    d.drag(10, 10, 50, 30);
    expect(d.region(0)).toMatchObject({ kind: "ellipse", cx: 30, cy: 20, rx: 20, ry: 10 });
    d.drag(100, 10, 120, 60, { shift: true });
    expect(d.region(1)).toMatchObject({ rx: 25, ry: 25 });
  });

  it("a tiny drag draws nothing", () => {
    const d = driver().tool("ellipse").drag(10, 10, 11, 11);
    expect(d.regions).toHaveLength(0);
    expect(d.state).toBe("idle");
  });
});

describe("polygon tool", () => {
  it("closes by clicking the first point", () => {
    const d = driver().tool("polygon");
    d.click(10, 10);
    expect(d.state).toBe("drawing");
    d.click(60, 10).pointerMove(60, 50);
    expect(d.preview).toMatchObject({ type: "path", points: [[10, 10], [60, 10]], cursor: [60, 50], closing: false });
    d.click(60, 50).pointerMove(12, 11);
    expect(d.preview).toMatchObject({ closing: true });
    d.click(12, 11);
    expect(d.state).toBe("idle");
    expect(d.region(0)).toMatchObject({ kind: "polygon", points: [[10, 10], [60, 10], [60, 50]], label: "car" });
    expect(d.editor.undoNames).toEqual(["create"]);
  });

  it("clicking the first point with fewer than 3 points adds a point instead", () => {
    const d = driver().tool("polygon").click(10, 10).click(60, 10).click(10, 30);
    expect(d.state).toBe("drawing");
    d.key("Enter");
    expect(d.region(0)).toMatchObject({ points: [[10, 10], [60, 10], [10, 30]] });
  });

  it("closes with Enter or a double-click (the double-click adds no duplicate point)", () => {
    const d = driver().tool("polygon");
    d.click(10, 10).click(60, 10).click(60, 50).key("Enter");
    expect(d.regions).toHaveLength(1);
    d.click(100, 10).click(150, 10).dblclick(150, 60);
    expect(d.state).toBe("idle");
    expect(d.region(1)).toMatchObject({ points: [[100, 10], [150, 10], [150, 60]] });
  });

  it("Enter with fewer than 3 points keeps drawing; Backspace removes points; Escape cancels", () => {
    const d = driver().tool("polygon");
    d.click(10, 10).click(60, 10).key("Enter");
    expect(d.state).toBe("drawing");
    d.key("Backspace");
    expect(d.preview).toMatchObject({ points: [[10, 10]] });
    d.key("Backspace");
    expect(d.state).toBe("idle");
    d.click(10, 10).click(60, 10).click(60, 50).key("Escape");
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    expect(d.regions).toHaveLength(0);
    expect(d.editor.canUndo()).toBe(false);
  });

  it("does not save collinear points", () => {
    const d = driver().tool("polygon").click(10, 10).click(20, 20).click(30, 30).key("Enter");
    expect(d.state).toBe("drawing");
    expect(d.regions).toHaveLength(0);
  });

  it("ctrl+z while drawing removes the last point, not the previous shape", () => {
    const d = driver().tool("polygon").click(10, 10).click(60, 10).click(60, 50).key("Enter");
    d.click(100, 10).click(150, 10).key("z", { ctrl: true });
    expect(d.regions).toHaveLength(1);
    expect(d.preview).toMatchObject({ points: [[100, 10]] });
  });

  it("switching tools abandons the polygon in progress", () => {
    const d = driver().tool("polygon").click(10, 10).click(60, 10).tool("rect");
    d.tool("polygon");
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
  });
});

describe("polyline tool", () => {
  it("finishes with Enter at 2 or more points; clicking the first point adds a point", () => {
    const d = driver().tool("polyline").label("road");
    d.click(10, 10).key("Enter");
    expect(d.state).toBe("drawing");
    d.click(50, 50).click(11, 10).key("Enter");
    expect(d.region(0)).toMatchObject({ kind: "polyline", points: [[10, 10], [50, 50], [11, 10]], label: "road" });
  });

  it("finishes with a double-click; Escape cancels", () => {
    const d = driver().tool("polyline").label("road");
    d.click(10, 10).dblclick(40, 40);
    expect(d.region(0)).toMatchObject({ points: [[10, 10], [40, 40]] });
    d.click(10, 10).click(30, 30).key("Escape");
    expect(d.regions).toHaveLength(1);
  });

  it("is refused for a label that does not allow polylines", () => {
    const d = driver().tool("polyline").label("car");
    d.click(10, 10);
    expect(d.state).toBe("idle");
  });
});

import { describe, it, expect } from "vitest";
import { TOOLS, availableTools } from "@/lib/annotation/tools";
import { EditorDriver, testSchema } from "./support/editor-driver";

describe("tool registry and shortcuts", () => {
  it("lists every tool with a distinct default hotkey", () => {
    expect(TOOLS.map((t) => [t.id, t.hotkey])).toEqual([
      ["select", "v"], ["rect", "r"], ["polygon", "p"], ["polyline", "l"], ["ellipse", "e"], ["keypoints", "k"], ["brush", "b"], ["eraser", "x"], ["sam", "s"],
    ]);
    expect(new Set(TOOLS.map((t) => t.hotkey)).size).toBe(TOOLS.length);
  });

  it("offers only the tools for the project's kinds", () => {
    const d = new EditorDriver({ schema: { ...testSchema, tools: ["rect", "polygon"] } });
    expect(availableTools(d.editor).map((t) => t.id)).toEqual(["select", "rect", "polygon", "sam"]); // SAM makes polygons
    expect(d.controller.setTool("brush")).toBe(false);
    d.key("b");
    expect(d.controller.toolId).toBe("select");
  });

  it("switches tools by hotkey; label hotkeys set the label and relabel the selection", () => {
    const d = new EditorDriver({ schema: testSchema });
    d.key("r");
    expect(d.controller.toolId).toBe("rect");
    d.drag(10, 10, 50, 50);
    d.key("3");
    expect(d.editor.currentLabel).toBe("person");
    expect(d.region(0).label).toBe("person");
  });

  it("undo/redo, copy/paste, select all, delete, nudge and Escape from the keyboard", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 }).tool("rect");
    d.drag(10, 10, 30, 30);
    d.key("ArrowRight").key("ArrowDown", { shift: true });
    expect(d.region(0)).toMatchObject({ x: 11, y: 20 });
    d.key("c", { ctrl: true }).key("v", { ctrl: true });
    expect(d.regions).toHaveLength(2);
    expect(d.region(1)).toMatchObject({ x: 21, y: 30 });
    d.key("z", { ctrl: true });
    expect(d.regions).toHaveLength(1);
    d.key("z", { ctrl: true, shift: true });
    expect(d.regions).toHaveLength(2);
    d.key("Escape");
    expect(d.selected).toEqual([]);
    d.key("a", { ctrl: true });
    expect(d.selected).toHaveLength(2);
    d.key("Delete");
    expect(d.regions).toHaveLength(0);
    d.key("y", { ctrl: true });
    expect(d.regions).toHaveLength(0);
    d.key("z", { ctrl: true });
    expect(d.regions).toHaveLength(2);
  });

  it("undo mid-drag cancels the drag first", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    const r = d.editor.createRegion({ kind: "rect", x: 10, y: 10, width: 20, height: 20, label: "car" });
    d.tool("select").pointerDown(15, 15).pointerMove(40, 40).pointerMove(50, 50);
    d.key("z", { ctrl: true });
    expect(d.state).toBe("idle");
    // The drag was reverted (not committed), then undo removed the rect itself.
    expect(d.editor.getRegion(r.id)).toBeUndefined();
    d.key("y", { ctrl: true });
    expect(d.editor.getRegion(r.id)).toMatchObject({ x: 10, y: 10 });
  });

  it("tolerances follow the zoom", () => {
    const d = new EditorDriver({ schema: testSchema });
    d.controller.setZoom(2);
    expect(d.controller.settings.tolerance).toBe(2.5);
    expect(d.controller.settings.dragThreshold).toBe(1.5);
  });

  it("unused keys are not handled", () => {
    const d = new EditorDriver({ schema: testSchema });
    d.key("q");
    expect(d.handled).toBe(false);
  });
});

describe("switching tools on the editor directly", () => {
  it("still abandons the old tool's drag", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    const r = d.editor.createRegion({ kind: "rect", x: 10, y: 10, width: 20, height: 20, label: "car" });
    d.tool("select").pointerDown(15, 15).pointerMove(40, 40);
    d.editor.setTool("rect");
    expect(d.controller.state).toBe("idle");
    expect(d.editor.getRegion(r.id)).toMatchObject({ x: 10, y: 10 });
    expect(d.editor.interaction).toBeNull();
  });
});

import { describe, it, expect } from "vitest";
import type { Region } from "@/lib/annotation/regions";
import { decodeRle } from "@/lib/annotation/regions/mask";
import { stampSegment } from "@/lib/annotation/tools/raster";
import { EditorDriver, testSchema } from "./support/editor-driver";

const W = 40;
const H = 30;
const driver = () => new EditorDriver({ schema: testSchema, width: W, height: H, settings: { brushRadius: 3 } }).label("sky");
const pixels = (r: Region) => {
  if (r.kind !== "mask") throw new Error("not a mask");
  return decodeRle(r.rle, r.width, r.height);
};
const px = (data: Uint8Array, x: number, y: number) => data[y * W + x];

describe("brush tool", () => {
  it("a stroke creates the label's mask on pointerup, as one undo step", () => {
    const d = driver().tool("brush");
    d.pointerDown(5, 5);
    expect(d.state).toBe("painting");
    d.pointerMove(15, 5).pointerMove(25, 5);
    expect(d.regions).toHaveLength(0); // the document changes when the stroke ends
    expect(d.preview).toMatchObject({ type: "brush", erase: false, radius: 3, regionId: null });
    d.pointerUp(25, 5);
    expect(d.state).toBe("idle");
    const m = d.region(0);
    expect(m).toMatchObject({ kind: "mask", label: "sky", width: W, height: H, origin: "manual" });
    const data = pixels(m);
    expect(px(data, 5, 5)).toBe(1);
    expect(px(data, 20, 5)).toBe(1); // between move samples: no gaps
    expect(px(data, 20, 20)).toBe(0);
    expect(d.editor.undoNames).toEqual(["create"]);
  });

  it("later strokes paint into the same mask; each stroke is a step", () => {
    const d = driver().tool("brush");
    d.drag(5, 5, 10, 5);
    d.drag(5, 20, 10, 20);
    expect(d.regions).toHaveLength(1);
    const data = pixels(d.region(0));
    expect([px(data, 5, 5), px(data, 5, 20)]).toEqual([1, 1]);
    expect(d.editor.undoNames).toEqual(["create", "paint"]);
    d.editor.undo();
    expect(px(pixels(d.region(0)), 5, 20)).toBe(0);
  });

  it("alt erases, the eraser tool erases, and erasing everything deletes the mask", () => {
    const d = driver().tool("brush");
    d.drag(5, 5, 30, 5);
    d.drag(5, 5, 10, 5, { alt: true });
    let data = pixels(d.region(0));
    expect(px(data, 6, 5)).toBe(0);
    expect(px(data, 28, 5)).toBe(1);
    d.tool("eraser").drag(0, 5, 39, 5);
    expect(d.regions).toHaveLength(0);
    d.editor.undo();
    data = pixels(d.region(0));
    expect(px(data, 28, 5)).toBe(1);
  });

  it("each label paints its own mask; Escape discards a stroke; erasing nothing does nothing", () => {
    const d = driver().tool("brush");
    d.drag(5, 5, 10, 5);
    d.label("road").drag(5, 20, 10, 20);
    expect(d.regions.map((r) => r.label)).toEqual(["sky", "road"]);
    d.pointerDown(30, 25).pointerMove(35, 25).key("Escape");
    expect(d.state).toBe("idle");
    d.pointerUp(35, 25);
    expect(px(pixels(d.region(1)), 33, 25)).toBe(0);
    d.label("person").tool("eraser").pointerDown(5, 5);
    expect(d.state).toBe("idle");
  });

  it("[ and ] change the radius; a label without masks cannot paint", () => {
    const d = driver().tool("brush");
    d.key("]");
    expect(d.controller.settings.brushRadius).toBeGreaterThan(3);
    d.key("[").key("[");
    expect(d.controller.settings.brushRadius).toBeLessThan(3);
    d.label("car").pointerDown(5, 5);
    expect(d.state).toBe("idle");
  });

  it("a locked mask is not painted", () => {
    const d = driver().tool("brush");
    d.drag(5, 5, 10, 5);
    d.editor.toggleLocked([d.region(0).id]);
    d.pointerDown(20, 20);
    expect(d.state).toBe("idle");
  });

  it("a stroke segment is gap-free and reports the box it touched", () => {
    const data = new Uint8Array(W * H);
    const box = stampSegment(data, W, H, { x: 2.5, y: 10.5 }, { x: 30.5, y: 10.5 }, 2, 1);
    for (let x = 2; x <= 30; x++) expect(px(data, x, 10)).toBe(1);
    expect(box).toEqual({ minX: 0, minY: 8, maxX: 33, maxY: 13 });
    expect(px(data, 20, 14)).toBe(0);
  });
});

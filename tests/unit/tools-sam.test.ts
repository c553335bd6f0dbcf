import { describe, it, expect } from "vitest";
import { EditorDriver, testSchema } from "./support/editor-driver";
import { maskRegions, type SamDriver, type SamMask, type SamTool, type SamToolPrompt } from "@/lib/annotation/tools/sam";
import { maskToPolygons } from "@/lib/prelabel/sam/mask";
import { pointInPolygon } from "@/lib/annotation/geometry";

/** A driver whose answers the test releases by hand (in any order). */
function fakeDriver() {
  const calls: Array<{ prompt: SamToolPrompt; signal: AbortSignal; resolve: (m: SamMask) => void; reject: (e: Error) => void }> = [];
  const driver: SamDriver = {
    segment: (prompt, signal) => new Promise<SamMask>((resolve, reject) => calls.push({ prompt, signal, resolve, reject })),
  };
  return { driver, calls };
}

/** A square mask of side 2r around (x, y), as the worker would answer. */
const square = (x: number, y: number, r: number, score = 0.9): SamMask => ({
  score,
  polygons: [{ points: [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]], area: 4 * r * r }],
});

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 }).tool("sam");
  const f = fakeDriver();
  const tool = d.controller.toolOf("sam") as SamTool;
  tool.driver = f.driver;
  return { d, tool, ...f };
}

const samPreview = (d: EditorDriver) => {
  const p = d.preview;
  if (p?.type !== "sam") throw new Error(`expected a sam preview, got ${p?.type}`);
  return p;
};

describe("SAM click-to-mask tool", () => {
  it("is offered for projects with polygons, hotkey S, and is a polygon tool", () => {
    const d = new EditorDriver({ schema: testSchema, width: 200, height: 100 });
    d.key("s");
    expect(d.controller.toolId).toBe("sam");
  });

  it("a click asks for a mask, shows it, and Enter makes one polygon with the current label (one undo step)", async () => {
    const { d, calls } = setup();
    d.click(50, 40);
    expect(d.state).toBe("prompted");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.prompt).toEqual({ clicks: [{ x: 50, y: 40, positive: true }], box: null });
    expect(samPreview(d)).toMatchObject({ pending: true, mask: null, clicks: [{ x: 50, y: 40, positive: true }] });
    calls[0]!.resolve(square(50, 40, 10));
    await flush();
    expect(samPreview(d)).toMatchObject({ pending: false, mask: { score: 0.9 } });
    expect(d.regions).toHaveLength(0); // a preview, not a region yet
    d.key("Enter");
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    expect(d.regions).toHaveLength(1);
    expect(d.region(0)).toMatchObject({ kind: "polygon", label: "car", origin: "manual", points: [[40, 30], [60, 30], [60, 50], [40, 50]] });
    expect(d.selected).toEqual([d.region(0).id]);
    d.editor.undo();
    expect(d.regions).toHaveLength(0);
    expect(d.editor.canUndo()).toBe(false);
  });

  it("Alt or Shift click excludes; clicks accumulate; Backspace removes the last; a drag is a box", async () => {
    const { d, calls } = setup();
    d.click(50, 40).click(60, 45, { alt: true }).click(70, 45, { shift: true });
    expect(calls.at(-1)!.prompt.clicks).toEqual([
      { x: 50, y: 40, positive: true },
      { x: 60, y: 45, positive: false },
      { x: 70, y: 45, positive: false },
    ]);
    // Older requests are abandoned as soon as the prompt changes.
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(calls[1]!.signal.aborted).toBe(true);
    expect(calls[2]!.signal.aborted).toBe(false);
    d.key("Backspace");
    expect(calls.at(-1)!.prompt.clicks).toHaveLength(2);
    d.key("z", { ctrl: true }); // Ctrl+Z while prompting: the last click, not the document
    expect(calls.at(-1)!.prompt.clicks).toEqual([{ x: 50, y: 40, positive: true }]);
    d.click(60, 45, { alt: true });
    d.drag(10, 10, 90, 80);
    expect(calls.at(-1)!.prompt).toEqual({ clicks: [{ x: 50, y: 40, positive: true }, { x: 60, y: 45, positive: false }], box: { x0: 10, y0: 10, x1: 90, y1: 80 } });
    expect(samPreview(d).box).toEqual({ minX: 10, minY: 10, maxX: 90, maxY: 80 });
    // A box dragged past the image edge is clamped.
    d.drag(150, 50, 260, 130);
    expect(calls.at(-1)!.prompt.box).toEqual({ x0: 150, y0: 50, x1: 200, y1: 100 });
  });

  it("drops a stale answer that arrives after a newer one", async () => {
    const { d, calls } = setup();
    d.click(50, 40).click(80, 40);
    calls[1]!.resolve(square(80, 40, 5, 0.8));
    await flush();
    calls[0]!.resolve(square(50, 40, 20, 0.99));
    await flush();
    expect(samPreview(d).mask?.score).toBe(0.8);
  });

  it("Enter while the answer is pending commits when it arrives", async () => {
    const { d, calls } = setup();
    d.click(50, 40).key("Enter");
    expect(d.regions).toHaveLength(0);
    calls[0]!.resolve(square(50, 40, 10));
    await flush();
    expect(d.regions).toHaveLength(1);
    expect(d.state).toBe("idle");
  });

  it("Escape clears the prompt and the mask; switching tools drops it too; nothing is created", async () => {
    const { d, calls } = setup();
    d.click(50, 40);
    calls[0]!.resolve(square(50, 40, 10));
    await flush();
    d.key("Escape");
    expect(d.state).toBe("idle");
    expect(d.preview).toBeNull();
    d.click(50, 40);
    d.tool("rect");
    expect(calls[1]!.signal.aborted).toBe(true);
    d.tool("sam");
    expect(d.preview).toBeNull();
    expect(d.regions).toHaveLength(0);
    expect(d.editor.canUndo()).toBe(false);
  });

  it("a failed answer is shown as an error and Enter creates nothing; no driver says the model is missing", async () => {
    const { d, calls, tool } = setup();
    d.click(50, 40);
    calls[0]!.reject(new Error("model missing"));
    await flush();
    expect(samPreview(d)).toMatchObject({ pending: false, error: "model missing", mask: null });
    d.key("Enter");
    expect(d.regions).toHaveLength(0);
    tool.driver = null;
    d.click(60, 40);
    expect(samPreview(d).error).toMatch(/not available/);
  });

  it("does nothing when the current label cannot hold a polygon", () => {
    const { d, calls } = setup();
    d.editor.setCurrentLabel("person");
    d.click(50, 40);
    expect(calls).toHaveLength(0);
    expect(d.state).toBe("idle");
  });
});

describe("maskRegions (mask polygons -> regions in image coordinates)", () => {
  it("keeps the largest part and parts >= 5% of it, clamps to the image, carries the label", () => {
    const mask: SamMask = {
      score: 0.9,
      polygons: [
        { points: [[-2, 0], [50, 0], [50, 50], [0, 52]], area: 2500 },
        { points: [[60, 60], [70, 60], [70, 70]], area: 50 }, // 2%: a speck
        { points: [[80, 0], [100, 0], [100, 20]], area: 200 }, // 8%
      ],
    };
    const out = maskRegions(mask, 60, 50, "car");
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ kind: "polygon", label: "car", points: [[0, 0], [50, 0], [50, 50], [0, 50]] });
    expect(out[1]).toMatchObject({ points: [[60, 0], [60, 0], [60, 20]] });
    expect(maskRegions({ score: 0, polygons: [] }, 60, 50, null)).toEqual([]);
  });

  it("a mask from maskToPolygons becomes a polygon that covers the shape in image pixels (IoU >= 0.95)", () => {
    const W = 120, H = 80;
    const shape = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((x - 70) ** 2 / 900 + (y - 35) ** 2 / 400 <= 1) shape[y * W + x] = 1;
    const polys = maskToPolygons(shape, W, H, { tolerance: 1 });
    const [region] = maskRegions({ score: 1, polygons: polys.map((p) => ({ points: p.points, area: p.area })) }, W, H, "road") as Array<{ points: Array<[number, number]> }>;
    let inter = 0, union = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const a = shape[y * W + x] === 1;
      const b = pointInPolygon(region!.points, { x: x + 0.5, y: y + 0.5 });
      if (a && b) inter++;
      if (a || b) union++;
    }
    expect(inter / union).toBeGreaterThanOrEqual(0.95);
    for (const [x, y] of region!.points) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(W);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(H);
    }
  });
});

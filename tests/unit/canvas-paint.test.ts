// The region painter against a recording 2D context: batching, level of detail, flags.
import { describe, expect, it } from "vitest";
import type { Region } from "@/lib/annotation/regions";
import { paintRegions, FLAG_COLOR } from "@/components/editor/image/engine/paint-regions";

function recorder() {
  const calls: Array<{ op: string; args: unknown[]; fill?: unknown; stroke?: unknown; alpha?: number; dash?: number[] }> = [];
  const state = { fillStyle: "", strokeStyle: "", globalAlpha: 1, lineWidth: 1, imageSmoothingEnabled: true, dash: [] as number[] };
  const rec = (op: string) => (...args: unknown[]) => calls.push({ op, args, fill: state.fillStyle, stroke: state.strokeStyle, alpha: state.globalAlpha, dash: state.dash });
  const ctx = new Proxy(state as unknown as Record<string, unknown>, {
    get(t, k: string) {
      if (k in t) return t[k];
      if (k === "setLineDash") return (d: number[]) => (state.dash = d);
      if (k === "save" || k === "restore") return () => {};
      return rec(k);
    },
    set(t, k: string, v) {
      t[k] = v;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const square = (id: string, x: number, y: number, s: number, label = "car"): Region =>
  ({ id, kind: "polygon", label, points: [[x, y], [x + s, y], [x + s, y + s], [x, y + s]] }) as Region;

const colors: Record<string, string> = { car: "#ff0000", person: "#00ff00" };
const style = (scale: number, flagged?: Set<string>) => ({
  scale,
  flagged,
  colorOf: (r: Region) => colors[r.label ?? ""] ?? "#64748b",
  skeletonOf: () => [] as Array<[number, number]>,
});

describe("paintRegions", () => {
  it("draws one path per region (a path per colour is 5x slower in Skia), translucent, in its label's colour", () => {
    const { ctx, calls } = recorder();
    const regions = [...Array.from({ length: 500 }, (_, i) => square(`c${i}`, i * 30, 0, 20)), ...Array.from({ length: 300 }, (_, i) => square(`p${i}`, i * 30, 100, 20, "person"))];
    expect(paintRegions(ctx, regions, style(1))).toBe(800);
    const fills = calls.filter((c) => c.op === "fill");
    expect(fills).toHaveLength(800);
    expect(calls.filter((c) => c.op === "beginPath")).toHaveLength(800);
    expect(new Set(fills.map((f) => f.fill))).toEqual(new Set(["rgba(255,0,0,0.2)", "rgba(0,255,0,0.2)"]));
    expect(calls.filter((c) => c.op === "stroke")).toHaveLength(800);
    expect(calls.filter((c) => c.op === "closePath")).toHaveLength(800);
  });

  it("fills small regions without an outline (strokes are the expensive part)", () => {
    const { ctx, calls } = recorder();
    paintRegions(ctx, [square("s", 0, 0, 10)], style(1));
    expect(calls.filter((c) => c.op === "fill")[0]!.fill).toBe("rgba(255,0,0,0.45)");
    expect(calls.filter((c) => c.op === "stroke")).toHaveLength(0);
  });

  it("draws regions a few screen pixels wide as boxes, and thins out vertices of small polygons", () => {
    const many = Array.from({ length: 40 }, (_, k): [number, number] => [100 + 20 * Math.cos((k / 40) * Math.PI * 2), 100 + 20 * Math.sin((k / 40) * Math.PI * 2)]);
    const circle = { id: "o", kind: "polygon", label: "car", points: many } as Region;
    const tiny = recorder();
    paintRegions(tiny.ctx, [circle], style(0.05)); // 40 px wide -> 2 screen px
    expect(tiny.calls.filter((c) => c.op === "fillRect")).toHaveLength(1);
    expect(tiny.calls.filter((c) => c.op === "lineTo")).toHaveLength(0);
    const small = recorder();
    paintRegions(small.ctx, [circle], style(0.3)); // 12 screen px: about 8 vertices
    const lines = small.calls.filter((c) => c.op === "lineTo").length;
    expect(lines).toBeGreaterThan(5);
    expect(lines).toBeLessThan(12);
    const big = recorder();
    paintRegions(big.ctx, [circle], style(4));
    expect(big.calls.filter((c) => c.op === "lineTo")).toHaveLength(39);
  });

  it("strokes polylines without filling them", () => {
    const { ctx, calls } = recorder();
    paintRegions(ctx, [{ id: "l", kind: "polyline", label: "car", points: [[0, 0], [50, 50], [100, 0]] } as Region], style(1));
    expect(calls.filter((c) => c.op === "fill")).toHaveLength(0);
    expect(calls.filter((c) => c.op === "stroke")).toHaveLength(1);
  });

  it("draws rotated rects by their corners and ellipses as sub-paths", () => {
    const { ctx, calls } = recorder();
    paintRegions(
      ctx,
      [
        { id: "a", kind: "rect", label: "car", x: 10, y: 10, width: 100, height: 50, rotation: 0 },
        { id: "b", kind: "rect", label: "car", x: 10, y: 10, width: 100, height: 50, rotation: 30 },
        { id: "e", kind: "ellipse", label: "car", cx: 50, cy: 50, rx: 20, ry: 10, rotation: 0 },
      ] as Region[],
      style(1),
    );
    expect(calls.filter((c) => c.op === "rect")[0]!.args).toEqual([10, 10, 100, 50]);
    expect(calls.filter((c) => c.op === "lineTo")).toHaveLength(3);
    expect(calls.filter((c) => c.op === "ellipse")).toHaveLength(1);
  });

  it("outlines flagged regions (label removed from the schema) with a dashed warning stroke", () => {
    const { ctx, calls } = recorder();
    paintRegions(ctx, [square("gone", 0, 0, 50, "bicycle"), square("ok", 100, 0, 50)], style(1, new Set(["gone"])));
    const warn = calls.filter((c) => c.op === "stroke" && c.stroke === FLAG_COLOR);
    expect(warn).toHaveLength(1);
    expect(warn[0]!.dash!.length).toBe(2);
  });
});

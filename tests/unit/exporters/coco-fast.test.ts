// COCO's direct writer for rect and polygon lines must give exactly the bytes of the general path
// (cocoAnnotation + cocoAnnotationJson), and ByteWriter's numbers exactly JSON.stringify(round(v)).
import { describe, expect, it } from "vitest";
import type { Region } from "@/lib/annotation/regions";
import { cocoAnnotation, cocoAnnotationJson, writeCocoRectPolygon } from "@/lib/exporters/coco";
import { ByteWriter, round } from "@/lib/exporters/common";
import { labelConfigSchema } from "@/lib/labeling-config/schema";

function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const text = (w: ByteWriter) => Buffer.from(w.take()).toString("utf8");

describe("COCO direct rect/polygon writer", () => {
  it("writes numbers as JSON.stringify(round(v)) does", () => {
    const r = rand(7);
    const values = [0, -0, 0.0004, -0.0004, 0.0005, -0.0005, 0.05, 0.005, 0.5, 1.5, -1.5, 10, 100.1, 999.9995, -999.9995, 1e11, 1e12, 1e15, 1e21, NaN, Infinity, -Infinity];
    for (let i = 0; i < 50_000; i++) values.push((r() - 0.5) * 10 ** (r() * 16 - 4));
    for (let i = 0; i < 50_000; i++) values.push(Math.round((r() - 0.5) * 4e6) / 1000);
    const w = new ByteWriter(64);
    for (const v of values) {
      w.num3(v);
      expect(text(w), String(v)).toBe(JSON.stringify(round(v)));
    }
    for (const v of [0, 7, 10, 99, 100, 123456789, 2 ** 40, -1, 1.5, 2 ** 53]) {
      w.int(v);
      expect(text(w)).toBe(JSON.stringify(v));
    }
  });

  it("gives the general path's bytes for rects (turned or not, attributes, scores) and polygons", () => {
    const schema = labelConfigSchema.parse({ labels: [{ name: "car", kinds: ["rect", "polygon"] }] });
    const r = rand(11);
    const c = () => (r() - 0.2) * 2000;
    const regions: Region[] = [];
    for (let i = 0; i < 3000; i++) {
      const extra: Record<string, unknown> = {};
      if (r() < 0.3) extra.attributes = r() < 0.5 ? { occluded: r() < 0.5, note: "ünïcode \"q\"", z: 1 } : {};
      if (r() < 0.2) Object.assign(extra, { origin: "prediction", score: r() });
      else if (r() < 0.1) Object.assign(extra, { origin: "prediction" });
      if (r() < 0.5) {
        const rotation = [0, 90, 360, -30, 12.345, 720.5][Math.floor(r() * 6)]!;
        regions.push({ id: `r${i}`, kind: "rect", label: "car", x: c(), y: c(), width: r() * 300, height: r() * 300, rotation, ...extra } as Region);
      } else {
        const n = Math.floor(r() * 9);
        regions.push({ id: `r${i}`, kind: "polygon", label: "car", points: Array.from({ length: n }, () => [c(), c()]), ...extra } as Region);
      }
    }
    const w = new ByteWriter(64);
    regions.forEach((reg, i) => {
      expect(writeCocoRectPolygon(w, i + 1, 1000 + i, reg, 3)).toBe(true);
      const ann = cocoAnnotation(reg, 3, schema, {});
      expect(typeof ann).not.toBe("string");
      expect(text(w)).toBe(cocoAnnotationJson(i + 1, 1000 + i, ann as Record<string, unknown>));
    });
    // Other kinds are left to the general path.
    expect(writeCocoRectPolygon(w, 1, 1, { id: "e", kind: "ellipse", label: "car", cx: 5, cy: 5, rx: 2, ry: 3, rotation: 0 } as Region, 1)).toBe(false);
    expect(w.size).toBe(0);
  });
});

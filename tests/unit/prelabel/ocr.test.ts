import fs from "node:fs";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { recognizeText } from "@/lib/prelabel/ppocr/ocr";
import { parseKeys } from "@/lib/prelabel/ppocr/rec";
import { fixture, modelPath, nodeSession } from "./helpers";

// The text lines of page.png, read by eye (tests/fixtures/images/page.png.json).
const LINES: string[] = (JSON.parse(fs.readFileSync(new URL("../../fixtures/images/page.png.json", import.meta.url), "utf8")) as { lines: string[] }).lines;
const words = (s: string) => s.toLowerCase().match(/[a-z]+/g) ?? [];

/**
 * Word recall per line (multiset). `exact`: the word itself; `read`: also counts a word run
 * together with its neighbour ("histogramof") as read: the letters are right, a space is missing.
 */
function score(texts: string[]) {
  let known = 0, read = 0, exact = 0;
  LINES.forEach((truth, i) => {
    const got = words((texts[i] ?? "").replace(/([a-z])([A-Z])/g, "$1 $2"));
    const pool = [...got];
    const exactPool = [...got];
    for (const w of words(truth)) {
      known++;
      const e = exactPool.indexOf(w);
      if (e >= 0) { exact++; exactPool.splice(e, 1); }
      const k = pool.findIndex((g) => g === w || (g.includes(w) && w.length >= 3));
      if (k >= 0) { read++; pool.splice(k, 1); }
    }
  });
  return { known, read, exact };
}

async function loadModels() {
  return {
    det: await nodeSession(modelPath.ocrDet),
    rec: await nodeSession(modelPath.ocrRec),
    classes: parseKeys(fs.readFileSync(modelPath.ocrKeys, "utf8")),
  };
}

describe("PP-OCRv4 on page.png (onnxruntime-node)", () => {
  it("finds every text line and reads at least 85% of the known words (80% as exact words)", async () => {
    const { data, info } = await sharp(fixture("images/page.png")).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const img = { width: info.width, height: info.height, data: new Uint8ClampedArray(data) };
    const models = await loadModels();
    const progress: number[] = [];
    const lines = await recognizeText(models, img, { onProgress: (p) => progress.push(p) });
    expect(lines).toHaveLength(LINES.length);
    expect(progress.at(-1)).toBe(1);
    // Reading order is top to bottom, and each polygon lies in the image around its line.
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      for (const [x, y] of l.points) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(img.width);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(img.height);
      }
      if (i > 0) expect(l.points[0][1]).toBeGreaterThan(lines[i - 1]!.points[0][1]);
      expect(l.confidence).toBeGreaterThan(0.8);
    }
    const { known, read, exact } = score(lines.map((l) => l.text));
    expect(known).toBe(49);
    expect(read / known).toBeGreaterThanOrEqual(0.85);
    expect(exact / known).toBeGreaterThanOrEqual(0.8);
  }, 60000);

  it("reads a page rotated by 12°: rotated quads, warped upright crops", async () => {
    const { data, info } = await sharp(fixture("images/page.png")).rotate(-12, { background: "#ffffff" }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const lines = await recognizeText(await loadModels(), { width: info.width, height: info.height, data: new Uint8ClampedArray(data) });
    expect(lines).toHaveLength(LINES.length);
    for (const l of lines.slice(0, 5)) {
      const [tl, tr] = l.points;
      const deg = (Math.atan2(tr[1] - tl[1], tr[0] - tl[0]) * 180) / Math.PI;
      expect(deg).toBeGreaterThan(-16);
      expect(deg).toBeLessThan(-8);
    }
    const { known, read } = score(lines.map((l) => l.text));
    expect(read / known).toBeGreaterThanOrEqual(0.8);
  }, 60000);
});

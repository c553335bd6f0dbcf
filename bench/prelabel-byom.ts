// `npm run bench -- --only prelabel` (BYOM rows): the cost of the bring-your-own-model pipelines'
// own work around the model, on synthetic outputs of real sizes (no YOLO weights exist offline):
// YOLOv8 decode + class-aware NMS over [1, 84, 8400], letterbox preprocessing of a 1920x1080
// frame to 640², YOLOv8-seg masks + polygons ([1, 116, 8400] + [1, 32, 160, 160]), and the
// WordPiece tokenizer + NER merge on a long text. Deterministic inputs (seeded).
import { performance } from "node:perf_hooks";
import os from "node:os";
import { decodeYolov8 } from "../lib/prelabel/byom/yolov8";
import { decodeYolov8Seg } from "../lib/prelabel/byom/yolov8-seg";
import { preprocessImage } from "../lib/prelabel/byom/preprocess";
import { descriptorSchema } from "../lib/prelabel/byom/descriptor";
import { WordPieceTokenizer } from "../lib/prelabel/byom/tokenizer";
import { mergeEntities } from "../lib/prelabel/byom/ner";
import type { PrelabelRow } from "./prelabel";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(fn: () => unknown, runs: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A plausible YOLOv8 head output: 30 objects, each seen by ~20 neighbouring anchors; the rest low scores. */
function syntheticV8(nc: number, n: number, extra: number, seed: number): Float32Array {
  const r = rng(seed);
  const C = 4 + nc + extra;
  const d = new Float32Array(C * n);
  for (let i = 0; i < n; i++) {
    d[i] = r() * 640; d[n + i] = r() * 640; d[2 * n + i] = 10 + r() * 60; d[3 * n + i] = 10 + r() * 60;
    for (let k = 0; k < nc; k++) d[(4 + k) * n + i] = r() * 0.02;
    for (let k = 0; k < extra; k++) d[(4 + nc + k) * n + i] = r() * 2 - 1;
  }
  for (let o = 0; o < 30; o++) {
    const cx = 50 + r() * 540, cy = 50 + r() * 540, w = 40 + r() * 100, h = 40 + r() * 100, cls = Math.floor(r() * nc);
    for (let j = 0; j < 20; j++) {
      const i = Math.floor(r() * n);
      d[i] = cx + (r() - 0.5) * 6; d[n + i] = cy + (r() - 0.5) * 6; d[2 * n + i] = w; d[3 * n + i] = h;
      d[(4 + cls) * n + i] = 0.5 + r() * 0.45;
    }
  }
  return d;
}

export async function runByomBench(): Promise<{ rows: PrelabelRow[] }> {
  const rows: PrelabelRow[] = [];
  const load = os.loadavg()[0]!.toFixed(2);
  const N = 8400, NC = 80;
  const v8 = syntheticV8(NC, N, 0, 1);
  let kept = 0;
  const ms = time(() => { kept = decodeYolov8(v8, [1, 4 + NC, N], NC, { conf: 0.25, iou: 0.45, maxDet: 300 }).length; }, 30);
  rows.push({ name: "BYOM YOLOv8 decode + NMS, 8400 × 80 classes (conf 0.25)", value: +ms.toFixed(2), unit: "ms", goal: "< 20", ok: ms < 20, note: `${kept} kept of ~600 candidates above conf; load ${load}` });
  let kept2 = 0;
  const ms2 = time(() => { kept2 = decodeYolov8(v8, [1, 4 + NC, N], NC, { conf: 0.001, iou: 0.7, maxDet: 300 }).length; }, 10);
  rows.push({ name: "BYOM YOLOv8 decode + NMS, 8400 × 80 (conf 0.001, worst case)", value: +ms2.toFixed(2), unit: "ms", note: `all 8400 candidates into NMS, ${kept2} kept (maxDet 300); load ${load}` });

  const input = descriptorSchema.parse({ task: "detect", input: { name: "images", size: [640, 640] }, output: { names: ["output0"], format: "yolov8" }, labels: ["a"] }).input!;
  const frame = { width: 1920, height: 1080, data: new Uint8ClampedArray(1920 * 1080 * 4).map((_, i) => (i * 2654435761) >>> 24) };
  const msPre = time(() => preprocessImage(frame, input), 10);
  rows.push({ name: "BYOM letterbox 1920×1080 → 640² (NCHW, /255)", value: +msPre.toFixed(2), unit: "ms", note: `bilinear, lib/prelabel/image.ts; load ${load}` });

  const seg = syntheticV8(NC, N, 32, 2);
  const r = rng(3);
  const protos = new Float32Array(32 * 160 * 160).map(() => r() * 2 - 1);
  const t = { sx: 1 / 3, sy: 1 / 3, dx: 0, dy: 140, inputWidth: 640, inputHeight: 640, width: 1920, height: 1080 };
  let segN = 0;
  const msSeg = time(() => { segN = decodeYolov8Seg({ data: seg, dims: [1, 4 + NC + 32, N] }, { data: protos, dims: [1, 32, 160, 160] }, NC, t, { conf: 0.25, iou: 0.45, maxDet: 300, mask: 0.5 }).length; }, 10);
  rows.push({ name: "BYOM YOLOv8-seg decode + masks + polygons, 8400 × (80+32), protos 32×160²", value: +msSeg.toFixed(2), unit: "ms", note: `${segN} polygons; load ${load}` });

  // WordPiece: a vocab of the words of a long synthetic text, split into 3-letter pieces.
  const words = Array.from({ length: 400 }, (_, i) => `wörd${i.toString(36)}x${(i * 7919).toString(36)}`);
  const vocab: Record<string, number> = { "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, ".": 4, ",": 5 };
  for (const w of words) {
    const norm = w.normalize("NFD").replace(/\p{Mn}/gu, "");
    for (let i = 0; i < norm.length; i += 3) { const p = (i ? "##" : "") + norm.slice(i, i + 3); vocab[p] ??= Object.keys(vocab).length; }
  }
  const tok = new WordPieceTokenizer({ normalizer: { type: "BertNormalizer", lowercase: true }, pre_tokenizer: { type: "BertPreTokenizer" }, model: { type: "WordPiece", unk_token: "[UNK]", vocab } });
  const rr = rng(4);
  const text = Array.from({ length: 10000 }, (_, i) => words[Math.floor(rr() * words.length)]! + (i % 17 === 16 ? "." : "")).join(" ");
  let ntok = 0;
  const msTok = time(() => {
    const enc = tok.encode(text);
    ntok = enc.tokens.length;
    mergeEntities(text, enc, enc.tokens.map((_, i) => ({ label: i % 5 === 0 ? 1 : i % 5 === 1 ? 2 : 0, score: 0.9 })), ["O", "B-X", "I-X"]);
  }, 5);
  rows.push({ name: `BYOM WordPiece tokenize + BIO merge, ${(text.length / 1000).toFixed(0)} k chars`, value: +msTok.toFixed(1), unit: "ms", note: `${ntok} tokens, 10000 words; load ${load}` });
  return { rows };
}

// `npm run bench -- --only prelabel`: the built-in pre-labelling models, per input, on
// onnxruntime-node (native CPU) and onnxruntime-web (wasm, 1 thread, in Node: the browser's code
// path without a browser) on the same inputs, with the ratio; plus a 60 s clip's VAD and
// page.png's OCR end to end. The headless-chromium (wasm and WebGPU) rows come with the editor UI.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { ortRunner, type OrtLike, type OrtSessionLike } from "../lib/prelabel/runtime/ort-adapter";
import type { RunFn } from "../lib/prelabel/tensor";
import { BUILTIN_MODELS } from "../lib/prelabel/models";
import { detectSpeech } from "../lib/prelabel/silero-vad/vad";
import { recognizeText } from "../lib/prelabel/ppocr/ocr";
import { detPreprocess } from "../lib/prelabel/ppocr/det";
import { cropQuad, parseKeys, recPreprocess } from "../lib/prelabel/ppocr/rec";
import { samDecoderFeeds, samEncoderInput } from "../lib/prelabel/sam/preprocess";
import { f32, type TensorData } from "../lib/prelabel/tensor";
import type { RgbaImage } from "../lib/prelabel/image";
import { parseWavHeader, readFrames } from "../lib/annotation/audio/wav";

export type PrelabelRow = { name: string; value: number; unit: string; goal?: string; ok?: boolean; note?: string };
export interface PrelabelBenchResult {
  rows: PrelabelRow[];
  models: { model: string; input: string; nativeMs: number; wasmMs: number; ratio: number; runs: number }[];
  endToEnd: Record<string, unknown>;
  /** Per-model latency in headless chromium (bench/prelabel-chromium.ts), when run. */
  chromium?: { runs: Array<{ model: string; threads: number; bundle: string; ms: number; createMs: number; runs: number }>; cores: number; isolated: boolean };
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const file = (m: { file: string }) => {
  const p = path.join(root, "public/models", m.file);
  if (!fs.existsSync(p)) throw new Error(`${p} missing: run \`npm run models\``);
  return p;
};

async function sessions(modelFile: string): Promise<{ native: RunFn; wasm: RunFn }> {
  const nodeMod = await import("onnxruntime-node");
  const node = nodeMod.InferenceSession ? nodeMod : nodeMod.default; // ESM (tsx) vs interop (vitest)
  const web = await import("onnxruntime-web");
  web.env.wasm.numThreads = 1;
  // One intra-op thread, like the wasm side: the ratio compares runtimes, not thread counts (and
  // for silero's tiny per-frame graphs the thread pool costs more than it gives on 2 cores).
  const n = await node.InferenceSession.create(modelFile, { graphOptimizationLevel: "all", intraOpNumThreads: 1 });
  const w = await web.InferenceSession.create(new Uint8Array(fs.readFileSync(modelFile)), { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  return { native: ortRunner(node as unknown as OrtLike, n as unknown as OrtSessionLike), wasm: ortRunner(web as unknown as OrtLike, w as unknown as OrtSessionLike) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One warm-up run, then `runs` timed runs; median ms. */
async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

async function loadImage(p: string) {
  const { data, info } = await sharp(p).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data) };
}

function loadWav(p: string) {
  const bytes = new Uint8Array(fs.readFileSync(p));
  const info = parseWavHeader(bytes, bytes.length)!;
  const samples = new Float32Array(info.frames);
  readFrames(info, bytes.slice(info.dataOffset, info.dataOffset + info.dataLength), (i, v) => (samples[i] = v));
  return { samples, sampleRate: info.sampleRate };
}

/** One model, one representative input: the same feeds go to onnxruntime-node, -web in Node and chromium. */
export interface ModelCase {
  model: string;
  input: string;
  /** File name under public/models/. */
  file: string;
  feeds: Record<string, TensorData>;
  runs: number;
}

export async function modelCases(page?: RgbaImage, wav?: { samples: Float32Array; sampleRate: number }): Promise<ModelCase[]> {
  page ??= await loadImage(path.join(root, "tests/fixtures/images/page.png"));
  wav ??= loadWav(path.join(root, "tests/fixtures/audio/meeting.wav"));
  const cases: ModelCase[] = [];
  // Silero VAD: one 32 ms frame (576 samples with context) of real speech.
  const frame = wav.samples.slice(32000, 32576);
  cases.push({
    model: "silero-vad-v5 frame", input: "1 frame = 512 samples + 64 context", file: BUILTIN_MODELS.sileroVad.file, runs: 200,
    feeds: { input: f32(frame, [1, 576]), state: f32(new Float32Array(256), [2, 1, 128]), sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] } },
  });
  // PP-OCRv4 det on page.png's model input, rec on one line crop.
  const detIn = detPreprocess(page);
  cases.push({ model: "ppocr-v4-det", input: `page.png ${page.width}x${page.height} -> ${detIn.width}x${detIn.height}`, file: BUILTIN_MODELS.ocrDet.file, runs: 10, feeds: { x: f32(detIn.data, detIn.dims) } });
  const recIn = recPreprocess(cropQuad(page, [[4, 48], [378, 49], [378, 68], [4, 67]]));
  cases.push({ model: "ppocr-v4-rec", input: `one line of page.png, ${recIn.dims[3]}x48`, file: BUILTIN_MODELS.ocrRec.file, runs: 10, feeds: { x: f32(recIn.data, recIn.dims) } });
  // SAM: encoder once per image (1024x1024), decoder per click (on the native encoder's embedding).
  const encIn = samEncoderInput(page);
  cases.push({ model: "sam-encoder", input: "page.png padded to 1024x1024", file: BUILTIN_MODELS.samEncoder.file, runs: 2, feeds: { input: f32(encIn.data, encIn.dims) } });
  const nodeMod = await import("onnxruntime-node");
  const node = nodeMod.InferenceSession ? nodeMod : nodeMod.default;
  const enc = await node.InferenceSession.create(file(BUILTIN_MODELS.samEncoder), { graphOptimizationLevel: "all" });
  const emb = await enc.run({ input: new node.Tensor("float32", encIn.data, encIn.dims) });
  const embData = (emb.output ?? Object.values(emb)[0]!).data as Float32Array;
  await enc.release();
  cases.push({ model: "sam-decoder", input: "one click", file: BUILTIN_MODELS.samDecoder.file, runs: 5, feeds: samDecoderFeeds(embData, page.width, page.height, { clicks: [{ x: 100, y: 25, positive: true }] }) });
  return cases;
}

export async function runPrelabelBench(): Promise<PrelabelBenchResult> {
  const loadBefore = +(await import("node:os")).loadavg()[0]!.toFixed(2);
  const rows: PrelabelRow[] = [];
  const models: PrelabelBenchResult["models"] = [];
  const page = await loadImage(path.join(root, "tests/fixtures/images/page.png"));
  const wav = loadWav(path.join(root, "tests/fixtures/audio/meeting.wav"));
  const classes = parseKeys(fs.readFileSync(path.join(root, "public/models/ppocr_keys_v1.txt"), "utf8"));

  const compare = async (model: string, input: string, s: { native: RunFn; wasm: RunFn }, feeds: () => Parameters<RunFn>[0], runs: number) => {
    const nativeMs = await time(() => s.native(feeds()), runs);
    const wasmMs = await time(() => s.wasm(feeds()), runs);
    const ratio = wasmMs / nativeMs;
    models.push({ model, input, nativeMs: +nativeMs.toFixed(2), wasmMs: +wasmMs.toFixed(2), ratio: +ratio.toFixed(2), runs });
    rows.push({ name: `${model}: native 1 thread (ort-node)`, value: +nativeMs.toFixed(2), unit: "ms", note: `${input}; 1 intra-op thread (${os.cpus().length} cores)` });
    rows.push({ name: `${model}: wasm 1 thread (ort-web, Node)`, value: +wasmMs.toFixed(2), unit: "ms", note: `${input}; median of ${runs}` });
    rows.push({ name: `${model}: wasm / native`, value: +ratio.toFixed(2), unit: "x", goal: "<= 2 (browser)", ok: ratio <= 2, note: "Node wasm stands in for the browser until the UI bench" });
  };

  const cases = await modelCases(page, wav);
  const byModel = new Map<string, { native: RunFn; wasm: RunFn }>();
  for (const c of cases) {
    const s = await sessions(file({ file: c.file }));
    byModel.set(c.model, s);
    await compare(c.model, c.input, s, () => c.feeds, c.runs);
  }
  const vad = byModel.get("silero-vad-v5 frame")!;
  const det = byModel.get("ppocr-v4-det")!;
  const rec = byModel.get("ppocr-v4-rec")!;

  // End to end: a 60 s clip (meeting.wav repeated), resampling + frames + segmenter.
  const clip = new Float32Array(60 * wav.sampleRate);
  for (let i = 0; i < clip.length; i++) clip[i] = wav.samples[i % wav.samples.length]!;
  const endToEnd: Record<string, unknown> = { loadAverage1mAtStart: loadBefore };
  for (const [k, run] of [["native", vad.native], ["wasm", vad.wasm]] as const) {
    const s = performance.now();
    const r = await detectSpeech(run, clip, wav.sampleRate);
    const ms = performance.now() - s;
    endToEnd[`vad60s_${k}`] = { ms: Math.round(ms), segments: r.segments.length };
    rows.push({ name: `VAD 60 s clip end to end (${k})`, value: Math.round(ms), unit: "ms", note: `${r.segments.length} segments, real-time factor ${(ms / 60000).toFixed(4)}` });
  }
  {
    // The worker's path: the whole VAD as one `task` request to the worker host (onnxruntime-web).
    const { createWorkerHost } = await import("../lib/prelabel/runtime/host");
    const web = await import("onnxruntime-web");
    const host = createWorkerHost({ ort: web as unknown as Parameters<typeof createWorkerHost>[0]["ort"], env: async () => ({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: os.cpus().length }) });
    const sink = () => undefined;
    await host.handle({ type: "init", id: 1, session: "vad", model: { key: "silero", bytes: new Uint8Array(fs.readFileSync(file(BUILTIN_MODELS.sileroVad))) }, backend: "wasm" }, sink);
    let segs = -1;
    const s = performance.now();
    await host.handle({ type: "task", id: 2, task: { kind: "vad", session: "vad", audio: clip, sampleRate: wav.sampleRate } }, (m) => {
      if (m.type === "taskResult") segs = (m.result as { segments: unknown[] }).segments.length;
      if (m.type === "error") throw new Error(m.error.message);
    });
    const ms = performance.now() - s;
    endToEnd.vad60s_workerTask = { ms: Math.round(ms), segments: segs };
    rows.push({ name: "VAD 60 s clip as one worker task (wasm)", value: Math.round(ms), unit: "ms", note: `${segs} segments; runtime/host.ts as the worker runs it, in Node` });
  }
  for (const [k, d, r] of [["native", det.native, rec.native], ["wasm", det.wasm, rec.wasm]] as const) {
    const s = performance.now();
    const lines = await recognizeText({ det: d, rec: r, classes }, page);
    const ms = performance.now() - s;
    endToEnd[`ocrPage_${k}`] = { ms: Math.round(ms), lines: lines.length, text: lines.map((l) => l.text) };
    rows.push({ name: `OCR page.png end to end (${k})`, value: Math.round(ms), unit: "ms", note: `${lines.length} lines: det + ${lines.length} rec runs` });
  }
  endToEnd.loadAverage1mAtEnd = +(await import("node:os")).loadavg()[0]!.toFixed(2);
  return { rows, models, endToEnd };
}

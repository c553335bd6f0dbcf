// The built-in models: file names under /models/ (copied by scripts/copy-models.mjs, listed with
// sizes, hashes and licences in public/models/manifest.json) and a representative warm-up input
// for the backend measurement. Pure data; the UI session wires these to the editors.
import { f32, type Feeds } from "./tensor";

export interface BuiltinModel {
  /** Manifest name; also the key the backend choice is remembered under. */
  name: string;
  file: string;
  task: string;
  warmup: () => Feeds;
}

const zeros = (dims: number[]) => f32(new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);

export const BUILTIN_MODELS = {
  sileroVad: {
    name: "silero-vad-v5",
    file: "silero_vad_v5.onnx",
    task: "audio: speech segments",
    warmup: () => ({ input: zeros([1, 576]), state: zeros([2, 1, 128]), sr: { type: "int64", data: BigInt64Array.of(16000n), dims: [] } }),
  },
  ocrDet: { name: "ppocr-v4-det", file: "ch_PP-OCRv4_det_infer.onnx", task: "image: text regions", warmup: () => ({ x: zeros([1, 3, 320, 320]) }) },
  ocrRec: { name: "ppocr-v4-rec", file: "ch_PP-OCRv4_rec_infer.onnx", task: "image: text transcription", warmup: () => ({ x: zeros([1, 3, 48, 320]) }) },
  samEncoder: { name: "sam-encoder", file: "sam_encoder.onnx", task: "image: click-to-mask (embedding)", warmup: () => ({ input: zeros([1, 3, 1024, 1024]) }) },
  samDecoder: {
    name: "sam-decoder",
    file: "sam_decoder.onnx",
    task: "image: click-to-mask (prompt)",
    warmup: () => ({
      image_embeddings: zeros([1, 256, 64, 64]),
      point_coords: f32(Float32Array.of(512, 512, 0, 0), [1, 2, 2]),
      point_labels: f32(Float32Array.of(1, -1), [1, 2]),
      mask_input: zeros([1, 1, 256, 256]),
      has_mask_input: zeros([1]),
      orig_im_size: f32(Float32Array.of(1024, 1024), [2]),
    }),
  },
} satisfies Record<string, BuiltinModel>;

/** The OCR dictionary (ppocr_keys_v1.txt) next to the models. */
export const OCR_KEYS_FILE = "ppocr_keys_v1.txt";

export const modelUrl = (file: string, base = "/models/") => base + file;

export interface ModelManifestEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  licence: string;
  source: string;
}

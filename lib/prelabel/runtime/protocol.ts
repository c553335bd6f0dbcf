// The typed message protocol between the page and the pre-labelling Web Worker (worker.ts).
// Requests carry an id; every request gets exactly one final answer with that id (ready, result,
// released or error), possibly preceded by progress messages. Errors are values, not exceptions,
// so the editor can show a clear message and keep working.
import type { Feeds, Outputs } from "../tensor";
import type { TaskResult, TaskSpec } from "./tasks";

export type Backend = "webgpu" | "wasm";
export type BackendPreference = "auto" | Backend;

export interface ModelSource {
  /** Stable name used to remember the backend choice, e.g. "silero-vad-v5@0.0.31". */
  key: string;
  /** Where the worker fetches the .onnx (same origin, e.g. /models/silero_vad_v5.onnx) ... */
  url?: string;
  /** ... or the bytes themselves (an uploaded model). */
  bytes?: Uint8Array;
  /** Expected sha256 (hex) from public/models/manifest.json; a mismatch is `invalid_model`. */
  sha256?: string;
}

export interface InitRequest {
  type: "init";
  id: number;
  /** Name for the session in later requests (one per model, e.g. "ocr-det"). */
  session: string;
  model: ModelSource;
  /** "auto" measures WebGPU against wasm (unless `remembered` is given) and keeps the faster. */
  backend: BackendPreference;
  /** The page's remembered choice for this model (the worker has no storage). */
  remembered?: Backend;
  /** A representative input to time each backend with (and to warm the chosen one up). */
  warmup?: Feeds;
}

export interface RunRequest {
  type: "run";
  id: number;
  session: string;
  feeds: Feeds;
  outputs?: string[];
}

/** Cancel request `target`. A run already inside onnxruntime finishes but its result is dropped. */
export interface CancelRequest {
  type: "cancel";
  id: number;
  target: number;
}

export interface ReleaseRequest {
  type: "release";
  id: number;
  session: string;
}

/** A whole pipeline (VAD, OCR, SAM, BYOM image / NER) inside the worker, on sessions initialised before. */
export interface TaskRequest {
  type: "task";
  id: number;
  task: TaskSpec;
}

export type WorkerRequest = InitRequest | RunRequest | TaskRequest | CancelRequest | ReleaseRequest;

export interface BackendMeasurement {
  backend: Backend;
  /** Warm inference time in ms, null when the backend failed. */
  ms: number | null;
  error?: string;
}

export interface ProgressMessage {
  type: "progress";
  id: number;
  /** "task": `loaded` is the share done in [0, 1], `total` 1. */
  phase: "download" | "create" | "measure" | "task";
  loaded: number;
  total: number | null;
}

export interface ReadyMessage {
  type: "ready";
  id: number;
  session: string;
  backend: Backend;
  /** How the backend was chosen. */
  chosenBy: "override" | "remembered" | "measured" | "only-option";
  measurements: BackendMeasurement[];
  inputNames: string[];
  outputNames: string[];
  wasmThreads: number;
}

export interface ResultMessage {
  type: "result";
  id: number;
  outputs: Outputs;
  ms: number;
  backend: Backend;
}

export interface TaskResultMessage {
  type: "taskResult";
  id: number;
  result: TaskResult;
  ms: number;
}

export interface ReleasedMessage {
  type: "released";
  id: number;
}

export type PrelabelErrorCode =
  | "bad_request"
  | "unknown_session"
  | "download_failed"
  | "invalid_model"
  | "backend_unavailable"
  | "input_mismatch"
  | "out_of_memory"
  | "run_failed"
  | "cancelled";

export interface ErrorMessage {
  type: "error";
  id: number;
  error: { code: PrelabelErrorCode; message: string };
}

export type WorkerResponse = ProgressMessage | ReadyMessage | ResultMessage | TaskResultMessage | ReleasedMessage | ErrorMessage;

/** An error answer as an exception on the page side, with its code. */
export class PrelabelError extends Error {
  constructor(readonly code: PrelabelErrorCode, message: string) {
    super(message);
    this.name = "PrelabelError";
  }
}

/** Map an onnxruntime exception to a code the UI can explain. */
export function classifyOrtError(e: unknown, during: "create" | "run"): { code: PrelabelErrorCode; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /out of memory|allocation failed|Aborted\(OOM\)|bad_alloc/i.test(message)) {
    return { code: "out_of_memory", message: `the model ran out of memory: ${message}` };
  }
  if (during === "create") return { code: "invalid_model", message: `not a usable ONNX model: ${message}` };
  if (/invalid (dimensions|rank|shape)|input .*(missing|not found)|Unexpected input|expected shape|data type/i.test(message)) {
    return { code: "input_mismatch", message: `the input does not match the model: ${message}` };
  }
  return { code: "run_failed", message: `the model failed: ${message}` };
}

/** The typed arrays of some tensors (to transfer instead of copy across postMessage). */
export function transferables(t: Feeds | Outputs): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(t)) if (v.data.buffer instanceof ArrayBuffer) out.add(v.data.buffer);
  return [...out];
}

// Which execution backend runs a model: decided by measurement, not by assumption. A software
// WebGPU adapter (no GPU, e.g. SwiftShader) is slower than wasm SIMD, and a real GPU is much
// faster, so on first use of a model we time a warm inference on each available backend and keep
// the faster; the page remembers the choice per model, and the user can override it. Pure.
import type { Backend, BackendMeasurement, BackendPreference } from "./protocol";

export interface BackendEnv {
  /** navigator.gpu.requestAdapter() returned an adapter. */
  webgpu: boolean;
  /** Multi-threaded wasm needs SharedArrayBuffer, which needs COOP/COEP (crossOriginIsolated). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

/**
 * wasm threads: 1 unless the page is cross-origin isolated; then up to 4, leaving a core free on
 * bigger machines but using both cores of a 2-core one (measured in headless chromium on 2 cores:
 * OCR recognition 247 -> 175 ms and the SAM decoder 253 -> 144 ms with 2 threads, while the page
 * waits on the worker anyway). onnxruntime-web reads this once, when its wasm starts.
 */
export function wasmThreads(env: BackendEnv): number {
  if (!env.crossOriginIsolated) return 1;
  const cores = env.hardwareConcurrency || 1;
  return Math.max(Math.min(2, cores), Math.min(4, cores - 1));
}

/** Candidates in the order they are measured (wasm always works, so it is always a candidate). */
export function candidateBackends(env: BackendEnv): Backend[] {
  return env.webgpu ? ["webgpu", "wasm"] : ["wasm"];
}

/** The fastest backend that worked; wasm when nothing could be measured. */
export function fastest(measurements: readonly BackendMeasurement[]): Backend {
  let best: BackendMeasurement | null = null;
  for (const m of measurements) if (m.ms !== null && (best === null || m.ms < best.ms!)) best = m;
  return best?.backend ?? "wasm";
}

export interface BackendChoice {
  backend: Backend;
  chosenBy: "override" | "remembered" | "measured" | "only-option";
  measurements: BackendMeasurement[];
}

/**
 * Decide the backend. `measure(b)` creates a session on b and times a warm inference (ms), or
 * throws when b cannot run the model. An override naming an unavailable backend falls back to
 * measuring (so "webgpu" on a browser without WebGPU still works, on wasm).
 */
export async function chooseBackend(opts: {
  env: BackendEnv;
  preference: BackendPreference;
  remembered?: Backend;
  measure: (b: Backend) => Promise<number>;
}): Promise<BackendChoice> {
  const cands = candidateBackends(opts.env);
  if (opts.preference !== "auto" && cands.includes(opts.preference)) return { backend: opts.preference, chosenBy: "override", measurements: [] };
  if (opts.remembered && cands.includes(opts.remembered)) return { backend: opts.remembered, chosenBy: "remembered", measurements: [] };
  if (cands.length === 1) return { backend: cands[0]!, chosenBy: "only-option", measurements: [] };
  const measurements: BackendMeasurement[] = [];
  for (const b of cands) {
    try {
      measurements.push({ backend: b, ms: await opts.measure(b) });
    } catch (e) {
      measurements.push({ backend: b, ms: null, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { backend: fastest(measurements), chosenBy: "measured", measurements };
}

/** Where the page keeps choices: localStorage in the browser, a Map in tests. */
export interface BackendMemory {
  get(modelKey: string): Backend | undefined;
  set(modelKey: string, backend: Backend): void;
}

export function storageMemory(storage: Pick<Storage, "getItem" | "setItem"> | undefined, prefix = "loupe.prelabel.backend."): BackendMemory {
  return {
    get: (k) => {
      const v = storage?.getItem(prefix + k);
      return v === "webgpu" || v === "wasm" ? v : undefined;
    },
    set: (k, b) => {
      try {
        storage?.setItem(prefix + k, b);
      } catch {
        // Private mode / quota: measuring again next time is fine.
      }
    },
  };
}

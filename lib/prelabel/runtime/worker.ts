// The pre-labelling Web Worker: onnxruntime-web sessions behind the protocol in protocol.ts.
// Loaded by the page with `new Worker(new URL("@/lib/prelabel/runtime/worker.ts", import.meta.url),
// { type: "module" })`. Wasm files come from /ort/ (copied from onnxruntime-web by
// scripts/copy-models.mjs), never from a CDN.
// The plain wasm build for wasm sessions; the WebGPU (JSEP) build only when a webgpu session is
// made: its wasm (built with asyncify for WebGPU) is 2-3x slower on CPU (bench/prelabel-chromium.ts), so wasm sessions
// must not run on it.
import * as ort from "onnxruntime-web/wasm";
import { createWorkerHost, type OrtWebLike } from "./host";
import type { WorkerRequest, WorkerResponse } from "./protocol";

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(msg: WorkerResponse, transfer?: Transferable[]): void;
  crossOriginIsolated?: boolean;
  navigator: Navigator & { gpu?: { requestAdapter(): Promise<unknown | null> } };
}
const scope = globalThis as unknown as WorkerScope;

ort.env.wasm.wasmPaths = "/ort/";
ort.env.wasm.proxy = false; // we are the worker already
let webgpuOrt: Promise<OrtWebLike> | null = null;
const ortFor = (backend: "wasm" | "webgpu"): Promise<OrtWebLike> => {
  if (backend === "wasm") return Promise.resolve(ort as unknown as OrtWebLike);
  // The default entry is the JSEP build (WebGPU through JS kernels, with ort-wasm-simd-threaded.jsep.*
  // in /ort/); "onnxruntime-web/webgpu" would want the asyncify build, which is not shipped.
  webgpuOrt ??= import("onnxruntime-web").then((m) => {
    m.env.wasm.wasmPaths = "/ort/";
    m.env.wasm.proxy = false;
    return m as unknown as OrtWebLike;
  });
  return webgpuOrt;
};

let gpu: Promise<boolean> | null = null;
const host = createWorkerHost({
  ort: ort as unknown as OrtWebLike,
  ortFor,
  env: async () => {
    gpu ??= (async () => {
      try {
        return !!(await scope.navigator.gpu?.requestAdapter());
      } catch {
        return false;
      }
    })();
    return { webgpu: await gpu, crossOriginIsolated: !!scope.crossOriginIsolated, hardwareConcurrency: scope.navigator.hardwareConcurrency ?? 1 };
  },
  sha256: async (bytes) => {
    const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
    return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
  },
});

scope.onmessage = (e) => {
  void host.handle(e.data, (msg, transfer) => scope.postMessage(msg, transfer));
};

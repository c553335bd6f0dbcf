// The page side of the worker protocol: promises per request, progress callbacks, AbortSignal ->
// cancel, typed errors (PrelabelError with a code), and a RunFn per session so the model
// pipelines (silero-vad, ppocr, sam) run unchanged against the worker.
import type { Feeds, Outputs, RunFn } from "../tensor";
import type { BackendMemory } from "./backend";
import type { TaskResults, TaskSpec } from "./tasks";
import {
  PrelabelError,
  transferables,
  type Backend,
  type BackendPreference,
  type ModelSource,
  type ProgressMessage,
  type ReadyMessage,
  type WorkerRequest,
  type WorkerResponse,
} from "./protocol";

/** What the client needs from a Worker (or a test's fake port). */
export interface PortLike {
  postMessage(msg: WorkerRequest, transfer?: Transferable[]): void;
  addEventListener(type: "message", fn: (e: { data: WorkerResponse }) => void): void;
}

interface Pending {
  resolve: (m: WorkerResponse) => void;
  reject: (e: Error) => void;
  onProgress?: (p: ProgressMessage) => void;
}

export class PrelabelClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  constructor(private readonly port: PortLike, private readonly memory?: BackendMemory) {
    port.addEventListener("message", (e) => this.receive(e.data));
  }

  private receive(m: WorkerResponse) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === "progress") return p.onProgress?.(m);
    this.pending.delete(m.id);
    if (m.type === "error") p.reject(new PrelabelError(m.error.code, m.error.message));
    else p.resolve(m);
  }

  private request<T extends WorkerResponse>(build: (id: number) => WorkerRequest, opts: { signal?: AbortSignal; onProgress?: (p: ProgressMessage) => void; transfer?: ArrayBuffer[] } = {}): Promise<T> {
    const id = this.nextId++;
    if (opts.signal?.aborted) return Promise.reject(new PrelabelError("cancelled", "cancelled"));
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (m: WorkerResponse) => void, reject, onProgress: opts.onProgress });
      opts.signal?.addEventListener("abort", () => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        reject(new PrelabelError("cancelled", "cancelled"));
        this.port.postMessage({ type: "cancel", id: this.nextId++, target: id });
      }, { once: true });
      this.port.postMessage(build(id), opts.transfer);
    });
  }

  /** Create (or replace) a session; "auto" measures backends once per model and remembers. */
  async init(session: string, model: ModelSource, opts: { backend?: BackendPreference; warmup?: Feeds; signal?: AbortSignal; onProgress?: (p: ProgressMessage) => void } = {}): Promise<ReadyMessage> {
    const backend = opts.backend ?? "auto";
    const remembered: Backend | undefined = backend === "auto" ? this.memory?.get(model.key) : undefined;
    const ready = await this.request<ReadyMessage>((id) => ({ type: "init", id, session, model, backend, remembered, warmup: opts.warmup }), opts);
    if (ready.chosenBy === "measured") this.memory?.set(model.key, ready.backend);
    return ready;
  }

  /** `transfer: true` moves the feeds' buffers to the worker (faster for big images; unusable after). */
  async run(session: string, feeds: Feeds, opts: { outputs?: string[]; signal?: AbortSignal; transfer?: boolean } = {}): Promise<Outputs> {
    const res = await this.request<Extract<WorkerResponse, { type: "result" }>>((id) => ({ type: "run", id, session, feeds, outputs: opts.outputs }), { signal: opts.signal, transfer: opts.transfer ? transferables(feeds) : undefined });
    return res.outputs;
  }

  /** A RunFn bound to one session, for the model pipelines (feeds are copied: pipelines reuse some). */
  runner(session: string, signal?: AbortSignal): RunFn {
    return (feeds, outputs) => this.run(session, feeds, { outputs, signal });
  }

  /**
   * A whole pipeline inside the worker: `{kind: "vad" | "ocr" | "sam", ...}` on sessions created
   * with init. Progress is the share done; aborting cancels between inferences.
   */
  async task<K extends TaskSpec["kind"]>(spec: Extract<TaskSpec, { kind: K }>, opts: { signal?: AbortSignal; onProgress?: (done: number) => void } = {}): Promise<TaskResults[K]> {
    const res = await this.request<Extract<WorkerResponse, { type: "taskResult" }>>((id) => ({ type: "task", id, task: spec as TaskSpec }), {
      signal: opts.signal,
      onProgress: opts.onProgress ? (p) => opts.onProgress!(p.loaded) : undefined,
    });
    return res.result as TaskResults[K];
  }

  async release(session: string): Promise<void> {
    await this.request((id) => ({ type: "release", id, session }));
  }
}

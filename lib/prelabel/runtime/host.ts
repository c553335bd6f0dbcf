// The worker's logic, separate from the `self.onmessage` binding (worker.ts) so tests can drive
// it in Node with onnxruntime-web (wasm) and a fake message port. Holds the sessions, serialises
// runs per session (onnxruntime-web refuses concurrent runs on one session), measures backends,
// and turns every failure into a typed error message.
import type { Feeds, RunFn } from "../tensor";
import { SamSegmenter } from "../sam/sam";
import { parseKeys } from "../ppocr/rec";
import { runTask, TaskInputError } from "./tasks";
import { ortRunner, type OrtLike, type OrtSessionLike } from "./ort-adapter";
import { chooseBackend, wasmThreads, type BackendEnv } from "./backend";
import {
  classifyOrtError,
  transferables,
  type Backend,
  type InitRequest,
  type PrelabelErrorCode,
  type RunRequest,
  type TaskRequest,
  type WorkerRequest,
  type WorkerResponse,
} from "./protocol";

export interface OrtWebLike extends OrtLike {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike> };
  env: { wasm: { numThreads?: number } };
}

export interface HostDeps {
  ort: OrtWebLike;
  /**
   * The onnxruntime build for a backend; default `ort` for both. The browser worker gives wasm
   * sessions the plain wasm build and loads the WebGPU (JSEP) build only for webgpu: JSEP's
   * asyncify'd wasm runs CPU kernels 2-3x slower (bench/prelabel-chromium.ts).
   */
  ortFor?: (backend: Backend) => Promise<OrtWebLike>;
  env: () => Promise<BackendEnv>;
  fetch?: (url: string) => Promise<Response>;
  sha256?: (bytes: Uint8Array) => Promise<string>;
  now?: () => number;
}

type Post = (msg: WorkerResponse, transfer?: ArrayBuffer[]) => void;

interface Hosted {
  session: OrtSessionLike;
  backend: Backend;
  queue: Promise<unknown>;
}

class Failure extends Error {
  constructor(readonly code: PrelabelErrorCode, message: string) {
    super(message);
  }
}

export function createWorkerHost(deps: HostDeps) {
  const sessions = new Map<string, Hosted>();
  const cancelled = new Set<number>();
  const aborts = new Map<number, AbortController>();
  const keyTables = new Map<string, Promise<string[]>>();
  const sams = new Map<string, SamSegmenter>();
  const now = deps.now ?? (() => performance.now());
  // Tensors must come from the build that made the session.
  const ortOf = new WeakMap<OrtSessionLike, OrtWebLike>();
  const runnerOf = (s: OrtSessionLike) => ortRunner(ortOf.get(s) ?? deps.ort, s);
  const checkCancel = (id: number) => {
    if (cancelled.has(id)) throw new Failure("cancelled", "cancelled");
  };

  async function loadBytes(req: InitRequest, post: Post): Promise<Uint8Array> {
    if (req.model.bytes) return req.model.bytes;
    if (!req.model.url) throw new Failure("bad_request", "model needs a url or bytes");
    const f = deps.fetch ?? fetch;
    let res: Response;
    try {
      res = await f(req.model.url);
    } catch (e) {
      throw new Failure("download_failed", `could not fetch ${req.model.url}: ${e instanceof Error ? e.message : e}`);
    }
    if (!res.ok) throw new Failure("download_failed", `${req.model.url}: HTTP ${res.status}${res.status === 404 ? " (model files not installed? run `npm run models`)" : ""}`);
    const total = Number(res.headers.get("content-length")) || null;
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      checkCancel(req.id);
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      post({ type: "progress", id: req.id, phase: "download", loaded, total });
    }
    const bytes = new Uint8Array(loaded);
    let o = 0;
    for (const c of chunks) { bytes.set(c, o); o += c.length; }
    return bytes;
  }

  async function create(bytes: Uint8Array, backend: Backend, threads: number): Promise<OrtSessionLike> {
    try {
      const ort = deps.ortFor ? await deps.ortFor(backend) : deps.ort;
      ort.env.wasm.numThreads = threads;
      const s = await ort.InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: "all" });
      ortOf.set(s, ort);
      return s;
    } catch (e) {
      const c = classifyOrtError(e, "create");
      if (c.code === "invalid_model" && backend === "webgpu") throw new Failure("backend_unavailable", c.message);
      throw new Failure(c.code, c.message);
    }
  }

  async function init(req: InitRequest, post: Post) {
    const bytes = await loadBytes(req, post);
    if (req.model.sha256 && deps.sha256) {
      const got = await deps.sha256(bytes);
      if (got !== req.model.sha256.toLowerCase()) throw new Failure("invalid_model", `${req.model.key}: checksum ${got.slice(0, 12)}… does not match the manifest`);
    }
    checkCancel(req.id);
    const env = await deps.env();
    const threads = wasmThreads(env);
    const made = new Map<Backend, OrtSessionLike>();
    const choice = await chooseBackend({
      env,
      preference: req.backend,
      remembered: req.remembered,
      measure: async (b) => {
        checkCancel(req.id);
        post({ type: "progress", id: req.id, phase: "measure", loaded: made.size, total: null });
        const s = await create(bytes, b, threads);
        made.set(b, s);
        if (!req.warmup) return 0;
        const run = runnerOf(s);
        await run(req.warmup); // first run compiles kernels / shaders: not what we compare
        const t0 = now();
        await run(req.warmup);
        return now() - t0;
      },
    });
    checkCancel(req.id);
    let session = made.get(choice.backend);
    for (const [b, s] of made) if (b !== choice.backend) await s.release?.();
    if (!session) {
      post({ type: "progress", id: req.id, phase: "create", loaded: 0, total: null });
      session = await create(bytes, choice.backend, threads);
    }
    const old = sessions.get(req.session);
    sessions.set(req.session, { session, backend: choice.backend, queue: Promise.resolve() });
    await old?.session.release?.();
    post({
      type: "ready",
      id: req.id,
      session: req.session,
      backend: choice.backend,
      chosenBy: choice.chosenBy,
      measurements: choice.measurements,
      inputNames: [...session.inputNames],
      outputNames: [...session.outputNames],
      wasmThreads: threads,
    });
  }

  function hosted(session: string): Hosted {
    const h = sessions.get(session);
    if (!h) throw new Failure("unknown_session", `no session "${session}" (init it first)`);
    return h;
  }

  /** Run on a session after whatever is queued on it (onnxruntime-web: one run at a time). */
  function queued<T>(h: Hosted, id: number, fn: () => Promise<T>): Promise<T> {
    const task = h.queue.then(() => {
      checkCancel(id); // cancelled while queued: never runs
      return fn();
    });
    h.queue = task.catch(() => undefined);
    return task;
  }

  async function infer(h: Hosted, feeds: Feeds, outputs?: string[]) {
    try {
      return await runnerOf(h.session)(feeds, outputs);
    } catch (e) {
      const c = classifyOrtError(e, "run");
      throw new Failure(c.code, c.message);
    }
  }

  async function run(req: RunRequest, post: Post) {
    const h = hosted(req.session);
    const missing = h.session.inputNames.filter((n) => !(n in req.feeds));
    if (missing.length) throw new Failure("input_mismatch", `missing model input(s): ${missing.join(", ")}`);
    await queued(h, req.id, async () => {
      const t0 = now();
      const outputs = await infer(h, req.feeds, req.outputs);
      checkCancel(req.id); // cancelled while running: drop the result
      post({ type: "result", id: req.id, outputs, ms: now() - t0, backend: h.backend }, transferables(outputs));
    });
  }

  async function task(req: TaskRequest, post: Post) {
    const ac = new AbortController();
    aborts.set(req.id, ac);
    const runner = (session: string): RunFn => {
      const h = hosted(session);
      return (feeds, outputs) => queued(h, req.id, () => infer(h, feeds, outputs));
    };
    const t0 = now();
    try {
      const result = await runTask(req.task, {
        runner,
        signal: ac.signal,
        onProgress: (done) => post({ type: "progress", id: req.id, phase: "task", loaded: done, total: 1 }),
        keys: (src) => {
          const k = "url" in src ? src.url : `text:${src.text.length}:${src.text.slice(0, 64)}`;
          let p = keyTables.get(k);
          if (!p) {
            p = (async () => {
              if (!("url" in src)) return parseKeys(src.text);
              const res = await (deps.fetch ?? fetch)(src.url).catch((e: unknown) => { throw new Failure("download_failed", `could not fetch ${src.url}: ${e instanceof Error ? e.message : e}`); });
              if (!res.ok) throw new Failure("download_failed", `${src.url}: HTTP ${res.status}`);
              return parseKeys(await res.text());
            })();
            keyTables.set(k, p);
            p.catch(() => keyTables.delete(k));
          }
          return p;
        },
        sam: (encoder, decoder) => {
          const k = `${encoder}\u0000${decoder}`;
          let s = sams.get(k);
          if (!s) { s = new SamSegmenter(runner(encoder), runner(decoder)); sams.set(k, s); }
          return s;
        },
      });
      checkCancel(req.id);
      post({ type: "taskResult", id: req.id, result, ms: now() - t0 });
    } catch (e) {
      if (ac.signal.aborted || cancelled.has(req.id)) throw new Failure("cancelled", "cancelled");
      if (e instanceof TaskInputError || e instanceof RangeError) throw new Failure("bad_request", e.message);
      throw e;
    } finally {
      aborts.delete(req.id);
    }
  }

  /** Handle one request; always answers it (ready/result/released/error). */
  async function handle(req: WorkerRequest, post: Post): Promise<void> {
    try {
      switch (req.type) {
        case "init":
          await init(req, post);
          break;
        case "run":
          await run(req, post);
          break;
        case "task":
          await task(req, post);
          break;
        case "cancel":
          cancelled.add(req.target);
          aborts.get(req.target)?.abort(new Failure("cancelled", "cancelled"));
          post({ type: "released", id: req.id });
          break;
        case "release": {
          const h = sessions.get(req.session);
          sessions.delete(req.session);
          for (const k of [...sams.keys()]) if (k.split("\u0000").includes(req.session)) sams.delete(k);
          await h?.session.release?.();
          post({ type: "released", id: req.id });
          break;
        }
        default:
          throw new Failure("bad_request", `unknown request ${(req as { type?: unknown }).type}`);
      }
    } catch (e) {
      const f = e instanceof Failure ? e : e instanceof Error && e.name === "PrelabelModelError" ? new Failure("input_mismatch", e.message) : new Failure("run_failed", e instanceof Error ? e.message : String(e));
      post({ type: "error", id: (req as { id?: number }).id ?? -1, error: { code: f.code, message: f.message } });
    } finally {
      if (req.type !== "cancel") cancelled.delete(req.id);
    }
  }

  return { handle, sessions: () => [...sessions.keys()] };
}

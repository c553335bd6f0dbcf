// The batch runner's state machine (ADR 0017): walk a project's tasks page by page in id order,
// run one pre-labeller per task, store each task's predictions as it finishes, and report
// progress. Pause stops after the current task; resume continues after the last finished task,
// also after a page reload (the cursor is saved through a CursorStore: localStorage in the
// browser). Cancel aborts the current task. A failing task is recorded and skipped; only a
// failure to prepare (model does not load, no dictionary) stops the batch.
import type { Region } from "../../annotation/regions";
import type { BatchTask, PrelabelEnv, Prelabeller } from "./types";

export type BatchPhase = "idle" | "preparing" | "running" | "pausing" | "paused" | "done" | "cancelled" | "error";

/** "missing": only tasks without a prediction of this model version; "all": every task (in the status filter). */
export interface BatchScope {
  mode: "missing" | "all";
  status?: "new" | "in_progress" | "completed";
}

export interface TaskOutcome {
  taskId: number;
  status: "done" | "skipped" | "failed";
  regions?: number;
  reason?: string;
  ms?: number;
}

export interface BatchSnapshot {
  phase: BatchPhase;
  /** Tasks in scope when the walk started (the status filter's total). */
  total: number;
  processed: number;
  done: number;
  skipped: number;
  failed: number;
  regions: number;
  failures: TaskOutcome[];
  /** The latest outcomes, newest first (at most RECENT). */
  recent: TaskOutcome[];
  current: { taskId: number; progress: number } | null;
  /** Seconds left at the average pace of the tasks actually run (null until one ran). */
  etaSeconds: number | null;
  /** Wall time the batch has been running (excludes pauses), ms. */
  elapsedMs: number;
  /** Id of the last finished task (resume continues after it). */
  cursor: number;
  message: string | null;
}

/** The server side of a batch (the browser implements it with fetch; tests with fakes). */
export interface BatchSource {
  listPage(page: number, limit: number, status?: BatchScope["status"]): Promise<{ items: BatchTask[]; total: number }>;
  /** Whether the task has a prediction from this model at this version (a new version runs again). */
  hasPrediction(taskId: number, model: string, modelVersion: string): Promise<boolean>;
  /** The task's media bytes or text. */
  loadInput(task: BatchTask, kind: "media" | "text", signal: AbortSignal): Promise<{ media: Blob | null; text: string | null }>;
  savePrediction(taskId: number, body: { model: string; modelVersion: string; score?: number; document: unknown }): Promise<void>;
}

export interface CursorStore {
  load(key: string): SavedBatch | null;
  save(key: string, value: SavedBatch): void;
  clear(key: string): void;
}

export interface SavedBatch {
  cursor: number;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  regions: number;
  failures: TaskOutcome[];
  ranMs: number;
  ran: number;
  elapsedMs: number;
  label: string | null;
  /** The latest outcomes (newest first), so the list survives a reload. */
  recent?: TaskOutcome[];
}

export const RECENT = 50;
export const PAGE = 100;

export function batchKey(projectId: number, prelabellerId: string, scope: BatchScope): string {
  return `loupe.prelabel.batch.${projectId}.${prelabellerId}.${scope.mode}.${scope.status ?? "any"}`;
}

/** localStorage (or any Storage) as a CursorStore; silently memory-only when storage throws. */
export function storageCursor(storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null): CursorStore {
  const mem = new Map<string, string>();
  const get = (k: string) => {
    try {
      return storage ? storage.getItem(k) : (mem.get(k) ?? null);
    } catch {
      return mem.get(k) ?? null;
    }
  };
  return {
    load(k) {
      try {
        const v = JSON.parse(get(k) ?? "null") as SavedBatch | null;
        return v && typeof v.cursor === "number" ? v : null;
      } catch {
        return null;
      }
    },
    save(k, v) {
      const s = JSON.stringify(v);
      mem.set(k, s);
      try {
        storage?.setItem(k, s);
      } catch {
        /* full or private mode: the cursor lives in memory */
      }
    },
    clear(k) {
      mem.delete(k);
      try {
        storage?.removeItem(k);
      } catch {
        /* ignore */
      }
    },
  };
}

function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m || "unknown error";
}

const isAbort = (e: unknown) => e instanceof Error && (e.name === "AbortError" || (e as { code?: string }).code === "cancelled");

export interface RunnerOptions {
  prelabeller: Prelabeller<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  env: PrelabelEnv;
  source: BatchSource;
  scope: BatchScope;
  store: CursorStore;
  /** The label the output goes under (pre-labellers with a labelKind). */
  label: string | null;
  now?: () => number;
  pageSize?: number;
}

export class BatchRunner {
  private phase: BatchPhase = "idle";
  private s: SavedBatch;
  private recent: TaskOutcome[] = [];
  private current: { taskId: number; progress: number } | null = null;
  private message: string | null = null;
  private prepared: { value: unknown } | null = null;
  private pauseRequested = false;
  private cancelRequested = false;
  private haltMessage: string | null = null;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private segmentStart = 0;
  private readonly listeners = new Set<(s: BatchSnapshot) => void>();
  private readonly key: string;
  private readonly now: () => number;
  private readonly pageSize: number;

  constructor(private readonly o: RunnerOptions) {
    this.key = batchKey(o.env.project.id, o.prelabeller.id, o.scope);
    this.now = o.now ?? (() => Date.now());
    this.pageSize = o.pageSize ?? PAGE;
    const saved = o.store.load(this.key);
    this.s = saved ?? this.fresh();
    // A batch interrupted by a reload (or paused before it) can be resumed where it stopped.
    if (saved) {
      this.phase = "paused";
      this.recent = saved.recent ?? [];
    }
  }

  private fresh(): SavedBatch {
    return { cursor: 0, total: 0, done: 0, skipped: 0, failed: 0, regions: 0, failures: [], ranMs: 0, ran: 0, elapsedMs: 0, label: this.o.label };
  }

  /** The label of a saved batch wins on resume (the output of one batch stays under one label). */
  get label(): string | null {
    return this.s.label ?? this.o.label;
  }

  subscribe(fn: (s: BatchSnapshot) => void): () => void {
    this.listeners.add(fn);
    fn(this.snapshot());
    return () => this.listeners.delete(fn);
  }

  snapshot(): BatchSnapshot {
    const s = this.s;
    const processed = s.done + s.skipped + s.failed;
    const left = Math.max(0, s.total - processed);
    const live = this.phase === "running" || this.phase === "pausing" || this.phase === "preparing" ? this.now() - this.segmentStart : 0;
    return {
      phase: this.phase,
      total: s.total,
      processed,
      done: s.done,
      skipped: s.skipped,
      failed: s.failed,
      regions: s.regions,
      failures: s.failures,
      recent: this.recent,
      current: this.current,
      etaSeconds: s.ran > 0 ? Math.round(((s.ranMs / s.ran) * left) / 1000) : null,
      elapsedMs: s.elapsedMs + live,
      cursor: s.cursor,
      message: this.message,
    };
  }

  private emit() {
    const snap = this.snapshot();
    for (const l of this.listeners) l(snap);
  }

  private persist() {
    this.o.store.save(this.key, { ...this.s, recent: this.recent.slice(0, 10) });
  }

  /** Start from the first task (a saved cursor is dropped). */
  start(): Promise<void> {
    if (this.loop) return this.loop;
    this.o.store.clear(this.key);
    this.s = this.fresh();
    this.recent = [];
    return this.go();
  }

  /** Continue after the cursor (after pause, or a reload). */
  resume(): Promise<void> {
    if (this.phase === "pausing") {
      this.pauseRequested = false;
      this.phase = "running";
      this.emit();
      return this.loop ?? Promise.resolve();
    }
    if (this.loop) return this.loop;
    if (this.phase !== "paused" && this.phase !== "error") return Promise.resolve();
    return this.go();
  }

  /**
   * Stop with a message because the environment broke (the worker crashed): the current task is
   * aborted and not counted, the cursor is kept, and resume prepares again (new worker sessions).
   */
  halt(message: string): void {
    if (!this.loop) return;
    this.haltMessage = message;
    this.abort?.abort();
  }

  private finishHalted() {
    this.phase = "error";
    this.message = this.haltMessage;
    this.haltMessage = null;
    this.prepared = null;
    this.current = null;
    this.persist();
    this.emit();
  }

  /** Stop after the current task; the cursor is kept. */
  pause(): void {
    if (this.phase !== "running" && this.phase !== "preparing") return;
    this.pauseRequested = true;
    this.phase = "pausing";
    this.emit();
  }

  /** Stop now: the current task is aborted (nothing of it is stored) and the cursor is dropped. */
  cancel(): void {
    if (this.phase === "done" || this.phase === "cancelled" || this.phase === "idle") return;
    this.cancelRequested = true;
    this.abort?.abort();
    if (!this.loop) this.finishCancelled();
    else this.emit();
  }

  private finishCancelled() {
    this.phase = "cancelled";
    this.current = null;
    this.o.store.clear(this.key);
    this.emit();
  }

  private go(): Promise<void> {
    this.pauseRequested = false;
    this.cancelRequested = false;
    this.haltMessage = null;
    this.message = null;
    this.loop = this.walk().finally(() => {
      this.loop = null;
    });
    return this.loop;
  }

  private async walk(): Promise<void> {
    const { prelabeller: p, env, source, scope } = this.o;
    this.segmentStart = this.now();
    const stopSegment = () => {
      this.s.elapsedMs += this.now() - this.segmentStart;
    };
    if (!this.prepared) {
      this.phase = "preparing";
      this.emit();
      const ac = new AbortController();
      this.abort = ac;
      try {
        this.prepared = { value: await p.prepare(env, { signal: ac.signal }) };
      } catch (e) {
        stopSegment();
        this.abort = null;
        if (this.cancelRequested) return this.finishCancelled();
        if (this.haltMessage) return this.finishHalted();
        this.phase = "error";
        this.message = `Could not start ${p.label}: ${errorText(e)}`;
        return this.emit();
      }
      this.abort = null;
    }
    if (this.cancelRequested) {
      stopSegment();
      return this.finishCancelled();
    }
    if (!this.pauseRequested) this.phase = "running";
    this.emit();

    let page = 1;
    let buffer: BatchTask[] = [];
    let exhausted = false;
    for (;;) {
      if (this.cancelRequested) {
        stopSegment();
        return this.finishCancelled();
      }
      if (this.pauseRequested) {
        stopSegment();
        this.phase = "paused";
        this.persist();
        return this.emit();
      }
      if (!buffer.length && !exhausted) {
        try {
          const r = await source.listPage(page++, this.pageSize, scope.status);
          if (this.s.total === 0 || page === 2) this.s.total = r.total;
          buffer = r.items.filter((t) => t.id > this.s.cursor);
          if (r.items.length < this.pageSize) exhausted = true;
          continue;
        } catch (e) {
          stopSegment();
          this.phase = "error";
          this.message = `Could not list the tasks: ${errorText(e)}. Resume to try again.`;
          this.persist();
          return this.emit();
        }
      }
      const task = buffer.shift();
      if (!task) {
        stopSegment();
        this.phase = "done";
        this.current = null;
        this.o.store.clear(this.key);
        return this.emit();
      }
      const outcome = await this.one(task);
      if (!outcome) {
        // Cancelled or halted mid-task: nothing of it counts.
        stopSegment();
        return this.haltMessage && !this.cancelRequested ? this.finishHalted() : this.finishCancelled();
      }
      this.record(outcome);
    }
  }

  private record(out: TaskOutcome) {
    const s = this.s;
    s.cursor = Math.max(s.cursor, out.taskId);
    if (out.status === "done") s.done++;
    else if (out.status === "skipped") s.skipped++;
    else {
      s.failed++;
      s.failures = [...s.failures, out];
    }
    if (out.status !== "skipped" && out.ms !== undefined) {
      s.ran++;
      s.ranMs += out.ms;
    }
    s.regions += out.regions ?? 0;
    this.recent = [out, ...this.recent].slice(0, RECENT);
    this.current = null;
    this.persist();
    this.emit();
  }

  /** One task: skip, run + store, or fail with a reason. Null when the batch was cancelled. */
  private async one(task: BatchTask): Promise<TaskOutcome | null> {
    const { prelabeller: p, env, source, scope } = this.o;
    const t0 = this.now();
    this.current = { taskId: task.id, progress: 0 };
    this.emit();
    const ac = new AbortController();
    this.abort = ac;
    try {
      if (scope.mode === "missing" && task.predictionCount > 0 && (await source.hasPrediction(task.id, p.model, p.modelVersion))) {
        return { taskId: task.id, status: "skipped", reason: "already has predictions from this model version" };
      }
      if (p.input === "media" && !task.media) return { taskId: task.id, status: "failed", reason: "the task has no media file", ms: this.now() - t0 };
      const input = await source.loadInput(task, p.input, ac.signal);
      const out = await p.run({ task, ...input, label: this.label }, this.prepared!.value, env, {
        signal: ac.signal,
        onProgress: (share) => {
          this.current = { taskId: task.id, progress: Math.min(1, Math.max(0, share)) };
          this.emit();
        },
      });
      if (this.cancelRequested || this.haltMessage) return null;
      const regions: Region[] = Array.isArray(out) ? out : out.regions;
      const classifications = Array.isArray(out) ? {} : out.classifications;
      const scores = regions.map((r) => r.score).filter((x): x is number => typeof x === "number");
      const mean = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000 : Array.isArray(out) ? undefined : out.score;
      await source.savePrediction(task.id, {
        model: p.model,
        modelVersion: p.modelVersion,
        ...(mean !== undefined ? { score: mean } : {}),
        document: { version: 1, regions, classifications, relations: [] },
      });
      return { taskId: task.id, status: "done", regions: regions.length + Object.keys(classifications).length, ms: this.now() - t0 };
    } catch (e) {
      if (this.cancelRequested || this.haltMessage || (ac.signal.aborted && isAbort(e))) return null;
      return { taskId: task.id, status: "failed", reason: errorText(e), ms: this.now() - t0 };
    } finally {
      if (this.abort === ac) this.abort = null;
    }
  }
}

// Autosave: keeps every edit safe locally (IndexedDB, ~250 ms) and on the server (the draft,
// ~1.5 s, at most ~5 s behind while editing continuously), survives network errors and expired
// sessions, and submits with the revision check that turns a stale write into a visible conflict.
// Framework-free (use-autosave.ts adapts it to React); fetch, timers, clock, store and the
// window/document event targets are injected so tests drive it without a browser. State machine:
// README.md in this folder.
import { parseDocument, type AnnotationDocument } from "@/lib/annotation/document";
import type { EditorChange } from "@/lib/annotation/editor-core";
import type { DraftStore } from "./draft-store";
import { RawJson, errorOf, saveRequest, transient, type Reply } from "./save-request";
import type { EditTarget, LocalDraft, Recovered, SaveState, ServerAnnotation, SubmitResult } from "./types";

/** The part of the Editor autosave uses. */
export interface AutosaveEditor {
  subscribe(listener: (change: EditorChange) => void): () => void;
  toDocument(): AnnotationDocument;
  load(doc: AnnotationDocument): void;
  /** The open interaction (a drag, a brush stroke), if any: autosave waits for its end. */
  readonly interaction?: string | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Listenable {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

export interface SubmitOptions {
  status: "submitted" | "skipped";
  skipReason?: string;
  leadTime?: number;
}

export interface AutosaveOptions {
  editor: AutosaveEditor;
  taskId: number;
  userId: number;
  initial: Recovered;
  store: DraftStore | Promise<DraftStore>;
  readOnly?: boolean;
  fetch?: typeof fetch;
  now?: () => number;
  timers?: Timers;
  /** `online`, `focus` and `pagehide` come from here (the browser's window). */
  window?: Listenable | null;
  /** `visibilitychange` comes from here (the browser's document). */
  document?: (Listenable & { readonly visibilityState?: string }) | null;
  delays?: Partial<Delays>;
}

interface Delays {
  local: number;
  server: number;
  maxWait: number;
  retryBase: number;
  retryMax: number;
}
const DEFAULT_DELAYS: Delays = { local: 250, server: 1500, maxWait: 5000, retryBase: 1000, retryMax: 30_000 };
/**
 * While a drag or stroke is open, writes wait (re-checked every `local` ms) for it to end, up to
 * this long: serialising thousands of regions mid-drag would freeze the pointer for a frame or ten.
 */
const INTERACTION_DEFER_MAX = 5000;

export interface AutosaveSnapshot {
  state: SaveState;
  target: EditTarget;
  /** "memory" when IndexedDB is unavailable: unsent work would not survive a reload. */
  storage: "pending" | "indexeddb" | "memory";
}

export class Autosave {
  private readonly o: AutosaveOptions;
  private readonly d: Delays;
  private readonly storeP: Promise<DraftStore>;
  private storage: AutosaveSnapshot["storage"] = "pending";
  private save: SaveState;
  private conflict: ServerAnnotation | null = null;
  private target: EditTarget;
  private snap: AutosaveSnapshot;
  private readonly listeners = new Set<() => void>();

  // Edits are numbered; each copy (IndexedDB, server) remembers the newest number it holds.
  private seq = 0;
  private localSeq = 0;
  private storedSeq = 0;
  private serverSeq = 0;
  private editAt = 0;
  private firstUnsentAt: number | null = null;
  /** The document JSON the server holds for us (draft or annotation): no PUT needed to match it. */
  private ackedJson: string | null;
  private serverUpdatedAt: number | null = null;
  private lastStored: LocalDraft | null = null;

  private localTimer: unknown = null;
  private serverTimer: unknown = null;
  private retryTimer: unknown = null;
  private retries = 0;
  private inflight: Promise<void> | null = null;
  private again = false;
  private submitting = false;
  private loading = false;
  private lastSubmit: SubmitOptions | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private stops: Array<() => void> = [];

  constructor(opts: AutosaveOptions) {
    this.o = opts;
    this.d = { ...DEFAULT_DELAYS, ...opts.delays };
    this.storeP = Promise.resolve(opts.store);
    this.storeP.then((s) => this.setStorage(s.persistent ? "indexeddb" : "memory"), () => this.setStorage("memory"));
    this.target = { ...opts.initial.target };
    this.save = { kind: "clean" };
    this.ackedJson = JSON.stringify(opts.initial.document);
    if (opts.initial.replayed && !opts.readOnly) {
      // The server never acknowledged this draft: treat it as an edit not yet sent.
      // localSeq stays 0: the first push rewrites it locally, so its ack can mark it synced.
      this.ackedJson = null;
      this.seq = 1;
      this.editAt = this.now();
      this.firstUnsentAt = this.editAt;
      this.save = { kind: "dirty" };
    }
    this.snap = { state: this.save, target: this.target, storage: this.storage };
  }

  // ---- store protocol (useSyncExternalStore) ------------------------------------------------

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getSnapshot = (): AutosaveSnapshot => this.snap;
  get state(): SaveState {
    return this.snap.state;
  }
  get editTarget(): EditTarget {
    return this.snap.target;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Start listening to the editor and the page; safe to call again after dispose (StrictMode). */
  start(): void {
    if (this.stops.length || this.o.readOnly) return;
    this.stops.push(this.o.editor.subscribe(this.onChange));
    const on = (t: Listenable | null | undefined, type: string, fn: () => void) => {
      if (!t) return;
      t.addEventListener(type, fn);
      this.stops.push(() => t.removeEventListener(type, fn));
    };
    on(this.o.window, "online", this.onOnline);
    on(this.o.window, "focus", this.onReturn);
    on(this.o.window, "pagehide", this.flushForUnload);
    on(this.o.document, "visibilitychange", this.onVisibility);
    if (this.seq !== this.serverSeq) this.later("server", 0, () => void this.push());
  }

  /** Stop listening; unsent edits are written to IndexedDB first. */
  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
    for (const t of ["localTimer", "serverTimer", "retryTimer"] as const) this.clear(t);
    void this.writeLocal();
  }

  // ---- public commands ----------------------------------------------------------------------

  /** Save everything now (also the explicit "retry" after going offline or signing in again). */
  async saveNow(): Promise<void> {
    if (this.o.readOnly) return;
    this.clear("retryTimer");
    await this.writeLocal();
    await this.push();
  }

  /** The page is going away (or hidden): write IndexedDB and send the draft with keepalive. */
  readonly flushForUnload = (): void => {
    if (this.o.readOnly) return;
    void this.writeLocal();
    if (this.save.kind !== "signed-out") void this.push(true);
  };

  async submit(opts: SubmitOptions): Promise<SubmitResult> {
    if (this.o.readOnly) return { ok: false, state: { kind: "error", code: "read_only", message: "This annotation is read-only." } };
    this.lastSubmit = opts;
    this.submitting = true;
    try {
      this.clear("serverTimer");
      await this.writeLocal();
      // A draft PUT landing after the submit would bring back the draft the submit deletes.
      if (this.inflight) await this.inflight.catch(() => undefined);
      this.clear("serverTimer");
      const { annotationId, revision } = this.target;
      if (annotationId !== null && revision === null) return await this.enterConflict(annotationId);
      const s = this.seq;
      const startedAt = this.now();
      const doc = this.o.editor.toDocument();
      const extra = { status: opts.status, skipReason: opts.skipReason, leadTime: opts.leadTime };
      this.setSave({ kind: "saving" });
      const r =
        annotationId === null
          ? await saveRequest(this.o.fetch, "POST", `/api/v1/tasks/${this.o.taskId}/annotations`, { document: doc, ...extra })
          : await saveRequest(this.o.fetch, "PUT", `/api/v1/annotations/${annotationId}`, { revision, document: doc, ...extra });
      if (r.kind === "http" && r.status >= 200 && r.status < 300) {
        const ann = r.body as ServerAnnotation;
        this.target = { annotationId: ann.id, revision: ann.revision };
        this.conflict = null;
        this.ackedJson = JSON.stringify(doc);
        this.serverSeq = Math.max(this.serverSeq, s);
        this.serverUpdatedAt = null; // the server deleted its draft
        this.retries = 0;
        if (this.seq === s) {
          this.firstUnsentAt = null;
          this.setSave({ kind: "clean" });
          // Only now, and only if nothing newer was written meanwhile, is the local copy redundant.
          this.enqueue((st) => st.delete(this.o.userId, this.o.taskId, Math.max(startedAt, this.editAt)));
          this.lastStored = null;
        } else {
          this.setSave({ kind: "dirty" });
          this.scheduleServer();
        }
        return { ok: true, annotation: ann };
      }
      if (r.kind === "http" && r.status === 409 && annotationId !== null) return await this.enterConflict(annotationId);
      this.failed(r);
      return { ok: false, state: this.snap.state };
    } finally {
      this.submitting = false;
      if (this.seq !== this.serverSeq && this.save.kind === "dirty") this.scheduleServer();
    }
  }

  /** After a 409: take the server's version, or re-submit mine over it (an explicit choice). */
  async resolveConflict(choice: "reload" | "keep-mine"): Promise<void> {
    const server = this.conflict;
    if (!server) return;
    if (choice === "keep-mine") {
      this.target = { annotationId: server.id, revision: server.revision };
      this.conflict = null;
      this.emit();
      await this.writeLocal(true);
      await this.submit(this.lastSubmit ?? { status: server.status });
      return;
    }
    const parsed = parseDocument(server.document ?? {});
    if (!parsed.ok) {
      this.setSave({ kind: "error", code: "invalid", message: `The server's version cannot be read: ${parsed.issue.message}`, field: parsed.issue.path });
      return;
    }
    this.loading = true;
    try {
      this.o.editor.load(parsed.doc);
    } finally {
      this.loading = false;
    }
    this.target = { annotationId: server.id, revision: server.revision };
    this.conflict = null;
    // Overwrite both drafts with the server's version, or the next visit would bring mine back.
    this.noteEdit();
    this.ackedJson = null;
    this.setSave({ kind: "dirty" });
    await this.saveNow();
  }

  // ---- edits --------------------------------------------------------------------------------

  private readonly onChange = (c: EditorChange): void => {
    if (this.loading || !(c.regions.size || c.reset || c.document)) return; // selection/UI only
    this.noteEdit();
    if (this.save.kind !== "offline" && this.save.kind !== "signed-out") this.setSave({ kind: "dirty" });
    // Not re-armed by each edit: a long drag or brush stroke still reaches IndexedDB within ~250 ms.
    if (this.localTimer === null) this.later("local", this.d.local, this.localDue);
    this.scheduleServer();
  };

  /** Since when writes have been waiting for an open interaction (null: not waiting). */
  private deferredSince: number | null = null;
  /** True (and a re-check is armed) when an open interaction should delay a write. */
  private deferForInteraction(which: "local" | "server", fn: () => void): boolean {
    if (!this.o.editor.interaction) {
      this.deferredSince = null;
      return false;
    }
    this.deferredSince ??= this.now();
    if (this.now() - this.deferredSince >= INTERACTION_DEFER_MAX) {
      this.deferredSince = null; // a very long stroke: save now, then wait again
      return false;
    }
    this.later(which, this.d.local, fn);
    return true;
  }
  private readonly localDue = (): void => {
    if (!this.deferForInteraction("local", this.localDue)) void this.writeLocal();
  };
  private readonly serverDue = (): void => {
    if (!this.deferForInteraction("server", this.serverDue)) void this.push();
  };

  private noteEdit(): void {
    this.seq++;
    this.editAt = this.now();
    this.firstUnsentAt ??= this.editAt;
  }

  private scheduleServer(): void {
    // Offline: the backoff timer sends the newest draft; signed out: only a return or a retry does.
    if (this.o.readOnly || this.save.kind === "offline" || this.save.kind === "signed-out" || this.submitting) return;
    if (this.seq === this.serverSeq) return;
    const due = Math.min(this.editAt + this.d.server, (this.firstUnsentAt ?? this.editAt) + this.d.maxWait);
    this.later("server", Math.max(0, due - this.now()), this.serverDue);
  }

  // ---- local copy ---------------------------------------------------------------------------

  /** The document at this edit and its JSON, serialised once per edit for IndexedDB and the server. */
  private snapCache: { seq: number; doc: AnnotationDocument; json: string } | null = null;
  private current(): { doc: AnnotationDocument; json: string } {
    if (this.snapCache?.seq !== this.seq) {
      const doc = this.o.editor.toDocument();
      const json = JSON.stringify(doc);
      this.snapCache = { seq: this.seq, doc, json };
    }
    return this.snapCache;
  }

  /** Queue a write of the current document to IndexedDB (writes run in order, one at a time). */
  private writeLocal(force = false): Promise<unknown> {
    this.clear("localTimer");
    if (this.o.readOnly || (!force && this.seq === this.localSeq) || (!force && this.seq === 0)) return this.chain;
    const s = (this.localSeq = this.seq);
    const draft: LocalDraft = {
      userId: this.o.userId, taskId: this.o.taskId, document: this.current().doc, documentJson: this.current().json, target: { ...this.target },
      updatedAt: this.editAt || this.now(), synced: false, serverUpdatedAt: this.serverUpdatedAt,
    };
    return this.enqueue(async (st) => {
      await st.put(draft);
      this.storedSeq = s;
      this.lastStored = draft;
    });
  }

  private markSynced(s: number): void {
    this.enqueue(async (st) => {
      const d = this.lastStored;
      if (!d || this.storedSeq !== s) return; // a newer edit is stored; it is not synced yet
      const next = { ...d, synced: true, serverUpdatedAt: this.serverUpdatedAt };
      await st.put(next);
      this.lastStored = next;
    });
  }

  private enqueue(op: (store: DraftStore) => Promise<void>): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      try {
        await op(await this.storeP);
      } catch (e) {
        // Quota or a closed database: the server copy still protects the work; say so in the console.
        console.warn("[loupe] local draft store failed:", e);
      }
    });
    return this.chain;
  }

  // ---- server copy --------------------------------------------------------------------------

  /** PUT the draft if the server is behind; concurrent calls join the one in flight. */
  private push(keepalive = false): Promise<void> {
    if (this.o.readOnly || this.submitting) return Promise.resolve();
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    this.clear("serverTimer");
    this.clear("retryTimer");
    this.inflight = this.pushOnce(keepalive).finally(() => {
      this.inflight = null;
      if (this.again) {
        this.again = false;
        this.scheduleServer();
      }
    });
    return this.inflight;
  }

  private async pushOnce(keepalive: boolean): Promise<void> {
    if (this.seq === this.serverSeq) {
      // Nothing unsent (a submit failed before any edit): no work is at risk any more.
      if (this.save.kind === "offline") this.setSave({ kind: "clean" });
      return;
    }
    await this.writeLocal(); // the local copy is never behind the server's
    const s = this.seq;
    const { json } = this.current();
    if (json === this.ackedJson) return this.acked(s, null); // e.g. undone back to what the server has
    if (this.save.kind !== "offline" && this.save.kind !== "signed-out") this.setSave({ kind: "saving" });
    const body = `{"document":${json},"annotationId":${JSON.stringify(this.target.annotationId)},"baseRevision":${JSON.stringify(this.target.revision)}}`;
    const r = await saveRequest(this.o.fetch, "PUT", `/api/v1/tasks/${this.o.taskId}/draft`, new RawJson(body), keepalive);
    if (r.kind === "http" && r.status >= 200 && r.status < 300) {
      this.ackedJson = json;
      return this.acked(s, (r.body as { updatedAt?: number } | null)?.updatedAt ?? null);
    }
    this.failed(r);
  }

  private acked(s: number, serverUpdatedAt: number | null): void {
    this.serverSeq = s;
    if (serverUpdatedAt !== null) this.serverUpdatedAt = serverUpdatedAt;
    this.retries = 0;
    this.markSynced(s);
    if (this.seq === s) {
      this.firstUnsentAt = null;
      this.setSave({ kind: "saved", at: this.now() });
    } else {
      this.setSave({ kind: "dirty" });
      this.scheduleServer();
    }
  }

  private failed(r: Reply): void {
    if (transient(r)) {
      this.retries++;
      const delay = Math.min(this.d.retryBase * 2 ** (this.retries - 1), this.d.retryMax);
      const since = this.save.kind === "offline" ? this.save.since : this.now();
      this.setSave({ kind: "offline", since, retryAt: this.now() + delay });
      this.later("retry", delay, () => void this.push());
    } else if (r.kind === "http" && r.status === 401) {
      this.clear("serverTimer");
      this.clear("retryTimer");
      this.setSave({ kind: "signed-out" });
    } else {
      this.setSave({ kind: "error", ...errorOf(r) });
    }
  }

  private async enterConflict(annotationId: number): Promise<SubmitResult> {
    const r = await saveRequest(this.o.fetch, "GET", `/api/v1/annotations/${annotationId}`);
    if (r.kind === "http" && r.status === 200) {
      this.conflict = r.body as ServerAnnotation;
      this.emit();
    } else this.failed(r);
    return { ok: false, state: this.snap.state };
  }

  // ---- page events --------------------------------------------------------------------------

  private readonly onOnline = (): void => {
    if (this.save.kind === "offline") void this.push();
  };
  /** Back to the tab (maybe after signing in elsewhere): try again at once. */
  private readonly onReturn = (): void => {
    if (this.save.kind === "offline" || this.save.kind === "signed-out") void this.push();
  };
  private readonly onVisibility = (): void => {
    if (this.o.document?.visibilityState === "hidden") this.flushForUnload();
    else this.onReturn();
  };

  // ---- plumbing -----------------------------------------------------------------------------

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
  private get timers(): Timers {
    return this.o.timers ?? { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>) };
  }
  private later(which: "local" | "server" | "retry", ms: number, fn: () => void): void {
    const slot = `${which}Timer` as "localTimer" | "serverTimer" | "retryTimer";
    this.clear(slot);
    if (!this.stops.length) return; // disposed: nothing more runs by itself
    this[slot] = this.timers.setTimeout(() => {
      this[slot] = null;
      fn();
    }, ms);
  }
  private clear(slot: "localTimer" | "serverTimer" | "retryTimer"): void {
    if (this[slot] !== null) this.timers.clearTimeout(this[slot]);
    this[slot] = null;
  }

  private setSave(next: SaveState): void {
    this.save = next;
    this.emit();
  }
  private setStorage(s: AutosaveSnapshot["storage"]): void {
    this.storage = s;
    this.emit();
  }
  private emit(): void {
    const c = this.conflict;
    const prevState = this.snap?.state;
    const state: SaveState = c ? (prevState?.kind === "conflict" && prevState.server === c ? prevState : { kind: "conflict", server: c }) : this.save;
    const prev = this.snap;
    if (prev.state === state && prev.target === this.target && prev.storage === this.storage) return;
    if (prev.target !== this.target && prev.target.annotationId === this.target.annotationId && prev.target.revision === this.target.revision) {
      this.target = prev.target; // keep the reference stable for React
    }
    this.snap = { state, target: this.target, storage: this.storage };
    for (const l of [...this.listeners]) l();
  }
}

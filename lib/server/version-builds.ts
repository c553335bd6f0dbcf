// Background builds of dataset versions (docs/adr/0008-dataset-versions.md, "Background builds").
// POST /versions validates and inserts a `dataset_version_builds` row (queued, asOf = now); a
// runner in this server process takes one build at a time, scans the project in chunks that yield
// to the event loop (so HTTP requests are never blocked for long), records progress on the row,
// and finally writes the version and all its items in one transaction (commitVersion). A failure
// leaves no version, only the build row with its error. Queued/running builds left over by a
// restart are re-queued the first time the runner is touched in a process. A running build is
// cancelled by marking its row (phase "cancelling"); the runner checks the row between pages and
// the commit transaction only marks the build done if no cancel is pending, so a cancel either
// wins (no version, number not used up, status "cancelled") or arrives after the commit.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { config } from "../config";
import { datasetVersionBuilds, datasetVersions, type DatasetVersion, type DatasetVersionBuild } from "../db/schema";
import {
  commitVersion, scanPage, selectRow, validateCreate, versionSummary, LabelCounter, ManifestHasher,
  type BuildRequest, type ManifestItem, type VersionSummary,
} from "./datasets";
import { accessProject } from "./access";
import { ApiError, conflict, notFound } from "./errors";
import { audit } from "./audit";
import { emitWebhookEvent } from "./webhooks";
import type { Actor } from "../auth/actor";

/** Tasks read per chunk: small enough that one chunk takes tens of milliseconds (tests shrink it). */
export const buildTuning = {
  chunk: 1000,
  /** Progress is written at most this often: each write is a durable commit (an fsync). */
  progressEveryMs: 250,
  /** How long DELETE on a running build waits for the runner to stop it before answering 202. */
  cancelWaitMs: 3000,
};
/** How many recent builds the list returns. */
const LIST_LIMIT = 50;

export interface BuildView {
  id: number;
  status: "queued" | "running" | "failed" | "done" | "cancelled";
  /**
   * "queued", "reading" (done/total tasks scanned), "writing" (one transaction), "cancelling"
   * (running, a cancel was requested), "done", "failed", "cancelled".
   */
  phase: string;
  done: number;
  total: number;
  error: string | null;
  /** The version number once the build is done. */
  version: number | null;
  name: string;
  request: Omit<BuildRequest, "schemaVersion">;
  asOf: string;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
}

function view(b: DatasetVersionBuild, versionNumber: number | null): BuildView {
  const r = b.request as BuildRequest;
  return {
    id: b.id,
    status: b.status,
    phase: b.phase || b.status,
    done: b.done,
    total: b.total,
    error: b.error,
    version: versionNumber,
    name: r.name,
    request: { name: r.name, notes: r.notes, filter: r.filter, split: r.split },
    asOf: new Date(b.asOf).toISOString(),
    createdAt: new Date(b.createdAt).toISOString(),
    updatedAt: new Date(b.updatedAt).toISOString(),
    createdBy: b.createdBy,
  };
}

function viewsOf(rows: DatasetVersionBuild[]): BuildView[] {
  const ids = rows.map((r) => r.versionId).filter((x): x is number => x !== null);
  const numbers = new Map<number, number>();
  if (ids.length) {
    for (const v of getDb().select({ id: datasetVersions.id, n: datasetVersions.number }).from(datasetVersions).where(inArray(datasetVersions.id, ids)).all()) {
      numbers.set(v.id, v.n);
    }
  }
  return rows.map((r) => view(r, r.versionId !== null ? (numbers.get(r.versionId) ?? null) : null));
}

// ---------------------------------------------------------------- the runner

interface RunnerState {
  /** The database the state belongs to (tests switch LOUPE_DATA_DIR). */
  dbPath: string;
  recovered: boolean;
  running: boolean;
  /** The build this process's runner is executing now, if any. */
  current: number | null;
}

// On globalThis: Next may load this module once per route bundle; there must be one runner.
const g = globalThis as unknown as { __loupeBuildRunner?: RunnerState };

function state(): RunnerState {
  const dbPath = config.dbPath;
  if (!g.__loupeBuildRunner || g.__loupeBuildRunner.dbPath !== dbPath) g.__loupeBuildRunner = { dbPath, recovered: false, running: false, current: null };
  return g.__loupeBuildRunner;
}

/**
 * Test seams: `afterChunk` runs after each chunk's progress is recorded (may return a promise to
 * hold the build there); `beforeCommit` runs inside the final transaction (throw to fail it).
 */
export const buildHooks: {
  afterChunk?: (build: DatasetVersionBuild) => void | Promise<void>;
  beforeCommit?: (build: DatasetVersionBuild) => void;
} = {};

/** Forget the runner, as a new server process would (tests of restart recovery). */
export function resetRunnerForTests(): void {
  g.__loupeBuildRunner = undefined;
}

/**
 * Starts the runner if it is idle. The first call in a process re-queues builds a previous
 * process left queued or running (their scan restarts from the beginning; asOf is kept, so the
 * snapshot is the one the user asked for).
 */
export function ensureRunner(): void {
  const s = state();
  if (!s.recovered) {
    s.recovered = true;
    // A cancel requested before the previous process stopped is honoured, never resurrected.
    getDb()
      .update(datasetVersionBuilds)
      .set({ status: "cancelled", phase: "cancelled", updatedAt: Date.now() })
      .where(and(eq(datasetVersionBuilds.status, "running"), eq(datasetVersionBuilds.phase, CANCELLING)))
      .run();
    getDb()
      .update(datasetVersionBuilds)
      .set({ status: "queued", phase: "queued", done: 0, updatedAt: Date.now() })
      .where(eq(datasetVersionBuilds.status, "running"))
      .run();
  }
  if (s.running) return;
  s.running = true;
  setImmediate(() => void loop(s));
}

async function loop(s: RunnerState): Promise<void> {
  try {
    for (;;) {
      if (g.__loupeBuildRunner !== s) return; // the data dir changed under us (tests)
      const next = getDb().select().from(datasetVersionBuilds).where(eq(datasetVersionBuilds.status, "queued")).orderBy(datasetVersionBuilds.id).limit(1).get();
      if (!next) return;
      s.current = next.id;
      try {
        await runBuild(next);
      } finally {
        s.current = null;
      }
    }
  } finally {
    s.running = false;
  }
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

const CANCELLING = "cancelling";

/** Thrown by the runner when it sees a cancel request; ends the build as "cancelled". */
class BuildCancelled extends Error {
  constructor() {
    super("The build was cancelled.");
  }
}

/** Progress of a running build; never overwrites a pending cancel (phase "cancelling"). */
function progress(id: number, patch: Partial<Pick<DatasetVersionBuild, "phase" | "done" | "total">>): void {
  getDb()
    .update(datasetVersionBuilds)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(eq(datasetVersionBuilds.id, id), eq(datasetVersionBuilds.status, "running"), sql`${datasetVersionBuilds.phase} <> ${CANCELLING}`))
    .run();
}

/** Throws BuildCancelled if a cancel was requested (or the row is gone or no longer running). */
function checkCancel(id: number): void {
  const row = getDb().select({ status: datasetVersionBuilds.status, phase: datasetVersionBuilds.phase }).from(datasetVersionBuilds).where(eq(datasetVersionBuilds.id, id)).get();
  if (row && row.status === "running" && row.phase !== CANCELLING) return;
  if (!row) throw new Error("The build was removed while it ran.");
  throw new BuildCancelled();
}

/** The final state of a build that stopped: only a row still running is touched. */
function finish(id: number, patch: Pick<DatasetVersionBuild, "status" | "phase"> & { error?: string | null }): void {
  getDb().update(datasetVersionBuilds).set({ ...patch, updatedAt: Date.now() }).where(and(eq(datasetVersionBuilds.id, id), eq(datasetVersionBuilds.status, "running"))).run();
}

async function runBuild(b: DatasetVersionBuild): Promise<void> {
  const req = b.request as BuildRequest;
  const db = getDb();
  // Progress counts tasks scanned (the scan pages by task); tasks imported meanwhile may add a few.
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM tasks WHERE project_id = ${b.projectId}`)?.n ?? 0;
  db.update(datasetVersionBuilds)
    .set({ status: "running", phase: "reading", done: 0, total, error: null, updatedAt: Date.now() })
    .where(and(eq(datasetVersionBuilds.id, b.id), eq(datasetVersionBuilds.status, "queued")))
    .run();
  try {
    checkCancel(b.id); // cancelled or removed between the queue read and now
    const cut = req.filter.to ? Math.min(b.asOf, Date.parse(req.filter.to)) : b.asOf;
    const from = req.filter.from ? Date.parse(req.filter.from) : null;
    const items: ManifestItem[] = [];
    const labels = new LabelCounter();
    const hasher = new ManifestHasher({ projectId: b.projectId, schemaVersion: req.schemaVersion, filter: req.filter, split: req.split });
    let cursor = 0;
    let scanned = 0;
    let lastWrite = 0;
    for (;;) {
      const page = scanPage(b.projectId, cut, cursor, buildTuning.chunk);
      for (const row of page.rows) {
        const hit = selectRow(row, req.filter, from, req.split);
        if (hit) {
          items.push(hit.item);
          hasher.add(hit.item);
          labels.add(hit.document);
        }
      }
      scanned += page.tasks;
      if (!page.next || Date.now() - lastWrite >= buildTuning.progressEveryMs) {
        progress(b.id, { done: scanned, total: Math.max(total, scanned) });
        lastWrite = Date.now();
      }
      await buildHooks.afterChunk?.(b);
      if (!page.next) break;
      cursor = page.next;
      await yieldToEventLoop();
      if (g.__loupeBuildRunner?.dbPath !== config.dbPath) throw new Error("The server's data directory changed during the build.");
      checkCancel(b.id);
    }
    checkCancel(b.id);
    progress(b.id, { phase: "writing", done: items.length, total: items.length });
    await yieldToEventLoop();
    checkCancel(b.id);
    const { version, parentNumber } = commitVersion(b.projectId, b.createdBy, req, { items, labelCounts: labels.result(), sha256: hasher.digest() }, (v) => {
      buildHooks.beforeCommit?.(b);
      // Under the write lock: a cancel that got in first (phase "cancelling") rolls all of it back;
      // one that comes later finds the build done and leaves the version alone.
      const r = db
        .update(datasetVersionBuilds)
        .set({ status: "done", phase: "done", versionId: v.id, updatedAt: Date.now() })
        .where(and(eq(datasetVersionBuilds.id, b.id), eq(datasetVersionBuilds.status, "running"), sql`${datasetVersionBuilds.phase} <> ${CANCELLING}`))
        .run();
      if (r.changes !== 1) {
        checkCancel(b.id); // throws BuildCancelled when a cancel is pending
        throw new Error("The build was removed while it ran.");
      }
      // Queued in the same transaction: the deliveries commit (or roll back) with the version.
      emitWebhookEvent(v.projectId, "version.created", {
        version: { number: v.number, name: v.name, sha256: v.manifestSha256, counts: { tasks: v.taskCount, annotations: v.annotationCount } },
      });
    });
    onVersionCreated(versionSummary(version, parentNumber), version);
  } catch (e) {
    const row = db.select({ phase: datasetVersionBuilds.phase }).from(datasetVersionBuilds).where(eq(datasetVersionBuilds.id, b.id)).get();
    if (e instanceof BuildCancelled || row?.phase === CANCELLING) {
      // Nothing of the version was written: the items only ever lived in this function's memory.
      finish(b.id, { status: "cancelled", phase: "cancelled", error: null });
      return;
    }
    const message = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    if (!(e instanceof ApiError)) console.error(`[loupe] dataset version build ${b.id} failed:`, e);
    finish(b.id, { status: "failed", phase: "failed", error: message || "The build failed." });
  }
}

/**
 * Runs once per new version, after its transaction committed. The one place to hang side effects
 * of "a version was created" that need not be atomic with it (the audit entry); the webhook event
 * is queued inside the commit transaction above.
 */
export function onVersionCreated(summary: VersionSummary, v: DatasetVersion): void {
  audit({ userId: v.createdBy, projectId: v.projectId, action: "version.create", targetType: "dataset_version", targetId: v.id, details: { number: v.number, sha256: summary.sha256 } });
}

// ---------------------------------------------------------------- the service API

/** Validates the request (422 on bad input) and queues a build; the runner picks it up. */
export function queueBuild(actor: Actor, projectId: number, body: unknown): BuildView {
  const { projectId: pid, request } = validateCreate(actor, projectId, body);
  ensureRunner();
  const row = getDb()
    .insert(datasetVersionBuilds)
    .values({ projectId: pid, request, asOf: Date.now(), status: "queued", phase: "queued", createdBy: actor.user.id })
    .returning()
    .get();
  ensureRunner();
  return view(row, null);
}

export function listBuilds(actor: Actor, projectId: number): BuildView[] {
  const { project } = accessProject(actor, projectId, "versions.read");
  ensureRunner();
  const rows = getDb().select().from(datasetVersionBuilds).where(eq(datasetVersionBuilds.projectId, project.id)).orderBy(desc(datasetVersionBuilds.id)).limit(LIST_LIMIT).all();
  return viewsOf(rows);
}

function buildRow(projectId: number, raw: string): DatasetVersionBuild {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw notFound("Build");
  const row = getDb().select().from(datasetVersionBuilds).where(and(eq(datasetVersionBuilds.projectId, projectId), eq(datasetVersionBuilds.id, Number(raw)))).get();
  if (!row) throw notFound("Build");
  return row;
}

export function getBuild(actor: Actor, projectId: number, raw: string): BuildView {
  const { project } = accessProject(actor, projectId, "versions.read");
  ensureRunner();
  return viewsOf([buildRow(project.id, raw)])[0]!;
}

export type DeleteOutcome =
  /** The row was removed: a queued build cancelled, or a failed/done/cancelled one dismissed. */
  | { kind: "removed" }
  /** A running build was asked to stop: `build` is its state when the answer was given. */
  | { kind: "cancelling"; build: BuildView };

/**
 * DELETE on a build. Queued: cancelled (the row is removed). Failed, done or cancelled: dismissed
 * (the row is removed; a version a done build created stays). Running: a cancel is requested
 * (phase "cancelling") and the runner stops at its next page boundary, leaving the row
 * "cancelled"; the caller then waits for that with `waitForBuild`. A running row this process is
 * not executing (its process died after recovery ran) is cancelled at once.
 */
export function deleteBuild(actor: Actor, projectId: number, raw: string): DeleteOutcome {
  const { project } = accessProject(actor, projectId, "versions.create");
  ensureRunner(); // recovery first: a running row a dead process left is queued again (or cancelled)
  let row = buildRow(project.id, raw);
  const db = getDb();
  if (row.status === "running") {
    const r = db
      .update(datasetVersionBuilds)
      .set({ phase: CANCELLING, updatedAt: Date.now() })
      .where(and(eq(datasetVersionBuilds.id, row.id), eq(datasetVersionBuilds.status, "running")))
      .run();
    if (r.changes === 1) {
      if (state().current !== row.id) {
        // No runner here is executing it, so nothing else will finish the row.
        db.update(datasetVersionBuilds).set({ status: "cancelled", phase: "cancelled", updatedAt: Date.now() }).where(and(eq(datasetVersionBuilds.id, row.id), eq(datasetVersionBuilds.status, "running"))).run();
      }
      audit({ userId: actor.user.id, projectId: project.id, action: "version.build.cancel", targetType: "dataset_version_build", targetId: row.id, details: { name: (row.request as BuildRequest).name } });
      return { kind: "cancelling", build: viewsOf([buildRow(project.id, raw)])[0]! };
    }
    row = buildRow(project.id, raw); // it finished meanwhile: dismiss it like any finished build
  }
  db.delete(datasetVersionBuilds).where(and(eq(datasetVersionBuilds.id, row.id), inArray(datasetVersionBuilds.status, ["queued", "failed", "done", "cancelled"]))).run();
  return { kind: "removed" };
}

/**
 * Waits until the build is done, failed or cancelled, up to `timeoutMs`; for `?wait=1` clients
 * that want the old synchronous behaviour, and for DELETE on a running build. Returns the final
 * view, or the current one on timeout.
 */
export async function waitForBuild(projectId: number, id: number, timeoutMs: number): Promise<BuildView> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    ensureRunner();
    const row = getDb().select().from(datasetVersionBuilds).where(and(eq(datasetVersionBuilds.projectId, projectId), eq(datasetVersionBuilds.id, id))).get();
    if (!row) throw notFound("Build");
    if (row.status === "done" || row.status === "failed" || row.status === "cancelled" || Date.now() >= deadline) return viewsOf([row])[0]!;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(200, delay * 2);
  }
}

/** The summary of the version a finished build created. */
export function builtVersion(actor: Actor, projectId: number, build: BuildView): VersionSummary {
  const v = getDb().select().from(datasetVersions).where(and(eq(datasetVersions.projectId, projectId), eq(datasetVersions.number, build.version ?? -1))).get();
  if (!v) throw notFound("Version");
  accessProject(actor, projectId, "versions.read");
  const parent = v.parentId ? getDb().select({ n: datasetVersions.number }).from(datasetVersions).where(eq(datasetVersions.id, v.parentId)).get() : undefined;
  return versionSummary(v, parent?.n ?? null);
}

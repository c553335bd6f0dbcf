// Background builds of dataset versions (docs/adr/0008-dataset-versions.md, "Background builds").
// POST /versions validates and inserts a `dataset_version_builds` row (queued, asOf = now); a
// runner in this server process takes one build at a time, scans the project in chunks that yield
// to the event loop (so HTTP requests are never blocked for long), records progress on the row,
// and finally writes the version and all its items in one transaction (commitVersion). A failure
// leaves no version, only the build row with its error. Queued/running builds left over by a
// restart are re-queued the first time the runner is touched in a process.
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
};
/** How many recent builds the list returns. */
const LIST_LIMIT = 50;

export interface BuildView {
  id: number;
  status: "queued" | "running" | "failed" | "done";
  /** "queued", "reading" (done/total annotations scanned), "writing" (one transaction), "done", "failed". */
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
}

// On globalThis: Next may load this module once per route bundle; there must be one runner.
const g = globalThis as unknown as { __loupeBuildRunner?: RunnerState };

function state(): RunnerState {
  const dbPath = config.dbPath;
  if (!g.__loupeBuildRunner || g.__loupeBuildRunner.dbPath !== dbPath) g.__loupeBuildRunner = { dbPath, recovered: false, running: false };
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
      await runBuild(next);
    }
  } finally {
    s.running = false;
  }
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

function progress(id: number, patch: Partial<Pick<DatasetVersionBuild, "status" | "phase" | "done" | "total" | "error">>): void {
  getDb().update(datasetVersionBuilds).set({ ...patch, updatedAt: Date.now() }).where(eq(datasetVersionBuilds.id, id)).run();
}

async function runBuild(b: DatasetVersionBuild): Promise<void> {
  const req = b.request as BuildRequest;
  const db = getDb();
  // Progress counts tasks scanned (the scan pages by task); tasks imported meanwhile may add a few.
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM tasks WHERE project_id = ${b.projectId}`)?.n ?? 0;
  progress(b.id, { status: "running", phase: "reading", done: 0, total, error: null });
  try {
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
    }
    progress(b.id, { phase: "writing", done: items.length, total: items.length });
    await yieldToEventLoop();
    const { version, parentNumber } = commitVersion(b.projectId, b.createdBy, req, { items, labelCounts: labels.result(), sha256: hasher.digest() }, (v) => {
      buildHooks.beforeCommit?.(b);
      const r = db
        .update(datasetVersionBuilds)
        .set({ status: "done", phase: "done", versionId: v.id, updatedAt: Date.now() })
        .where(and(eq(datasetVersionBuilds.id, b.id), eq(datasetVersionBuilds.status, "running")))
        .run();
      if (r.changes !== 1) throw new Error("The build was removed while it ran.");
      // Queued in the same transaction: the deliveries commit (or roll back) with the version.
      emitWebhookEvent(v.projectId, "version.created", {
        version: { number: v.number, name: v.name, sha256: v.manifestSha256, counts: { tasks: v.taskCount, annotations: v.annotationCount } },
      });
    });
    onVersionCreated(versionSummary(version, parentNumber), version);
  } catch (e) {
    const message = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    if (!(e instanceof ApiError)) console.error(`[loupe] dataset version build ${b.id} failed:`, e);
    progress(b.id, { status: "failed", phase: "failed", error: message || "The build failed." });
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

/** Dismisses a failed (or finished) build, or cancels a queued one. A running build cannot be stopped: 409. */
export function deleteBuild(actor: Actor, projectId: number, raw: string): void {
  const { project } = accessProject(actor, projectId, "versions.create");
  const row = buildRow(project.id, raw);
  if (row.status === "running") throw conflict("This build is running; it cannot be cancelled now. Dismiss it once it has finished or failed.");
  getDb().delete(datasetVersionBuilds).where(and(eq(datasetVersionBuilds.id, row.id), inArray(datasetVersionBuilds.status, ["queued", "failed", "done"]))).run();
}

/**
 * Waits until the build is done or failed, up to `timeoutMs`; for `?wait=1` clients that want the
 * old synchronous behaviour. Returns the final view, or the current one on timeout.
 */
export async function waitForBuild(projectId: number, id: number, timeoutMs: number): Promise<BuildView> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    ensureRunner();
    const row = getDb().select().from(datasetVersionBuilds).where(and(eq(datasetVersionBuilds.projectId, projectId), eq(datasetVersionBuilds.id, id))).get();
    if (!row) throw notFound("Build");
    if (row.status === "done" || row.status === "failed" || Date.now() >= deadline) return viewsOf([row])[0]!;
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

// Dataset versions: immutable, numbered snapshots of a project's annotations.
// A version freezes (annotation id, revision) pairs; revisions are append-only, so the
// content never changes afterwards. Decisions: docs/adr/0008-dataset-versions.md.
//
// Creation runs as a background build (lib/server/version-builds.ts): it scans in chunks with
// the helpers here, then commitVersion writes the version and its items in one transaction.
import { createHash } from "node:crypto";
import { z } from "zod";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { datasetVersions, users, type DatasetVersion } from "../db/schema";
import { labelsUsed, type AnnotationDocument } from "../annotation/document";
import { canonicalJson } from "../exporters/common";
import type { Split } from "../exporters/types";
import { parseOr422 } from "../validation";
import { invalid, notFound } from "./errors";
import { accessProject } from "./access";
import { getLabelConfig } from "./projects";
import type { Actor } from "../auth/actor";

/** Bumped if the hashed form below ever changes shape. */
export const MANIFEST_FORMAT = "loupe.dataset-version/1";

const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && Number.isFinite(Date.parse(s)), "must be an ISO 8601 date or date-time")
  .transform((s) => new Date(Date.parse(s)).toISOString());

export const filterSchema = z
  .object({
    /** "submitted": every submitted annotation; "reviewed": only ones a reviewer has accepted (see below). */
    status: z.enum(["submitted", "reviewed"]).default("submitted"),
    /** Keep annotations that use at least one of these labels. */
    labels: z.array(z.string().min(1).max(200)).min(1, "must name at least one label").max(1000).optional(),
    /** Only annotations whose frozen revision was written at or after this time. */
    from: isoDate.optional(),
    /** Snapshot as of this time: each annotation's latest revision written at or before it. */
    to: isoDate.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    if (f.labels) {
      const sorted = [...new Set(f.labels)].sort();
      if (sorted.length !== f.labels.length) ctx.addIssue({ code: "custom", path: ["labels"], message: "must not repeat a label" });
    }
  })
  .transform((f) => ({ ...f, labels: f.labels ? [...f.labels].sort() : undefined }));

const ratio = z.number().min(0).max(1);
export const splitSchema = z
  .object({
    seed: z.union([z.string().min(1).max(200), z.number().int()]),
    train: ratio,
    val: ratio,
    test: ratio,
  })
  .strict()
  .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-9, { message: "train + val + test must be 1", path: ["train"] });

const createSchema = z
  .object({
    name: z.string().trim().max(200).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters").optional(),
    notes: z.string().max(20_000).optional(),
    filter: filterSchema.optional(),
    split: splitSchema.nullable().optional(),
  })
  .strict();

export type VersionFilter = z.output<typeof filterSchema>;
export type VersionSplit = z.output<typeof splitSchema>;

/**
 * A task's split: sha256("<seed>:<taskId>") read as a number in [0, 1), cut at the ratios.
 * Depends only on the seed, the task id and the ratios, so a task keeps its split in every
 * version made with the same seed and ratios.
 */
export function assignSplit(split: VersionSplit, taskId: number): Split {
  const h = createHash("sha256").update(`${split.seed}:${taskId}`).digest();
  const u = h.readUIntBE(0, 6) / 2 ** 48;
  if (u < split.train) return "train";
  if (u < split.train + split.val) return "val";
  return "test";
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

export interface ManifestItem {
  taskId: number;
  annotationId: number;
  revision: number;
  split: Split | null;
  documentSha256: string;
  mediaSha256: string | null;
}

/**
 * What the content hash covers: the format tag, the project id, the label schema version, the
 * normalised filter and split, and every item (task, annotation, revision, split, sha256 of the
 * frozen document, sha256 of the task's stored media) in (taskId, annotationId) order; keys sorted
 * (canonical JSON). Not covered: number, name, notes, parent, created by/at.
 */
export function manifestHash(h: { projectId: number; schemaVersion: number; filter: VersionFilter; split: VersionSplit | null; items: ManifestItem[] }): string {
  return sha256(canonicalJson({ format: MANIFEST_FORMAT, project: h.projectId, schemaVersion: h.schemaVersion, filter: h.filter, split: h.split, items: h.items }));
}

/** One annotation as the builder reads it: the frozen revision's fields the filter and hash need. */
interface ScannedRow {
  task_id: number; annotation_id: number; author: number | null; revision: number; document: string;
  user_id: number | null; created_at: number; media_sha: string | null;
}

/**
 * One page of the project's tasks (keyset on task id, so each page is an index range, never a
 * rescan) and their submitted annotations in (task, annotation) order, each at its latest revision
 * written at or before `cut` (min of the build's asOf and filter.to). Revisions are append-only,
 * so pages read at different moments still form one snapshot. `next` is the cursor, or null at the end.
 */
export function scanPage(projectId: number, cut: number, afterTaskId: number, limit: number): { rows: ScannedRow[]; tasks: number; next: number | null } {
  const c = getDb().$client;
  const ids = c.prepare("SELECT id FROM tasks WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?").pluck().all(projectId, afterTaskId, limit) as number[];
  if (ids.length === 0) return { rows: [], tasks: 0, next: null };
  const lo = ids[0]!, hi = ids[ids.length - 1]!;
  const rows = c
    .prepare(`
      SELECT a.task_id, a.id AS annotation_id, a.user_id AS author, r.revision, r.document, r.user_id, r.created_at,
             m.sha256 AS media_sha
      FROM annotations a
      JOIN tasks t ON t.id = a.task_id
      LEFT JOIN media m ON m.id = t.media_id
      JOIN annotation_revisions r ON r.annotation_id = a.id AND r.revision = (
        SELECT max(r2.revision) FROM annotation_revisions r2 WHERE r2.annotation_id = a.id AND r2.created_at <= @cut)
      WHERE a.task_id BETWEEN @lo AND @hi AND a.project_id = @p AND t.project_id = @p
        AND r.status = 'submitted'
      ORDER BY a.task_id, a.id`)
    .all({ cut, lo, hi, p: projectId }) as ScannedRow[];
  // Skipped annotations (status of the frozen revision) never enter a version.
  return { rows, tasks: ids.length, next: ids.length < limit ? null : hi };
}

/**
 * sha256 of the canonical manifest (see manifestHash), fed one item at a time in manifest order,
 * so a build hashes as it scans instead of serialising 100k items at the end. Same bytes as
 * manifestHash (tested).
 */
export class ManifestHasher {
  private h = createHash("sha256");
  private suffix: string;
  private first = true;
  constructor(head: { projectId: number; schemaVersion: number; filter: VersionFilter; split: VersionSplit | null }) {
    const whole = canonicalJson({ format: MANIFEST_FORMAT, project: head.projectId, schemaVersion: head.schemaVersion, filter: head.filter, split: head.split, items: [] });
    // `"items":[]` can only be the top-level key: inside strings a quote is always escaped.
    const at = whole.indexOf('"items":[]') + '"items":['.length;
    this.h.update(whole.slice(0, at));
    this.suffix = whole.slice(at);
  }
  add(item: ManifestItem): void {
    this.h.update(this.first ? canonicalJson(item) : "," + canonicalJson(item));
    this.first = false;
  }
  digest(): string {
    this.h.update(this.suffix);
    return this.h.digest("hex");
  }
}

/** Counts regions per label over the documents it is fed; `result()` is sorted by label. */
export class LabelCounter {
  private counts = new Map<string, number>();
  add(doc: AnnotationDocument): void {
    for (const r of doc.regions ?? []) {
      const ls = new Set<string>([...(r.label ? [r.label] : []), ...(r.labels ?? [])]);
      for (const l of ls) this.counts.set(l, (this.counts.get(l) ?? 0) + 1);
    }
  }
  result(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** The filter applied to one scanned row: the manifest item (and its document), or null to leave it out. */
export function selectRow(r: ScannedRow, f: VersionFilter, from: number | null, split: VersionSplit | null): { item: ManifestItem; document: AnnotationDocument } | null {
  // "Reviewed" until a review workflow exists: the frozen revision was written by someone other
  // than the annotation's author, which only a reviewer, manager or admin may do (annotations.review).
  if (f.status === "reviewed" && (r.user_id === null || r.user_id === r.author)) return null;
  if (from !== null && r.created_at < from) return null;
  const raw = JSON.parse(r.document) as unknown;
  // Stored documents were validated when written; read them as they are.
  const document = { ...(raw as AnnotationDocument), regions: (raw as AnnotationDocument)?.regions ?? [] };
  if (f.labels && !labelsUsed(document).some((l) => f.labels!.includes(l))) return null;
  return {
    document,
    item: {
      taskId: r.task_id, annotationId: r.annotation_id, revision: r.revision,
      split: split ? assignSplit(split, r.task_id) : null, documentSha256: sha256(canonicalJson(raw)), mediaSha256: r.media_sha,
    },
  };
}

export interface VersionSummary {
  id: number;
  number: number;
  name: string;
  notes: string;
  status: string;
  createdAt: string;
  createdBy: number | null;
  parent: number | null;
  schemaVersion: number;
  filter: VersionFilter;
  split: VersionSplit | null;
  counts: { tasks: number; annotations: number; train?: number; val?: number; test?: number };
  labelCounts: Record<string, number>;
  /** Bytes of the stored media of its tasks, each file once (0 when media is only referenced by URL). */
  mediaBytes: number;
  sha256: string;
}

function summary(v: DatasetVersion, parentNumber: number | null, splitCounts?: Record<string, number>): VersionSummary {
  return {
    id: v.id,
    number: v.number,
    name: v.name,
    notes: v.notes,
    status: v.status,
    createdAt: new Date(v.createdAt).toISOString(),
    createdBy: v.createdBy,
    parent: parentNumber,
    schemaVersion: v.schemaVersion,
    filter: v.filter as VersionFilter,
    split: (v.split as VersionSplit | null) ?? null,
    counts: { tasks: v.taskCount, annotations: v.annotationCount, ...(splitCounts ?? {}) },
    labelCounts: v.labelCounts as Record<string, number>,
    mediaBytes: v.mediaBytes,
    sha256: v.manifestSha256,
  };
}

function parentNumberOf(v: DatasetVersion): number | null {
  if (!v.parentId) return null;
  const p = getDb().select({ n: datasetVersions.number }).from(datasetVersions).where(eq(datasetVersions.id, v.parentId)).get();
  return p?.n ?? null;
}

/** What a build needs from a create request, validated up front so bad input is a 422, not a failed build. */
export interface BuildRequest {
  name: string;
  notes: string;
  filter: VersionFilter;
  split: VersionSplit | null;
  /** The label schema version the request was validated against (frozen into the version). */
  schemaVersion: number;
}

export function validateCreate(actor: Actor, projectId: number, body: unknown): { projectId: number; request: BuildRequest } {
  const { project } = accessProject(actor, projectId, "versions.create");
  const input = parseOr422(createSchema, body ?? {});
  const filter = input.filter ?? parseOr422(filterSchema, {});
  const split = input.split ?? null;
  const { version: schemaVersion, schema } = getLabelConfig(project.id);
  if (filter.labels) {
    const known = new Set(schema.labels.map((l) => l.name));
    const i = filter.labels.findIndex((l) => !known.has(l));
    if (i >= 0) throw invalid(`filter.labels: unknown label "${filter.labels[i]}"`, `filter.labels`);
  }
  return { projectId: project.id, request: { name: input.name ?? "", notes: input.notes ?? "", filter, split, schemaVersion } };
}

export interface SelectedVersion {
  items: ManifestItem[];
  labelCounts: Record<string, number>;
  /** From ManifestHasher over the same items. */
  sha256: string;
}

/**
 * Writes the version row and all its items in ONE synchronous transaction (better-sqlite3: the
 * callback must not await). `inTx` runs inside it last (the builder marks its build row done
 * there), so either everything commits or nothing does.
 */
export function commitVersion(
  projectId: number, createdBy: number | null, req: BuildRequest, sel: SelectedVersion, inTx: (v: DatasetVersion) => void,
): { version: DatasetVersion; parentNumber: number | null } {
  const db = getDb();
  const hash = sel.sha256;
  const tasks = new Set<number>();
  for (const it of sel.items) tasks.add(it.taskId);
  return db.transaction((tx) => {
    // The number and parent are taken under the write lock; the unique index is the backstop.
    const prev = tx.select().from(datasetVersions).where(eq(datasetVersions.projectId, projectId)).orderBy(desc(datasetVersions.number)).limit(1).get();
    const number = (prev?.number ?? 0) + 1;
    const v = tx
      .insert(datasetVersions)
      .values({
        projectId, number, name: req.name || `v${number}`, notes: req.notes, filter: req.filter, split: req.split,
        schemaVersion: req.schemaVersion, parentId: prev?.id ?? null, manifestSha256: hash, taskCount: tasks.size,
        annotationCount: sel.items.length, labelCounts: sel.labelCounts, status: "ready", createdBy,
      })
      .returning()
      .get();
    // Raw prepared statements: per-row drizzle builders cost ~10x more at 100k items.
    const c = db.$client;
    const BATCH = 100;
    const many = c.prepare(`INSERT INTO dataset_version_items (version_id, task_id, annotation_id, revision, split) VALUES ${Array(BATCH).fill("(?, ?, ?, ?, ?)").join(", ")}`);
    const one = c.prepare("INSERT INTO dataset_version_items (version_id, task_id, annotation_id, revision, split) VALUES (?, ?, ?, ?, ?)");
    const args: Array<number | string | null> = [];
    let i = 0;
    for (; i + BATCH <= sel.items.length; i += BATCH) {
      args.length = 0;
      for (let j = i; j < i + BATCH; j++) {
        const it = sel.items[j]!;
        args.push(v.id, it.taskId, it.annotationId, it.revision, it.split);
      }
      many.run(args);
    }
    for (; i < sel.items.length; i++) {
      const it = sel.items[i]!;
      one.run(v.id, it.taskId, it.annotationId, it.revision, it.split);
    }
    // The scan ran in chunks outside this lock: a task (with its annotations) deleted meanwhile
    // would leave a dangling item. Revisions never change, so this is the only drift to check.
    const gone = c.prepare(
      "SELECT count(*) AS n FROM dataset_version_items i LEFT JOIN annotations a ON a.id = i.annotation_id WHERE i.version_id = ? AND a.id IS NULL",
    ).get(v.id) as { n: number };
    if (gone.n > 0) throw new Error(`${gone.n} annotation(s) were deleted while the version was being built; start the build again`);
    // Each stored file once, however many tasks share it.
    const bytes = c.prepare(
      `SELECT coalesce(sum(m.size), 0) AS n FROM (SELECT DISTINCT t.media_id AS mid FROM dataset_version_items i JOIN tasks t ON t.id = i.task_id
       WHERE i.version_id = ? AND t.media_id IS NOT NULL) x JOIN media m ON m.id = x.mid`,
    ).get(v.id) as { n: number };
    c.prepare("UPDATE dataset_versions SET media_bytes = ? WHERE id = ?").run(bytes.n, v.id);
    const row: DatasetVersion = { ...v, mediaBytes: bytes.n };
    inTx(row);
    return { version: row, parentNumber: prev?.number ?? null };
  }, { behavior: "immediate" });
}

/** The summary of a freshly committed version (split counts included). */
export function versionSummary(v: DatasetVersion, parentNumber: number | null): VersionSummary {
  return summary(v, parentNumber, splitCountsOf(v));
}

function splitCountsOf(v: DatasetVersion): Record<string, number> | undefined {
  if (!v.split) return undefined;
  const rows = getDb().all<{ split: string; n: number }>(sql`
    SELECT split, count(DISTINCT task_id) AS n FROM dataset_version_items WHERE version_id = ${v.id} GROUP BY split`);
  const out: Record<string, number> = { train: 0, val: 0, test: 0 };
  for (const r of rows) out[r.split] = r.n;
  return out;
}

export function listVersions(actor: Actor, projectId: number): VersionSummary[] {
  const { project } = accessProject(actor, projectId, "versions.read");
  const rows = getDb().select().from(datasetVersions).where(eq(datasetVersions.projectId, project.id)).orderBy(desc(datasetVersions.number)).all();
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));
  // Split counts (tasks per split) only for versions that have a split: one grouped query each.
  return rows.map((r) => summary(r, r.parentId ? (numberOf.get(r.parentId) ?? null) : null, splitCountsOf(r)));
}

/** The version row for `:v` (a number or "latest"), after the access check. */
export function resolveVersion(actor: Actor, projectId: number, v: string): DatasetVersion {
  const { project } = accessProject(actor, projectId, "versions.read");
  const db = getDb();
  let row: DatasetVersion | undefined;
  if (v === "latest") {
    row = db.select().from(datasetVersions).where(eq(datasetVersions.projectId, project.id)).orderBy(desc(datasetVersions.number)).limit(1).get();
  } else if (/^[1-9]\d{0,9}$/.test(v)) {
    row = db.select().from(datasetVersions).where(and(eq(datasetVersions.projectId, project.id), eq(datasetVersions.number, Number(v)))).get();
  }
  if (!row) throw notFound("Version");
  return row;
}

export interface Manifest extends VersionSummary {
  project: { id: number; name: string; dataType: string };
  items: ManifestItem[];
}

export function versionItems(versionId: number): ManifestItem[] {
  return getDb()
    .all<{ task_id: number; annotation_id: number; revision: number; split: Split | null; document: string; media_sha: string | null }>(sql`
      SELECT i.task_id, i.annotation_id, i.revision, i.split, r.document, m.sha256 AS media_sha
      FROM dataset_version_items i
      JOIN annotation_revisions r ON r.annotation_id = i.annotation_id AND r.revision = i.revision
      JOIN tasks t ON t.id = i.task_id
      LEFT JOIN media m ON m.id = t.media_id
      WHERE i.version_id = ${versionId}
      ORDER BY i.task_id, i.annotation_id`)
    .map((r) => ({
      taskId: r.task_id, annotationId: r.annotation_id, revision: r.revision, split: r.split,
      documentSha256: sha256(canonicalJson(JSON.parse(r.document))), mediaSha256: r.media_sha,
    }));
}

export function getVersion(actor: Actor, projectId: number, v: string): Manifest {
  const row = resolveVersion(actor, projectId, v);
  const project = accessProject(actor, projectId, "versions.read").project;
  return {
    project: { id: project.id, name: project.name, dataType: project.dataType },
    ...summary(row, parentNumberOf(row), splitCountsOf(row)),
    items: versionItems(row.id),
  };
}

/** Display names (name, else email) of the users who created versions or builds, for the versions page. */
export function creatorNames(ids: Array<number | null>): Record<number, string> {
  const want = [...new Set(ids.filter((x): x is number => x !== null))];
  if (want.length === 0) return {};
  const rows = getDb().select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, want)).all();
  return Object.fromEntries(rows.map((r) => [r.id, r.name || r.email]));
}

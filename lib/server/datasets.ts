// Dataset versions: immutable, numbered snapshots of a project's annotations.
// A version freezes (annotation id, revision) pairs; revisions are append-only, so the
// content never changes afterwards. Decisions: docs/adr/0008-dataset-versions.md.
//
// Creation runs synchronously in one transaction (fine for the project sizes we have today);
// background builds with status "building" come later.
import { createHash } from "node:crypto";
import { z } from "zod";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { datasetVersions, datasetVersionItems, type DatasetVersion } from "../db/schema";
import { labelsUsed, type AnnotationDocument } from "../annotation/document";
import { canonicalJson } from "../exporters/common";
import type { Split } from "../exporters/types";
import { parseOr422 } from "../validation";
import { invalid, notFound } from "./errors";
import { accessProject } from "./access";
import { getLabelConfig } from "./projects";
import { audit } from "./audit";
import { emitWebhookEvent } from "./webhooks";
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

interface Candidate {
  taskId: number;
  annotationId: number;
  revision: number;
  document: AnnotationDocument;
  documentSha256: string;
  mediaSha256: string | null;
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

/** Annotations the filter selects, each at its frozen revision, in (task, annotation) order. */
function selectItems(projectId: number, f: VersionFilter): Candidate[] {
  const to = f.to ? Date.parse(f.to) : null;
  const from = f.from ? Date.parse(f.from) : null;
  const rows = getDb().all<{
    task_id: number; annotation_id: number; author: number | null; revision: number; document: string;
    status: string; user_id: number | null; created_at: number; media_sha: string | null;
  }>(sql`
    SELECT a.task_id, a.id AS annotation_id, a.user_id AS author, r.revision, r.document, r.status, r.user_id, r.created_at,
           m.sha256 AS media_sha
    FROM annotations a
    JOIN tasks t ON t.id = a.task_id
    LEFT JOIN media m ON m.id = t.media_id
    JOIN annotation_revisions r ON r.annotation_id = a.id AND r.revision = (
      SELECT max(r2.revision) FROM annotation_revisions r2
      WHERE r2.annotation_id = a.id ${to !== null ? sql`AND r2.created_at <= ${to}` : sql``})
    WHERE a.project_id = ${projectId} AND t.project_id = ${projectId}
    ORDER BY a.task_id, a.id`);
  const out: Candidate[] = [];
  for (const r of rows) {
    if (r.status !== "submitted") continue;
    // "Reviewed" until a review workflow exists: the frozen revision was written by someone other
    // than the annotation's author, which only a reviewer, manager or admin may do (annotations.review).
    if (f.status === "reviewed" && (r.user_id === null || r.user_id === r.author)) continue;
    if (from !== null && r.created_at < from) continue;
    const raw = JSON.parse(r.document) as unknown;
    // Stored documents were validated when written; read them as they are.
    const document = { ...(raw as AnnotationDocument), regions: (raw as AnnotationDocument)?.regions ?? [] };
    if (f.labels && !labelsUsed(document).some((l) => f.labels!.includes(l))) continue;
    out.push({ taskId: r.task_id, annotationId: r.annotation_id, revision: r.revision, document, documentSha256: sha256(canonicalJson(raw)), mediaSha256: r.media_sha });
  }
  return out;
}

function labelCountsOf(docs: AnnotationDocument[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of docs) for (const r of d.regions ?? []) {
    const ls = new Set<string>([...(r.label ? [r.label] : []), ...(r.labels ?? [])]);
    for (const l of ls) counts[l] = (counts[l] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
    sha256: v.manifestSha256,
  };
}

function parentNumberOf(v: DatasetVersion): number | null {
  if (!v.parentId) return null;
  const p = getDb().select({ n: datasetVersions.number }).from(datasetVersions).where(eq(datasetVersions.id, v.parentId)).get();
  return p?.n ?? null;
}

export function createVersion(actor: Actor, projectId: number, body: unknown): VersionSummary {
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
  const db = getDb();
  const row = db.transaction((tx) => {
    // Inside the transaction: the snapshot and the number are taken under the same write lock.
    const cands = selectItems(project.id, filter);
    const items: ManifestItem[] = cands.map((c) => ({
      taskId: c.taskId, annotationId: c.annotationId, revision: c.revision,
      split: split ? assignSplit(split, c.taskId) : null, documentSha256: c.documentSha256, mediaSha256: c.mediaSha256,
    }));
    const hash = manifestHash({ projectId: project.id, schemaVersion, filter, split, items });
    const prev = tx.select().from(datasetVersions).where(eq(datasetVersions.projectId, project.id)).orderBy(desc(datasetVersions.number)).limit(1).get();
    const number = (prev?.number ?? 0) + 1;
    const v = tx
      .insert(datasetVersions)
      .values({
        projectId: project.id, number, name: input.name || `v${number}`, notes: input.notes ?? "", filter, split,
        schemaVersion, parentId: prev?.id ?? null, manifestSha256: hash, taskCount: new Set(items.map((i) => i.taskId)).size,
        annotationCount: items.length, labelCounts: labelCountsOf(cands.map((c) => c.document)), status: "ready", createdBy: actor.user.id,
      })
      .returning()
      .get();
    for (const it of items) {
      tx.insert(datasetVersionItems).values({ versionId: v.id, taskId: it.taskId, annotationId: it.annotationId, revision: it.revision, split: it.split }).run();
    }
    return { v, parentNumber: prev?.number ?? null };
  }, { behavior: "immediate" });
  audit({ userId: actor.user.id, projectId: project.id, action: "version.create", targetType: "dataset_version", targetId: row.v.id, details: { number: row.v.number } });
  emitWebhookEvent(project.id, "version.created", { version: { number: row.v.number, name: row.v.name, sha256: row.v.manifestSha256, counts: { tasks: row.v.taskCount, annotations: row.v.annotationCount } } });
  return summary(row.v, row.parentNumber, splitCountsOf(row.v));
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
  return rows.map((r) => summary(r, r.parentId ? (numberOf.get(r.parentId) ?? null) : null));
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

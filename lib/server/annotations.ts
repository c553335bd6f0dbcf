// Annotations: every accepted write is a new revision row; a write naming a stale revision
// gets 409 with the current revision, never a silent overwrite. Drafts are per (task, user).
import { z } from "zod";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { annotations, annotationRevisions, drafts, media, predictions, taskLabels, tasks, projects, type Annotation } from "../db/schema";
import { rectCorners } from "../annotation/regions/rect";
import { ellipseUtil } from "../annotation/regions/ellipse";
import { segmentExtentIssue } from "../annotation/regions/segment";
import { parseDocument, labelsUsed, type AnnotationDocument } from "../annotation/document";
import { toolsFor, type LabelConfig } from "../labeling-config/schema";
import { TextIndex } from "../annotation/text/offsets";
import { checkSpans } from "../annotation/text/spans";
import { taskText } from "../annotation/text/task-text";
import { parseOr422 } from "../validation";
import { conflict, forbidden, invalid, notFound } from "./errors";
import { accessTask } from "./tasks";
import { getLabelConfig } from "./projects";
import type { Actor } from "../auth/actor";
import type { ProjectAccess } from "./access";
import { audit } from "./audit";
import { emitWebhookEvent } from "./webhooks";
import { taskPredictionScore } from "./prediction-score";

const createInput = z.object({
  document: z.unknown(),
  status: z.enum(["submitted", "skipped"]).default("submitted"),
  skipReason: z.string().max(2000).optional(),
  leadTime: z.number().min(0).max(86_400 * 7).optional(),
});

const updateInput = z.object({
  revision: z.number().int().positive(),
  document: z.unknown(),
  status: z.enum(["submitted", "skipped"]).optional(),
  skipReason: z.string().max(2000).optional(),
  leadTime: z.number().min(0).max(86_400 * 7).optional(),
});

function checkDocument(raw: unknown, cfg: LabelConfig, dataType: ProjectAccess["project"]["dataType"]): AnnotationDocument {
  const r = parseDocument(raw ?? {}, { labels: cfg.labels, classifications: cfg.classifications, textFields: cfg.textFields, allowedKinds: toolsFor(cfg, dataType) });
  if (!r.ok) {
    const field = r.issue.path ? `document.${r.issue.path}` : "document";
    throw invalid(`${field}: ${r.issue.message}`, field);
  }
  return r.doc;
}

// Regions must lie inside the image. The editor clips while drawing, so anything outside came
// from a script or a bug: refuse it (422 with the field path) rather than clip silently, so the
// stored data is exactly what was sent. Same tolerance and the same rules as the editor's clip:
// ellipses only need to meet the image, keypoints outside must be marked invisible (0).
const EDGE_EPSILON = 0.01; // px: float noise from rotation maths, not a real overhang

function imageSizeOf(mediaId: number | null): { width: number; height: number } | null {
  if (!mediaId) return null;
  const m = getDb().select({ w: media.width, h: media.height, kind: media.kind }).from(media).where(eq(media.id, mediaId)).get();
  return m && m.kind === "image" && m.w && m.h ? { width: m.w, height: m.h } : null;
}

function checkInsideImage(doc: AnnotationDocument, size: { width: number; height: number } | null): void {
  if (!size) return; // dimensions unknown (URL tasks not yet probed): nothing to check against
  const { width: W, height: H } = size;
  const inside = (x: number, y: number) => x >= -EDGE_EPSILON && y >= -EDGE_EPSILON && x <= W + EDGE_EPSILON && y <= H + EDGE_EPSILON;
  const refuse = (path: string, what: string): never => {
    throw invalid(`document.${path}: ${what} lies outside the image (${W}x${H})`, `document.${path}`);
  };
  doc.regions.forEach((r, i) => {
    const at = `regions.${i}`;
    switch (r.kind) {
      case "rect": {
        if (r.rotation % 360 === 0) {
          if (r.x < -EDGE_EPSILON || r.x > W + EDGE_EPSILON) refuse(`${at}.x`, "the box");
          if (r.y < -EDGE_EPSILON || r.y > H + EDGE_EPSILON) refuse(`${at}.y`, "the box");
          if (r.x + r.width > W + EDGE_EPSILON) refuse(`${at}.width`, "the box");
          if (r.y + r.height > H + EDGE_EPSILON) refuse(`${at}.height`, "the box");
        } else {
          rectCorners(r).forEach(([x, y], k) => inside(x, y) || refuse(`${at}.rotation`, `corner ${k} of the rotated box`));
        }
        break;
      }
      case "polygon":
      case "polyline":
        r.points.forEach(([x, y], k) => inside(x, y) || refuse(`${at}.points.${k}`, "the point"));
        break;
      case "keypoints":
        r.points.forEach(([x, y, v], k) => v === 0 || inside(x, y) || refuse(`${at}.points.${k}`, "the visible keypoint"));
        break;
      case "ellipse": {
        const b = ellipseUtil.bounds(r);
        if (b.maxX < 0 || b.maxY < 0 || b.minX > W || b.minY > H) refuse(`${at}.cx`, "the ellipse");
        break;
      }
      case "mask":
        if (r.width !== W) throw invalid(`document.${at}.width: a mask must be as wide as the image (${W})`, `document.${at}.width`);
        if (r.height !== H) throw invalid(`document.${at}.height: a mask must be as tall as the image (${H})`, `document.${at}.height`);
        break;
    }
  });
}

// Audio/video segments must lie inside the media's duration (same rule and slack as the editor,
// regions/segment.ts). Zero-length segments never get here: the schema wants end > start.
function checkInsideDuration(doc: AnnotationDocument, mediaId: number | null): void {
  if (!mediaId || !doc.regions.some((r) => r.kind === "segment")) return;
  const m = getDb().select({ d: media.duration }).from(media).where(eq(media.id, mediaId)).get();
  const duration = m?.d ?? 0;
  doc.regions.forEach((r, i) => {
    if (r.kind !== "segment") return;
    const issue = segmentExtentIssue(r, duration);
    if (issue) throw invalid(`document.regions.${i}.${issue.field}: ${issue.message}`, `document.regions.${i}.${issue.field}`);
  });
}

// Spans must point into the task's text: code-point offsets within it, and a `text` field equal
// to the slice. Same rule as the editor (lib/annotation/text/spans.ts).
function checkInsideText(doc: AnnotationDocument, data: unknown): void {
  if (!doc.regions.some((r) => r.kind === "span")) return;
  const text = taskText(data) ?? "";
  const issue = checkSpans(doc.regions, new TextIndex(text));
  if (issue) throw invalid(`document.${issue.path}: ${issue.message}`, `document.${issue.path}`);
}

/** Media extent checks for the project's data type. */
function checkExtent(doc: AnnotationDocument, task: { mediaId: number | null; data: unknown }, dataType: ProjectAccess["project"]["dataType"]): void {
  if (dataType === "text") return checkInsideText(doc, task.data);
  checkInsideImage(doc, imageSizeOf(task.mediaId));
  checkInsideDuration(doc, task.mediaId);
}

function syncTaskLabels(tx: Parameters<Parameters<ReturnType<typeof getDb>["transaction"]>[0]>[0], projectId: number, taskId: number): void {
  tx.delete(taskLabels).where(eq(taskLabels.taskId, taskId)).run();
  const docs = tx.select({ d: annotations.document }).from(annotations).where(eq(annotations.taskId, taskId)).all();
  const all = new Set<string>();
  for (const { d } of docs) labelsUsed(d as AnnotationDocument).forEach((l) => all.add(l));
  for (const label of all) tx.insert(taskLabels).values({ projectId, taskId, label }).run();
}

export interface AnnotationOut {
  id: number;
  taskId: number;
  projectId: number;
  userId: number | null;
  status: Annotation["status"];
  skipReason: string | null;
  revision: number;
  schemaVersion: number;
  document: unknown;
  leadTime: number | null;
  createdAt: number;
  updatedAt: number;
}

const out = (a: Annotation): AnnotationOut => ({
  id: a.id, taskId: a.taskId, projectId: a.projectId, userId: a.userId, status: a.status, skipReason: a.skipReason,
  revision: a.revision, schemaVersion: a.schemaVersion, document: a.document, leadTime: a.leadTime,
  createdAt: a.createdAt, updatedAt: a.updatedAt,
});

export function listAnnotations(actor: Actor, taskId: number): AnnotationOut[] {
  const { access } = accessTask(actor, taskId);
  const where = access.can("annotations.readAll")
    ? eq(annotations.taskId, taskId)
    : and(eq(annotations.taskId, taskId), eq(annotations.userId, actor.user.id));
  return getDb().select().from(annotations).where(where).orderBy(annotations.id).all().map(out);
}

export function createAnnotation(actor: Actor, taskId: number, body: unknown): AnnotationOut {
  const { task, access } = accessTask(actor, taskId);
  if (!access.can("tasks.label")) throw forbidden();
  const v = parseOr422(createInput, body);
  const { version, schema } = getLabelConfig(task.projectId);
  const doc = checkDocument(v.document, schema, access.project.dataType);
  checkExtent(doc, task, access.project.dataType);
  const db = getDb();
  const row = db.transaction((tx) => {
    const a = tx
      .insert(annotations)
      .values({
        taskId, projectId: task.projectId, userId: actor.user.id, status: v.status, skipReason: v.skipReason ?? null,
        revision: 1, schemaVersion: version, document: doc, leadTime: v.leadTime ?? null,
      })
      .returning()
      .get();
    tx.insert(annotationRevisions).values({ annotationId: a.id, revision: 1, document: doc, status: a.status, userId: actor.user.id }).run();
    const overlap = tx.select({ o: projects.overlap }).from(projects).where(eq(projects.id, task.projectId)).get()!.o;
    tx.run(sql`UPDATE tasks SET annotation_count = annotation_count + 1, updated_at = ${Date.now()},
      status = CASE WHEN annotation_count + 1 >= ${overlap} THEN 'completed' ELSE 'in_progress' END WHERE id = ${taskId}`);
    tx.run(sql`DELETE FROM task_locks WHERE task_id = ${taskId} AND user_id = ${actor.user.id}`);
    tx.delete(drafts).where(and(eq(drafts.taskId, taskId), eq(drafts.userId, actor.user.id))).run();
    syncTaskLabels(tx, task.projectId, taskId);
    // In the transaction: the webhook deliveries commit with the annotation, or neither does.
    if (a.status === "submitted") {
      emitWebhookEvent(task.projectId, "annotation.submitted", { taskId, annotationId: a.id, revision: a.revision, userId: actor.user.id });
    }
    return a;
  });
  audit({ userId: actor.user.id, projectId: task.projectId, action: `annotation.${v.status}`, targetType: "annotation", targetId: row.id });
  return out(row);
}

function accessAnnotation(actor: Actor, id: number): { a: Annotation; access: ProjectAccess } {
  const a = getDb().select().from(annotations).where(eq(annotations.id, id)).get();
  if (!a) throw notFound("Annotation");
  const { access } = accessTask(actor, a.taskId);
  if (a.userId !== actor.user.id && !access.can("annotations.readAll")) throw notFound("Annotation");
  return { a, access };
}

export function getAnnotation(actor: Actor, id: number): AnnotationOut {
  return out(accessAnnotation(actor, id).a);
}

export function updateAnnotation(actor: Actor, id: number, body: unknown): AnnotationOut {
  const { a, access } = accessAnnotation(actor, id);
  if (a.userId !== actor.user.id && !access.can("annotations.review")) throw forbidden();
  const v = parseOr422(updateInput, body);
  const { version, schema } = getLabelConfig(a.projectId);
  const doc = checkDocument(v.document, schema, access.project.dataType);
  checkExtent(doc, accessTask(actor, a.taskId).task, access.project.dataType);
  const db = getDb();
  const row = db.transaction((tx) => {
    // The revision check and the write are one statement: no gap for a concurrent writer.
    const next = tx
      .update(annotations)
      .set({
        document: doc, revision: v.revision + 1, schemaVersion: version, updatedAt: Date.now(),
        ...(v.status ? { status: v.status } : {}),
        ...(v.skipReason !== undefined ? { skipReason: v.skipReason } : {}),
        ...(v.leadTime !== undefined ? { leadTime: v.leadTime } : {}),
      })
      .where(and(eq(annotations.id, id), eq(annotations.revision, v.revision)))
      .returning()
      .get();
    if (!next) {
      const cur = tx.select({ r: annotations.revision }).from(annotations).where(eq(annotations.id, id)).get();
      throw conflict(`Annotation changed since revision ${v.revision}; the current revision is ${cur?.r}.`, { currentRevision: cur?.r });
    }
    tx.insert(annotationRevisions).values({ annotationId: id, revision: next.revision, document: doc, status: next.status, userId: actor.user.id }).run();
    tx.delete(drafts).where(and(eq(drafts.taskId, a.taskId), eq(drafts.userId, actor.user.id))).run();
    syncTaskLabels(tx, a.projectId, a.taskId);
    if (a.userId !== actor.user.id) {
      // A reviewer's (or manager's) revision of someone else's annotation is the review.
      emitWebhookEvent(a.projectId, "task.reviewed", { taskId: a.taskId, annotationId: id, revision: next.revision, reviewerId: actor.user.id });
    } else if (next.status === "submitted" && a.status !== "submitted") {
      // The author submits an annotation they had skipped.
      emitWebhookEvent(a.projectId, "annotation.submitted", { taskId: a.taskId, annotationId: id, revision: next.revision, userId: actor.user.id });
    }
    return next;
  });
  audit({ userId: actor.user.id, projectId: a.projectId, action: "annotation.update", targetType: "annotation", targetId: id, details: { revision: row.revision } });
  return out(row);
}

export function listRevisions(actor: Actor, id: number) {
  accessAnnotation(actor, id);
  return getDb().select().from(annotationRevisions).where(eq(annotationRevisions.annotationId, id)).orderBy(desc(annotationRevisions.revision)).all();
}

// ---- drafts ----

const draftInput = z.object({
  document: z.unknown(),
  annotationId: z.number().int().positive().nullable().optional(),
  baseRevision: z.number().int().positive().nullable().optional(),
});

/** Drafts are work in progress: shape-checked (no schema check, so nothing typed is refused). */
export function putDraft(actor: Actor, taskId: number, body: unknown) {
  const { access } = accessTask(actor, taskId);
  if (!access.can("tasks.label")) throw forbidden();
  const v = parseOr422(draftInput, body);
  const r = parseDocument(v.document ?? {});
  if (!r.ok) throw invalid(`document.${r.issue.path}: ${r.issue.message}`, `document.${r.issue.path}`);
  if (v.annotationId != null) {
    // A replayed draft may name an annotation deleted since: say so (422), not a foreign-key 500.
    const a = getDb().select({ taskId: annotations.taskId }).from(annotations).where(eq(annotations.id, v.annotationId)).get();
    if (!a || a.taskId !== taskId) throw invalid("annotationId: no such annotation on this task", "annotationId");
  }
  const t = Date.now();
  return getDb()
    .insert(drafts)
    .values({ taskId, userId: actor.user.id, annotationId: v.annotationId ?? null, baseRevision: v.baseRevision ?? null, document: r.doc, updatedAt: t })
    .onConflictDoUpdate({
      target: [drafts.taskId, drafts.userId],
      set: { document: r.doc, annotationId: v.annotationId ?? null, baseRevision: v.baseRevision ?? null, updatedAt: t },
    })
    .returning()
    .get();
}

export function getDraft(actor: Actor, taskId: number) {
  accessTask(actor, taskId);
  return getDb().select().from(drafts).where(and(eq(drafts.taskId, taskId), eq(drafts.userId, actor.user.id))).get() ?? null;
}

// ---- predictions ----

const predictionInput = z.object({
  model: z.string().trim().min(1).max(200),
  modelVersion: z.string().max(100).optional(),
  score: z.number().min(0).max(1).optional(),
  document: z.unknown(),
});

export function listPredictions(actor: Actor, taskId: number) {
  accessTask(actor, taskId);
  return getDb().select().from(predictions).where(eq(predictions.taskId, taskId)).orderBy(predictions.id).all();
}

export function createPrediction(actor: Actor, taskId: number, body: unknown) {
  const { task, access } = accessTask(actor, taskId);
  if (!access.can("tasks.label")) throw forbidden();
  const v = parseOr422(predictionInput, body);
  const { schema } = getLabelConfig(task.projectId);
  const doc = checkDocument(v.document, schema, access.project.dataType);
  checkExtent(doc, task, access.project.dataType);
  for (const reg of doc.regions) {
    reg.origin = "prediction";
    reg.model ??= v.model;
  }
  return insertPrediction(taskId, { model: v.model, modelVersion: v.modelVersion ?? null, score: v.score ?? null, document: doc });
}

/** Also used by import (Label Studio "predictions" kept as they come, converted later). */
export function insertPrediction(taskId: number, p: { model: string; modelVersion: string | null; score: number | null; document: unknown }) {
  const db = getDb();
  return db.transaction((tx) => {
    const row = tx.insert(predictions).values({ taskId, ...p }).returning().get();
    const score = taskPredictionScore(tx.select({ id: predictions.id, model: predictions.model, score: predictions.score, document: predictions.document }).from(predictions).where(eq(predictions.taskId, taskId)).all());
    tx.update(tasks).set({ predictionCount: sql`${tasks.predictionCount} + 1`, predictionScore: score }).where(eq(tasks.id, taskId)).run();
    return row;
  });
}

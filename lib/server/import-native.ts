// Importing Loupe's native export (lib/exporters/native.ts): a task row with `annotations`
// whose elements carry a `document` brings those annotations along. Documents are validated
// like any annotation write (schema, kinds, labels, text span offsets); the annotations become
// the importing user's, and who made them originally is kept in the audit log
// ("annotation.imported", details.origin) — the document itself has no place for it.
import type Database from "better-sqlite3";
import { parseDocument, labelsUsed, type AnnotationDocument } from "../annotation/document";
import { toolsFor, type DataType, type LabelConfig } from "../labeling-config/schema";
import { TextIndex } from "../annotation/text/offsets";
import { checkSpans } from "../annotation/text/spans";
import { taskText } from "../annotation/text/task-text";

/** Where an imported annotation came from (the export's own ids and annotator). */
export interface NativeOrigin {
  annotationId?: string | number;
  userId?: string | number;
  annotator?: string;
  revision?: number;
  updatedAt?: string;
}

export interface NativeAnnotation {
  document: AnnotationDocument;
  status: "submitted" | "skipped";
  origin: NativeOrigin;
}

/** A row is native when it has annotations and every one of them carries a `document`. */
export function isNativeRow(annotations: unknown[] | undefined): annotations is unknown[] {
  return Array.isArray(annotations) && annotations.length > 0 && annotations.every((a) => !!a && typeof a === "object" && "document" in a);
}

/** Validates a native row's annotations against the project; an error names the field path. */
export function checkNativeAnnotations(
  annotations: unknown[],
  data: Record<string, unknown>,
  cfg: LabelConfig,
  dataType: DataType,
): { ok: true; items: NativeAnnotation[] } | { ok: false; message: string } {
  const view = { labels: cfg.labels, classifications: cfg.classifications, textFields: cfg.textFields, allowedKinds: toolsFor(cfg, dataType) };
  const items: NativeAnnotation[] = [];
  for (let i = 0; i < annotations.length; i++) {
    const a = annotations[i] as Record<string, unknown>;
    const r = parseDocument(a.document ?? {}, view);
    if (!r.ok) return { ok: false, message: `annotations.${i}.document${r.issue.path ? `.${r.issue.path}` : ""}: ${r.issue.message}` };
    if (dataType === "text" && r.doc.regions.some((x) => x.kind === "span")) {
      const issue = checkSpans(r.doc.regions, new TextIndex(taskText(data) ?? ""));
      if (issue) return { ok: false, message: `annotations.${i}.document.${issue.path}: ${issue.message}` };
    }
    const status = a.status === "skipped" ? "skipped" : "submitted";
    const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 500) : undefined);
    const id = (v: unknown) => (typeof v === "number" || typeof v === "string" ? (typeof v === "string" ? v.slice(0, 100) : v) : undefined);
    items.push({
      document: r.doc,
      status,
      origin: {
        annotationId: id(a.id), userId: id(a.user_id), annotator: str(a.annotator),
        revision: typeof a.revision === "number" ? a.revision : undefined, updatedAt: str(a.updated_at),
      },
    });
  }
  return { ok: true, items };
}

/**
 * Inserts the annotations of freshly created tasks, inside the caller's transaction: annotation,
 * revision 1, task counts and status, task labels, and an audit row with the origin.
 */
export function insertNativeAnnotations(
  sqlite: Database.Database,
  p: { projectId: number; userId: number; schemaVersion: number; overlap: number; now: number },
  taskId: number,
  items: NativeAnnotation[],
): void {
  const insA = sqlite.prepare(
    "INSERT INTO annotations (task_id, project_id, user_id, status, revision, schema_version, document, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
  );
  const insR = sqlite.prepare("INSERT INTO annotation_revisions (annotation_id, revision, document, status, user_id, created_at) VALUES (?, 1, ?, ?, ?, ?)");
  const insL = sqlite.prepare("INSERT OR IGNORE INTO task_labels (project_id, task_id, label) VALUES (?, ?, ?)");
  const insAudit = sqlite.prepare("INSERT INTO audit_log (user_id, project_id, action, target_type, target_id, details, created_at) VALUES (?, ?, 'annotation.imported', 'annotation', ?, ?, ?)");
  const labels = new Set<string>();
  for (const it of items) {
    const doc = JSON.stringify(it.document);
    const id = Number(insA.run(taskId, p.projectId, p.userId, it.status, p.schemaVersion, doc, p.now, p.now).lastInsertRowid);
    insR.run(id, doc, it.status, p.userId, p.now);
    insAudit.run(p.userId, p.projectId, id, JSON.stringify({ origin: it.origin }), p.now);
    labelsUsed(it.document).forEach((l) => labels.add(l));
  }
  for (const l of labels) insL.run(p.projectId, taskId, l);
  const n = items.length;
  sqlite
    .prepare("UPDATE tasks SET annotation_count = annotation_count + ?, status = CASE WHEN annotation_count + ? >= ? THEN 'completed' ELSE 'in_progress' END WHERE id = ?")
    .run(n, n, p.overlap, taskId);
}

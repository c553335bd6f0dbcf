// Every table in one place. Timestamps are integer milliseconds since the epoch.
// Only lib/server/ may query these tables (a PostgreSQL dialect comes later).
import { sql } from "drizzle-orm";
import {
  sqliteTable,
  integer,
  text,
  real,
  primaryKey,
  index,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const now = sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`;

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull().default(""),
  passwordHash: text("password_hash").notNull(),
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull().default(now),
});

export const projects = sqliteTable("projects", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  dataType: text("data_type", { enum: ["image", "text", "audio", "video"] }).notNull(),
  instructions: text("instructions").notNull().default(""),
  schemaVersion: integer("schema_version").notNull().default(1),
  /** How many annotators must complete each task. */
  overlap: integer("overlap").notNull().default(1),
  /** Seconds a "start labelling" slot stays reserved for one annotator. */
  lockTtl: integer("lock_ttl").notNull().default(900),
  /** The labelling queue's order: by task id, or least confident prediction first (ADR 0017). */
  taskOrder: text("task_order", { enum: ["id", "least_confident"] }).notNull().default("id"),
  createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Append-only: each PUT of the schema adds a version. */
export const labelSchemas = sqliteTable(
  "label_schemas",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    schema: text("schema", { mode: "json" }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.version] })],
);

export const projectMembers = sqliteTable(
  "project_members",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["manager", "reviewer", "annotator"] }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index("members_user_idx").on(t.userId)],
);

/** Content-addressed: one row (and one file) per distinct sha256. */
export const media = sqliteTable("media", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  sha256: text("sha256").notNull().unique(),
  mime: text("mime").notNull(),
  kind: text("kind", { enum: ["image", "audio", "video", "text"] }).notNull(),
  size: integer("size").notNull(),
  width: integer("width"),
  height: integer("height"),
  duration: real("duration"),
  hasThumbnail: integer("has_thumbnail", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull().default(now),
});

export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    data: text("data", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    mediaId: integer("media_id").references(() => media.id, { onDelete: "restrict" }),
    /** Original file name for uploads (display only, never used as a path). */
    fileName: text("file_name"),
    status: text("status", { enum: ["new", "in_progress", "completed"] })
      .notNull()
      .default("new"),
    /** Completed (submitted or skipped) annotations; kept in step by lib/server. */
    annotationCount: integer("annotation_count").notNull().default(0),
    predictionCount: integer("prediction_count").notNull().default(0),
    /**
     * Lowest region score of the task's latest prediction per model (null: no scored prediction).
     * Kept in step by lib/server/annotations.ts insertPrediction; drives "least confident first".
     */
    predictionScore: real("prediction_score"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("tasks_project_idx").on(t.projectId, t.id),
    index("tasks_project_status_idx").on(t.projectId, t.status, t.id),
    index("tasks_project_status_score_idx").on(t.projectId, t.status, t.predictionScore, t.id),
    index("tasks_media_idx").on(t.mediaId),
  ],
);

/** Explicit assignments; a task with none is open to every annotator of the project. */
export const taskAssignments = sqliteTable(
  "task_assignments",
  {
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] }), index("assign_user_idx").on(t.userId)],
);

/** A reserved labelling slot, valid until expires_at. */
export const taskLocks = sqliteTable(
  "task_locks",
  {
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] }), index("locks_user_idx").on(t.userId)],
);

export const annotations = sqliteTable(
  "annotations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: ["submitted", "skipped"] }).notNull().default("submitted"),
    skipReason: text("skip_reason"),
    /** Current revision; a write must name it or get 409. */
    revision: integer("revision").notNull().default(1),
    schemaVersion: integer("schema_version").notNull(),
    document: text("document", { mode: "json" }).notNull(),
    /** Seconds spent, as reported by the editor. */
    leadTime: real("lead_time"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("annotations_task_idx").on(t.taskId),
    index("annotations_project_user_idx").on(t.projectId, t.userId, t.taskId),
  ],
);

/** Append-only history: every accepted write of an annotation. */
export const annotationRevisions = sqliteTable(
  "annotation_revisions",
  {
    annotationId: integer("annotation_id")
      .notNull()
      .references(() => annotations.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    document: text("document", { mode: "json" }).notNull(),
    status: text("status").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.annotationId, t.revision] })],
);

/** Labels used in a task's annotations, for the task table's label filter. */
export const taskLabels = sqliteTable(
  "task_labels",
  {
    projectId: integer("project_id").notNull(),
    label: text("label").notNull(),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.label, t.taskId] }), index("task_labels_task_idx").on(t.taskId)],
);

/** The editor's autosaved work in progress: one per (task, user). */
export const drafts = sqliteTable(
  "drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    annotationId: integer("annotation_id").references(() => annotations.id, { onDelete: "cascade" }),
    /** The annotation revision the draft was based on (for conflict checks on replay). */
    baseRevision: integer("base_revision"),
    document: text("document", { mode: "json" }).notNull(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("drafts_task_user_idx").on(t.taskId, t.userId)],
);

export const predictions = sqliteTable(
  "predictions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskId: integer("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    modelVersion: text("model_version"),
    score: real("score"),
    document: text("document", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("predictions_task_idx").on(t.taskId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull().default(""),
  /** sha256 of the token; the token itself is shown once and never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  /** First characters of the token, to tell tokens apart in lists. */
  prefix: text("prefix").notNull(),
  /** When set, the token works only for this project. */
  projectId: integer("project_id").references(() => projects.id, { onDelete: "cascade" }),
  readOnly: integer("read_only", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull().default(now),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    projectId: integer("project_id").references(() => projects.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: integer("target_id"),
    details: text("details", { mode: "json" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("audit_project_idx").on(t.projectId, t.id)],
);

export type User = typeof users.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type Media = typeof media.$inferSelect;
export type Annotation = typeof annotations.$inferSelect;
export type Role = (typeof projectMembers.$inferSelect)["role"];
export type DataType = Project["dataType"];

/** A text project's pre-labelling dictionary (terms and regexes with labels), one per project. */
export const projectDictionaries = sqliteTable("project_dictionaries", {
  projectId: integer("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  entries: text("entries", { mode: "json" }).notNull(),
  updatedBy: integer("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer("updated_at").notNull().default(now),
});

/**
 * An immutable, numbered snapshot of a project's dataset (see docs/adr/0008-dataset-versions.md).
 * Created synchronously in one transaction for now (status is always "ready"); background
 * builds for large projects come later and will use the other statuses.
 */
export const datasetVersions = sqliteTable(
  "dataset_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** 1, 2, ... per project. */
    number: integer("number").notNull(),
    name: text("name").notNull().default(""),
    notes: text("notes").notNull().default(""),
    filter: text("filter", { mode: "json" }).notNull(),
    split: text("split", { mode: "json" }),
    schemaVersion: integer("schema_version").notNull(),
    parentId: integer("parent_id"),
    manifestSha256: text("manifest_sha256").notNull(),
    taskCount: integer("task_count").notNull(),
    annotationCount: integer("annotation_count").notNull(),
    labelCounts: text("label_counts", { mode: "json" }).notNull(),
    /** Bytes of the stored media of the version's tasks (each file once); 0 for URL-only or text data. */
    mediaBytes: integer("media_bytes").notNull().default(0),
    status: text("status", { enum: ["ready"] }).notNull().default("ready"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("dataset_versions_project_number_idx").on(t.projectId, t.number)],
);

/** The frozen content of a version: which revision of which annotation, and the task's split. */
export const datasetVersionItems = sqliteTable(
  "dataset_version_items",
  {
    versionId: integer("version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    taskId: integer("task_id").notNull(),
    annotationId: integer("annotation_id").notNull(),
    revision: integer("revision").notNull(),
    split: text("split", { enum: ["train", "val", "test"] }),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.annotationId] }), index("dataset_version_items_task_idx").on(t.versionId, t.taskId)],
);

export type DatasetVersion = typeof datasetVersions.$inferSelect;

/**
 * A background build of a dataset version (docs/adr/0008-dataset-versions.md, "Background builds").
 * The version row and its items are written in one transaction when the build finishes, so a
 * failed or interrupted build leaves no partial version, only this row with its error.
 */
export const datasetVersionBuilds = sqliteTable(
  "dataset_version_builds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** The validated create request: name, notes, filter, split. */
    request: text("request", { mode: "json" }).notNull(),
    /** Revisions written at or before this instant are what the build sees (a consistent snapshot). */
    asOf: integer("as_of").notNull(),
    /** "cancelled": stopped on request (docs/adr/0008, "Cancelling"); a type-only value, no SQL change. */
    status: text("status", { enum: ["queued", "running", "failed", "done", "cancelled"] }).notNull().default("queued"),
    phase: text("phase").notNull().default(""),
    done: integer("done").notNull().default(0),
    total: integer("total").notNull().default(0),
    error: text("error"),
    versionId: integer("version_id").references(() => datasetVersions.id, { onDelete: "set null" }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("dataset_version_builds_project_idx").on(t.projectId, t.id)],
);

export type DatasetVersionBuild = typeof datasetVersionBuilds.$inferSelect;

/** A URL a manager registered to receive project events (docs/adr/0009-webhooks.md). */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    /** HMAC-SHA256 key for the X-Loupe-Signature header; shown in full once, on creation. */
    secret: text("secret").notNull(),
    /** Event names, e.g. ["version.created", "annotation.submitted", "task.reviewed"]. */
    events: text("events", { mode: "json" }).notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    description: text("description").notNull().default(""),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("webhooks_project_idx").on(t.projectId)],
);

/** One event sent (or to be sent) to one webhook: its payload, attempts and last outcome. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    /** The exact JSON body sent (and signed). */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    responseStatus: integer("response_status"),
    error: text("error"),
    durationMs: integer("duration_ms"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("webhook_deliveries_webhook_idx").on(t.webhookId, t.id), index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt)],
);

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** A bring-your-own model of a project (docs/adr/0015-byom-models.md); its files live in versions. */
export const models = sqliteTable(
  "models",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    task: text("task", { enum: ["detect", "segment", "classify", "ner"] }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("models_project_name_idx").on(t.projectId, t.name)],
);

/** One immutable version of a model: file (content-addressed), descriptor, label map. */
export const modelVersions = sqliteTable(
  "model_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelId: integer("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    sha256: text("sha256").notNull(),
    size: integer("size").notNull(),
    descriptor: text("descriptor", { mode: "json" }).notNull(),
    labelMap: text("label_map", { mode: "json" }).notNull(),
    /** The graph signature read from the file (inputs, outputs, metadata), for checks on edit. */
    signature: text("signature", { mode: "json" }).notNull(),
    tokenizerSha256: text("tokenizer_sha256"),
    configSha256: text("config_sha256"),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("model_versions_model_version_idx").on(t.modelId, t.version), index("model_versions_sha_idx").on(t.sha256)],
);

/** A file uploaded for a model (step 1 of 2), consumed by create / new version. */
export const modelUploads = sqliteTable(
  "model_uploads",
  {
    id: text("id").primaryKey(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["model", "tokenizer", "config"] }).notNull(),
    sha256: text("sha256").notNull(),
    size: integer("size").notNull(),
    /** kind "model": the graph signature; "config": the parsed JSON. */
    info: text("info", { mode: "json" }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("model_uploads_project_idx").on(t.projectId)],
);

export type Model = typeof models.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;
export type ModelUpload = typeof modelUploads.$inferSelect;

// The persistence contract between the editor shell and the autosave/draft machinery
// (autosave.ts, draft-store.ts). Framework-free: no React here; use-autosave.ts adapts it.
import type { AnnotationDocument } from "@/lib/annotation/document";

/** An annotation as the REST API returns it (lib/server/annotations.ts AnnotationOut). */
export interface ServerAnnotation {
  id: number;
  taskId: number;
  userId: number | null;
  status: "submitted" | "skipped";
  skipReason: string | null;
  revision: number;
  document: unknown;
  updatedAt: number;
}

/** What the editor is editing: a new annotation (null) or an existing one at a known revision. */
export interface EditTarget {
  annotationId: number | null;
  revision: number | null;
}

/** A locally kept draft (IndexedDB), keyed by (userId, taskId). */
export interface LocalDraft {
  userId: number;
  taskId: number;
  document: AnnotationDocument;
  /** `JSON.stringify(document)` when the writer already has it (the store then skips serialising). */
  documentJson?: string;
  target: EditTarget;
  /** Date.now() of the edit that produced it. */
  updatedAt: number;
  /** True once the server has acknowledged this exact draft (PUT /tasks/:id/draft returned 2xx). */
  synced: boolean;
  /**
   * The server draft's updatedAt (server clock) last acknowledged to this browser, if any. Recovery
   * compares it with the server draft instead of comparing two machines' clocks: if the server
   * draft has not changed since, an unsynced local draft is newer whatever the clocks say.
   */
  serverUpdatedAt?: number | null;
}

export type SaveState =
  /** Nothing to save: the editor matches what the server has. */
  | { kind: "clean" }
  /** Local changes kept in IndexedDB, server draft save pending. */
  | { kind: "dirty" }
  | { kind: "saving" }
  /** The server holds the latest draft. */
  | { kind: "saved"; at: number }
  /** Network error: the draft is safe locally; retrying automatically at retryAt. */
  | { kind: "offline"; since: number; retryAt: number }
  /** 401: the session expired; the draft is safe locally and is replayed after signing in again. */
  | { kind: "signed-out" }
  /** Submit hit 409: someone saved this annotation after we loaded it. */
  | { kind: "conflict"; server: ServerAnnotation }
  /** Another 4xx (e.g. 422 with a field path): the draft is kept; the shell shows the message. */
  | { kind: "error"; code: string; message: string; field?: string };

export type SubmitResult =
  | { ok: true; annotation: ServerAnnotation }
  | { ok: false; state: SaveState };

/** The caller's draft as GET /api/v1/tasks/:id/draft returns it (`{draft: ServerDraft | null}`). */
export interface ServerDraft {
  document: unknown;
  annotationId: number | null;
  baseRevision: number | null;
  updatedAt: number;
}

/** Where the editor's starting document came from. */
export interface Recovered {
  document: AnnotationDocument;
  target: EditTarget;
  source: "local-draft" | "server-draft" | "annotation" | "empty";
  /** A local draft that the server had not acknowledged was found and will be replayed. */
  replayed: boolean;
}

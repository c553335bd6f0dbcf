// Which annotation the editor opens, whether it is editable, and what it is saved as. Pure, so
// the unit tests pin the rules: an explicit ?annotation= wins; the user's own work comes next;
// reviewers without their own work see the first annotation read-only; otherwise a new one.
import { parseDocument, type AnnotationDocument } from "@/lib/annotation/document";
import type { EditTarget, ServerAnnotation, ServerDraft } from "../persistence/types";
import type { PickerValue } from "./annotation-picker";

export type { ServerDraft };

export interface BootInput {
  userId: number;
  canLabel: boolean;
  canReview: boolean;
  annotations: readonly ServerAnnotation[];
  requestedAnnotation: number | null;
}

export function initialPick(p: BootInput): { pick: PickerValue; missing: boolean } {
  if (p.requestedAnnotation !== null) {
    const a = p.annotations.find((x) => x.id === p.requestedAnnotation);
    if (a) return { pick: a.userId === p.userId ? "mine" : a.id, missing: false };
  }
  const missing = p.requestedAnnotation !== null;
  const mine = p.annotations.find((a) => a.userId === p.userId);
  const other = p.annotations.find((a) => a.userId !== p.userId);
  if (mine || !other) return { pick: "mine", missing };
  if (p.canReview || !p.canLabel) return { pick: other.id, missing };
  return { pick: "mine", missing };
}

export interface Plan {
  /** The annotation shown (null: a new one). */
  annotation: ServerAnnotation | null;
  target: EditTarget;
  readOnly: boolean;
  /** Someone else's annotation that this user may switch to editing. */
  canFix: boolean;
}

export function planFor(p: BootInput, pick: PickerValue, fixing: number | null): Plan {
  if (pick === "mine") {
    const mine = p.annotations.find((a) => a.userId === p.userId) ?? null;
    return { annotation: mine, target: { annotationId: mine?.id ?? null, revision: mine?.revision ?? null }, readOnly: !p.canLabel, canFix: false };
  }
  const a = p.annotations.find((x) => x.id === pick) ?? null;
  if (!a) return { annotation: null, target: { annotationId: null, revision: null }, readOnly: true, canFix: false };
  const editing = p.canReview && fixing === a.id;
  return { annotation: a, target: { annotationId: a.id, revision: a.revision }, readOnly: !editing, canFix: p.canReview && !editing };
}

/**
 * Parse without the schema: regions whose label a schema change removed still load (and are
 * flagged), so nothing the annotator made disappears. Corrupt documents give a readable error.
 */
export function readDocument(raw: unknown): { ok: true; doc: AnnotationDocument } | { ok: false; message: string } {
  const r = parseDocument(raw ?? {});
  if (r.ok) return r;
  return { ok: false, message: r.issue.path ? `${r.issue.path}: ${r.issue.message}` : r.issue.message };
}

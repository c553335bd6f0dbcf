// Which document the editor opens with: the newest of the local draft (IndexedDB), the server
// draft and the saved annotation. Documents are parsed WITHOUT the label schema, so a region whose
// label a schema change removed still loads (the shell flags it) instead of losing the work.
import { parseDocument, type AnnotationDocument } from "@/lib/annotation/document";
import { sharedDraftStore, type DraftStore } from "./draft-store";
import type { EditTarget, LocalDraft, Recovered, ServerAnnotation, ServerDraft } from "./types";

export interface RecoverInput {
  taskId: number;
  userId: number;
  /** What the page opens: the caller's annotation (or ?annotation=:aid) at its revision, or new. */
  target: EditTarget;
  serverDraft: ServerDraft | null;
  annotation: ServerAnnotation | null;
  /** Defaults to the page's shared IndexedDB store. */
  store?: DraftStore | Promise<DraftStore>;
}

interface Candidate {
  source: Recovered["source"];
  document: AnnotationDocument;
  target: EditTarget;
  replayed: boolean;
}

const empty = (): AnnotationDocument => ({ version: 1, regions: [], classifications: {}, relations: [] });

function parse(doc: unknown): AnnotationDocument | null {
  const r = parseDocument(doc ?? {});
  return r.ok ? r.doc : null;
}

/**
 * The target a draft is replayed against. A draft for another annotation than the one the page
 * opens is not this page's work (null): a reviewer's fix of someone else's annotation must not
 * appear as their own new one. A draft started before the opened annotation existed has no base
 * revision for it: revision null makes the first submit a conflict the person resolves, never a
 * silent overwrite.
 */
function draftTarget(page: EditTarget, annotationId: number | null, baseRevision: number | null): EditTarget | null {
  if (page.annotationId === null) return annotationId === null ? { annotationId: null, revision: null } : null;
  if (annotationId === null) return { annotationId: page.annotationId, revision: null };
  if (annotationId !== page.annotationId) return null;
  return { annotationId, revision: baseRevision };
}

/** True if the unsynced local draft holds later work than the server draft. */
function localBeatsServerDraft(local: LocalDraft, server: ServerDraft): boolean {
  // Unchanged on the server since this browser last synced: the local edits came after, whatever
  // the two clocks say. Otherwise (another device saved since) the newer clock wins.
  if (local.serverUpdatedAt != null && server.updatedAt <= local.serverUpdatedAt) return true;
  return local.updatedAt >= server.updatedAt;
}

function localBeatsAnnotation(local: LocalDraft, a: ServerAnnotation): boolean {
  // Based on the annotation's current revision: the draft is later work on top of it.
  if (local.target.annotationId === a.id && local.target.revision === a.revision) return true;
  return local.updatedAt >= a.updatedAt;
}

async function markSynced(input: RecoverInput, d: LocalDraft): Promise<void> {
  try {
    await (await (input.store ?? sharedDraftStore())).put(d);
  } catch {
    // Only bookkeeping: an unsent-looking copy of work the server has is harmless.
  }
}

export async function recoverDocument(input: RecoverInput): Promise<Recovered> {
  const { target: page, serverDraft, annotation } = input;
  let local: LocalDraft | null = null;
  try {
    const store = await (input.store ?? sharedDraftStore());
    local = await store.get(input.userId, input.taskId);
  } catch {
    local = null; // no local store: the server copies still count
  }

  const ordered: Candidate[] = [];
  const annDoc = annotation ? parse(annotation.document) : null;
  const annCand: Candidate | null =
    annotation && annDoc ? { source: "annotation", document: annDoc, target: { annotationId: annotation.id, revision: annotation.revision }, replayed: false } : null;

  let serverCand: Candidate | null = null;
  if (serverDraft) {
    const t = draftTarget(page, serverDraft.annotationId, serverDraft.baseRevision);
    const doc = t && parse(serverDraft.document);
    // The server deletes the draft on submit, so a draft beside an annotation is later work,
    // unless the annotation was saved (by a reviewer, another device) after the draft.
    if (t && doc && !(annotation && annotation.updatedAt > serverDraft.updatedAt)) {
      serverCand = { source: "server-draft", document: doc, target: t, replayed: false };
    }
  }

  if (local) {
    const t = draftTarget(page, local.target.annotationId, local.target.revision);
    const doc = t && parse(local.document);
    if (t && doc) {
      const cand: Candidate = { source: "local-draft", document: doc, target: t, replayed: !local.synced };
      if (!local.synced) {
        const beatsServer = !serverDraft || localBeatsServerDraft(local, serverDraft);
        const beatsAnn = !annotation || localBeatsAnnotation(local, annotation);
        if (beatsServer && beatsAnn) ordered.push(cand);
      } else if (!serverDraft && !annotation) {
        // Synced, yet the server has nothing: keep the work rather than open an empty page.
        ordered.push({ ...cand, replayed: true });
      }
    }
  }
  if (serverCand) ordered.push(serverCand);
  if (annCand) ordered.push(annCand);

  const best = ordered[0];
  if (best && local && !local.synced && best.source !== "local-draft" && serverDraft && JSON.stringify(best.document) === JSON.stringify(parse(local.document))) {
    // The server already has exactly this work (a keepalive PUT during unload, say): record that,
    // so the local copy stops counting as unsent.
    await markSynced(input, { ...local, synced: true, serverUpdatedAt: serverDraft.updatedAt });
  }
  if (best) return { document: best.document, target: best.target, source: best.source, replayed: best.replayed };
  return { document: empty(), target: annotation ? { annotationId: annotation.id, revision: annotation.revision } : { ...page }, source: "empty", replayed: false };
}

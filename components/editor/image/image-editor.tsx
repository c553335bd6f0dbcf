"use client";
// The image annotation editor's shell: it decides which annotation to open (boot.ts), recovers
// the user's unsaved work (IndexedDB, then the server draft) before creating the Editor, and
// lays out the canvas with the panels around it. Autosave, submit and conflicts belong to the
// persistence hook; drawing, zoom and tool keys to the canvas.
import { useEffect, useState } from "react";
import Link from "next/link";
import { Editor } from "@/lib/annotation/editor";
import { ToolController } from "@/lib/annotation/tools";
import type { LabelConfig } from "@/lib/labeling-config/schema";
import type { Recovered, ServerAnnotation } from "../persistence/types";
import { recoverDocument } from "../persistence/recover";
import { btn, card } from "@/components/ui/styles";
import type { PickerValue } from "./panels/annotation-picker";
import { initialPick, planFor, readDocument, type Plan, type ServerDraft } from "./panels/boot";
import { Workspace } from "./panels/workspace";

export interface ImageEditorProps {
  task: { id: number; projectId: number; projectName: string; prevId: number | null; nextId: number | null; width: number | null; height: number | null };
  /** Already passed through safeUrl. */
  src: string;
  schema: LabelConfig;
  userId: number;
  canLabel: boolean;
  canReview: boolean;
  /** The annotations this user may see (all of them for reviewers and managers). */
  annotations: ServerAnnotation[];
  serverDraft: ServerDraft | null;
  requestedAnnotation: number | null;
  /** Display names of the project's members, for the annotation picker. */
  names: Record<number, string>;
  backHref: string;
}

export interface Booted {
  editor: Editor;
  controller: ToolController;
  initial: Recovered;
  plan: Plan;
  /** Something worth telling the user about how the document was loaded. */
  warning: string | null;
}

type BootState = { kind: "loading" } | { kind: "error"; message: string } | ({ kind: "ready" } & Booted);

async function boot(p: ImageEditorProps, plan: Plan): Promise<BootState> {
  let initial: Recovered;
  let warning: string | null = null;
  if (plan.readOnly) {
    const doc = readDocument(plan.annotation?.document ?? {});
    if (!doc.ok) return { kind: "error", message: doc.message };
    initial = { document: doc.doc, target: plan.target, source: plan.annotation ? "annotation" : "empty", replayed: false };
  } else {
    try {
      initial = await recoverDocument({ taskId: p.task.id, userId: p.userId, target: plan.target, serverDraft: p.serverDraft, annotation: plan.annotation });
    } catch (e) {
      // IndexedDB can be unavailable (private mode, quota): keep going from the server's copy.
      const doc = readDocument(plan.annotation?.document ?? {});
      if (!doc.ok) return { kind: "error", message: doc.message };
      initial = { document: doc.doc, target: plan.target, source: plan.annotation ? "annotation" : "empty", replayed: false };
      warning = `Local drafts could not be read (${e instanceof Error ? e.message : String(e)}); starting from the server's copy.`;
    }
    const doc = readDocument(initial.document);
    if (!doc.ok) return { kind: "error", message: doc.message };
    initial = { ...initial, document: doc.doc };
    if (initial.source === "local-draft") warning = "Restored your unsaved work from this device.";
  }
  const editor = new Editor({ schema: p.schema, dataType: "image", document: initial.document, width: p.task.width ?? 0, height: p.task.height ?? 0 });
  return { kind: "ready", editor, controller: new ToolController(editor), initial, plan, warning };
}

export default function ImageEditor(props: ImageEditorProps) {
  const [start] = useState(() => initialPick(props));
  const [pick, setPick] = useState<PickerValue>(start.pick);
  const [fixing, setFixing] = useState<number | null>(null);
  const [state, setState] = useState<BootState>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    boot(props, planFor(props, pick, fixing)).then(
      (s) => live && setState(s),
      (e: unknown) => live && setState({ kind: "error", message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // Props come from the server page and only change with a navigation (which remounts us).
  }, [pick, fixing]);

  function choose(v: PickerValue) {
    setFixing(null);
    setPick(v);
    // Keep the address a shareable deep link to what is on screen.
    const url = new URL(window.location.href);
    if (v === "mine") url.searchParams.delete("annotation");
    else url.searchParams.set("annotation", String(v));
    window.history.replaceState(window.history.state, "", url);
  }

  if (state.kind === "error") {
    return (
      <div className="fixed inset-x-0 bottom-0 top-14 z-20 flex items-center justify-center bg-slate-50 p-6">
        <div className={`${card} max-w-lg p-6`} role="alert" data-testid="editor-error">
          <h1 className="text-base font-semibold text-slate-900">This annotation could not be opened</h1>
          <p className="mt-2 text-sm text-slate-600">The saved document is damaged or in a format this version of Loupe does not read. Nothing has been changed.</p>
          <pre className="mt-3 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs text-rose-700">{state.message}</pre>
          <div className="mt-4 flex gap-2">
            <Link href={props.backHref} className={btn.secondary}>
              Back to the project
            </Link>
            {pick !== "mine" && props.canLabel && (
              <button type="button" className={btn.secondary} onClick={() => choose("mine")}>
                Open my annotation instead
              </button>
            )}
          </div>
        </div>
      </div>
    );
  }
  if (state.kind === "loading") {
    return (
      <div className="fixed inset-x-0 bottom-0 top-14 z-20 flex items-center justify-center bg-slate-100 text-sm text-slate-500" data-testid="editor-loading">
        Opening the editor…
      </div>
    );
  }
  return (
    <Workspace
      // A new annotation or mode is a new editor: hooks (autosave, timers) start over with it.
      key={`${String(pick)}:${fixing ?? ""}`}
      props={props}
      booted={state}
      pick={pick}
      onPick={choose}
      onFix={() => typeof pick === "number" && setFixing(pick)}
      initialNotice={start.missing && pick === start.pick ? `Annotation #${props.requestedAnnotation} is not on this task or not visible to you.` : state.warning}
    />
  );
}

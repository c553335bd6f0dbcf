"use client";
// The part every editor (image, text, audio, ...) shares before its workspace exists: decide
// which annotation to open (boot.ts), recover the user's unsaved work (IndexedDB, then the
// server draft), create the framework-free Editor, and show loading / damaged-document states.
// Each editor passes its data type, media size and a workspace to render once booted.
import { useEffect, useMemo, useState, type ReactNode } from "react";
import Link from "next/link";
import { Editor } from "@/lib/annotation/editor";
import { ToolController } from "@/lib/annotation/tools";
import type { DataType, LabelConfig } from "@/lib/labeling-config/schema";
import type { Recovered, ServerAnnotation } from "../persistence/types";
import { recoverDocument } from "../persistence/recover";
import { btn, card } from "@/components/ui/styles";
import type { PickerValue } from "./annotation-picker";
import { initialPick, planFor, readDocument, type Plan, type ServerDraft } from "./boot";
import { fromWire, type Wired } from "./wire";

/** What the task page hands every editor. */
export interface EditorPageProps {
  task: { id: number; projectId: number; projectName: string; prevId: number | null; nextId: number | null; width: number | null; height: number | null };
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

/** An editor's page props from what the page sent (documents parsed once, on mount). */
export function usePageProps<P extends EditorPageProps>(wired: Wired<P>): P {
  const { documents, ...rest } = wired;
  return useMemo(() => ({ ...rest, ...fromWire(documents) }) as unknown as P, [documents]); // eslint-disable-line react-hooks/exhaustive-deps
}

export interface Booted {
  editor: Editor;
  controller: ToolController;
  initial: Recovered;
  plan: Plan;
  /** Something worth telling the user about how the document was loaded. */
  warning: string | null;
}

/** Everything a workspace needs from the frame. */
export interface WorkspaceArgs {
  booted: Booted;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  onFix(): void;
  initialNotice: string | null;
  /** Remount key: a new annotation or mode is a new editor (autosave, timers start over). */
  key: string;
}

export interface EditorSpace {
  dataType: DataType;
  /** Media extent the editor validates against: image pixels; text length; audio seconds. */
  width?: number;
  height?: number;
  /** Text editors: the text's length in code points (spans must end within it). */
  textLength?: number;
}

type BootState = { kind: "loading" } | { kind: "error"; message: string } | ({ kind: "ready" } & Booted);

export async function bootEditor(p: EditorPageProps, plan: Plan, space: EditorSpace): Promise<BootState> {
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
    // recoverDocument returns parsed documents only (or an empty one): no second parse here.
    if (initial.source === "local-draft") warning = "Restored your unsaved work from this device.";
  }
  const editor = new Editor({ schema: p.schema, dataType: space.dataType, document: initial.document, width: space.width ?? 0, height: space.height ?? 0, textLength: space.textLength });
  return { kind: "ready", editor, controller: new ToolController(editor), initial, plan, warning };
}

export function EditorFrame({ props, space, children }: { props: EditorPageProps; space: EditorSpace; children: (args: WorkspaceArgs) => ReactNode }) {
  const [start] = useState(() => initialPick(props));
  const [pick, setPick] = useState<PickerValue>(start.pick);
  const [fixing, setFixing] = useState<number | null>(null);
  const [state, setState] = useState<BootState>({ kind: "loading" });

  useEffect(() => {
    let live = true;
    setState({ kind: "loading" });
    bootEditor(props, planFor(props, pick, fixing), space).then(
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
  return children({
    booted: state,
    pick,
    onPick: choose,
    onFix: () => typeof pick === "number" && setFixing(pick),
    initialNotice: start.missing && pick === start.pick ? `Annotation #${props.requestedAnnotation} is not on this task or not visible to you.` : state.warning,
    key: `${String(pick)}:${fixing ?? ""}`,
  });
}

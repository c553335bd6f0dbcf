"use client";
// The text editor's pre-labelling strip, like the audio and image ones: "Pre-label" from the
// project dictionary (P), what the run did (and whether it was stored on the server as a
// prediction), and the suggestions' accept / reject actions: selected (A), above a score
// threshold, all. Suggestions are violet and dashed in the text.
import type { Editor } from "@/lib/annotation/editor";
import { useEditorVersion } from "../use-editor";
import { cx, kbd } from "@/components/ui/styles";
import { ScoreInput } from "../shell/score-input";

const tb = "inline-flex h-7 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

export type TextPrelabelState =
  | { kind: "idle" }
  | { kind: "running" }
  | { kind: "done"; added: number; found: number; stored: boolean | null; storeError?: string; /** Where a model ran (wasm / webgpu). */ backend?: string }
  | { kind: "error"; message: string };

export function TextPrelabelBar({
  editor, state, predictions, minScore, onMinScore, onRun, onAcceptSelected, onRejectSelected, onAcceptAbove, onAcceptAll, onRejectAll, onDismiss, model, onRunModel,
}: {
  editor: Editor;
  /** The project's token classifier (Settings → Models), if it has one. */
  model?: { name: string; version: number } | null;
  onRunModel?(): void;
  state: TextPrelabelState;
  predictions: number;
  minScore: number;
  onMinScore(v: number): void;
  onRun(): void;
  onAcceptSelected(): void;
  onRejectSelected(): void;
  onAcceptAbove(): void;
  onAcceptAll(): void;
  onRejectAll(): void;
  onDismiss(): void;
}) {
  useEditorVersion(editor);
  const selectedPredictions = [...editor.selectedIds].filter((id) => editor.getRegion(id)?.origin === "prediction").length;
  const above = editor.getRegions().filter((r) => r.origin === "prediction" && (r.score ?? 0) >= minScore).length;
  return (
    <div role="toolbar" aria-label="Pre-labelling" className="flex h-10 shrink-0 items-center gap-1 overflow-x-auto border-b border-slate-200 bg-violet-50/60 px-2" data-testid="text-prelabel-bar" data-state={state.kind}>
      <button type="button" className={cx(tb, "text-violet-800")} data-testid="prelabel" disabled={state.kind === "running"} onClick={onRun} title="Add predictions from the project’s dictionary (P)" aria-keyshortcuts="P">
        ✦ Pre-label from dictionary <kbd className={kbd}>P</kbd>
      </button>
      {model && onRunModel && (
        <button type="button" className={cx(tb, "text-violet-800")} data-testid="model-prelabel" disabled={state.kind === "running"} onClick={onRunModel} title={`Suggest entity spans with ${model.name} v${model.version}, in your browser (M)`} aria-keyshortcuts="M">
          ✦ {model.name} v{model.version} <kbd className={kbd}>M</kbd>
        </button>
      )}
      {state.kind === "running" && <span className="px-2 text-xs text-slate-600" data-testid="prelabel-running">Working…</span>}
      {state.kind === "done" && (
        <span className="whitespace-nowrap px-2 text-xs text-slate-600" data-testid="prelabel-result" data-count={state.added} data-stored={String(state.stored)}>
          {state.added} new suggestion{state.added === 1 ? "" : "s"}
          {state.found > state.added ? ` (${state.found - state.added} already labelled)` : ""}
          {state.stored === true && " · stored as a prediction"}
          {state.backend && <span className="ml-1 rounded bg-violet-50 px-1 font-mono text-[10px] text-violet-700 ring-1 ring-violet-200" data-testid="prelabel-backend" title="Where the model ran">{state.backend}</span>}
          {state.stored === false && <span className="text-amber-700"> · not stored on the server: {state.storeError}</span>}
        </span>
      )}
      {state.kind === "error" && (
        <span className="flex items-center gap-1 px-2 text-xs text-rose-700" role="alert" data-testid="prelabel-error">
          {state.message}
          <button type="button" className={tb} onClick={onDismiss} aria-label="Dismiss">
            ✕
          </button>
        </span>
      )}
      <span className="ml-auto" />
      {predictions > 0 && (
        <>
          <span className="whitespace-nowrap px-1 text-xs text-violet-800" data-testid="prediction-count">
            {predictions} suggestion{predictions === 1 ? "" : "s"}
          </span>
          <button type="button" className={tb} data-testid="accept-selected" disabled={!selectedPredictions} onClick={onAcceptSelected} title="Accept the selected suggestions (A)">
            Accept selected <kbd className={kbd}>A</kbd>
          </button>
          <button type="button" className={tb} data-testid="reject-selected" disabled={!selectedPredictions} onClick={onRejectSelected} title="Delete the selected suggestions (Del)">
            Reject selected <kbd className={kbd}>Del</kbd>
          </button>
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <label className="flex items-center gap-1 text-xs text-slate-600" title="Score threshold: exact-case terms score 0.9, any-case 0.8, patterns 0.6">
            Score ≥
            <ScoreInput value={minScore} onChange={onMinScore} className="w-16 rounded border border-slate-300 px-1 py-0.5 text-right" data-testid="min-score" />
          </label>
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-above" disabled={!above} onClick={onAcceptAbove} title="Accept every suggestion scoring at least the threshold (Shift+A)" aria-keyshortcuts="Shift+A">
            Accept {above} above <kbd className={kbd}>⇧A</kbd>
          </button>
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-all" title="Accept every suggestion" onClick={onAcceptAll}>
            Accept all {predictions}
          </button>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="reject-all" title="Remove every suggestion" onClick={onRejectAll}>
            Reject all
          </button>
        </>
      )}
    </div>
  );
}

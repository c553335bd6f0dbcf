"use client";
// The image editor's "Pre-label with a model" controls: the toolbar action (M) with a model
// picker, and the status strip (progress with Cancel, the backend that ran, errors, a
// classifier's answer with Apply). Suggestions land in the OCR suggestions bar (accept A, reject D,
// above a threshold Shift+A, reject all Shift+D), which works on every prediction.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import type { Editor } from "@/lib/annotation/editor";
import { isTyping } from "@/components/use-hotkey";
import { cx, kbd } from "@/components/ui/styles";
import { TASK_NAMES } from "@/lib/prelabel/byom/session";
import { useModelPrelabel, type ModelPrelabel } from "./use-model-prelabel";

const tb = "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

export const MODEL_SHORTCUTS = [{ keys: "M", action: "Pre-label with the chosen model (Settings → Models): boxes, masks or a class" }] as const;

export function useModelControls(o: { editor: Editor; taskId: number; projectId: number; src: string; readOnly: boolean; keyboard: boolean }) {
  const c = useModelPrelabel(o);
  const ref = useRef(c);
  ref.current = c;
  useEffect(() => {
    if (!o.keyboard || o.readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
      if (e.key.toLowerCase() !== "m" || o.editor.labelForHotkey(e.key)) return;
      if (!ref.current.models?.length) return;
      e.preventDefault();
      void ref.current.run();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [o.editor, o.keyboard, o.readOnly]);
  return c;
}

/** Toolbar: "Model" with the shortcut and a picker; nothing when the project has no image models. */
export function ModelButton({ c, readOnly, projectId }: { c: ModelPrelabel; readOnly: boolean; projectId: number }) {
  const [open, setOpen] = useState(false);
  if (readOnly || !c.models || c.models.length === 0) return null;
  const m = c.models.find((x) => x.id === c.selected);
  return (
    <div className="relative flex items-center">
      <button
        type="button"
        className={cx(tb, "text-violet-700")}
        data-testid="model-prelabel"
        data-backend={c.state.backend ?? undefined}
        disabled={c.busy || !m}
        aria-keyshortcuts="M"
        title={m ? `Pre-label with ${m.name} v${m.latest.version} (${TASK_NAMES[m.task]}) in your browser (M)` : "No model: a manager can upload one in Settings → Models"}
        onClick={() => void c.run()}
      >
        <span className="max-w-32 truncate">{m ? m.name : "Model"}</span>
        {c.state.backend && c.state.phase === "done" && <span className="rounded bg-violet-50 px-1 font-mono text-[10px] text-violet-700 ring-1 ring-violet-200" title="Where the model ran">{c.state.backend}</span>}
        <kbd className={kbd}>M</kbd>
      </button>
      <button type="button" className={cx(tb, "px-1")} data-testid="model-picker-toggle" aria-expanded={open} title="Choose the model" onClick={() => setOpen((x) => !x)}>
        ▾
      </button>
      {open && (
        <div className="absolute left-0 top-9 z-20 w-72 space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-xs shadow-lg" data-testid="model-picker">
          {c.models.length === 0 ? (
            <p className="text-slate-600">
              This project has no image models yet. A manager can upload an ONNX detector, segmenter or classifier in{" "}
              <Link className="text-indigo-700 underline" href={`/projects/${projectId}/settings#models`}>
                Settings → Models
              </Link>
              .
            </p>
          ) : (
            <ul className="space-y-1">
              {c.models.map((x) => (
                <li key={x.id}>
                  <button
                    type="button"
                    className={cx("w-full rounded-md px-2 py-1.5 text-left hover:bg-slate-50", x.id === c.selected && "bg-violet-50 ring-1 ring-violet-200")}
                    data-testid={`model-option-${x.id}`}
                    onClick={() => {
                      c.select(x.id);
                      setOpen(false);
                    }}
                  >
                    <span className="font-medium text-slate-900">{x.name}</span> <span className="text-slate-500">v{x.latest.version} · {TASK_NAMES[x.task]} · {x.latest.descriptor.labels.length} classes</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="text-slate-500">Runs in your browser (onnxruntime-web); only the suggestions are stored, as predictions.</p>
        </div>
      )}
    </div>
  );
}

/** Over the canvas: progress with Cancel, errors, and a classifier's answer. */
export function ModelStatus({ c, readOnly }: { c: ModelPrelabel; readOnly: boolean }) {
  const s = c.state;
  if (readOnly) return null;
  const pct = Math.round(s.progress * 100);
  return (
    <>
      {c.busy && (
        <div className="pointer-events-auto flex items-center gap-3 rounded-lg bg-white px-3 py-2 text-xs text-slate-700 shadow" data-testid="model-progress" role="status">
          <span>{s.phase === "loading" ? s.message ?? "Loading the model…" : `Running the model… ${pct}%`}</span>
          <span className="h-1.5 w-32 overflow-hidden rounded bg-slate-200">
            <span className="block h-full bg-violet-500 transition-[width]" style={{ width: `${Math.max(5, pct)}%` }} />
          </span>
          {s.backend && <span className="rounded bg-violet-50 px-1.5 py-0.5 font-mono text-[11px] text-violet-700 ring-1 ring-violet-200">{s.backend}</span>}
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="model-cancel" onClick={c.cancel}>
            Cancel
          </button>
        </div>
      )}
      {!c.busy && (s.message || s.classification) && (
        <div
          className={cx("pointer-events-auto flex max-w-xl items-center gap-2 rounded-lg px-3 py-2 text-xs shadow", s.phase === "error" ? "bg-rose-50 text-rose-900 ring-1 ring-rose-200" : "bg-white text-slate-700")}
          data-testid={s.phase === "error" ? "model-error" : "model-message"}
          role={s.phase === "error" ? "alert" : "status"}
        >
          {s.classification ? (
            <span className="flex-1" data-testid="model-classification">
              The model says <b>{s.classification.name}: {s.classification.choice}</b> <span className="font-mono text-violet-700">{Math.round(s.classification.score * 100)}%</span>
            </span>
          ) : (
            <span className="flex-1">{s.message}</span>
          )}
          {s.classification && (
            <button type="button" className={cx(tb, "text-violet-700")} data-testid="model-apply-classification" onClick={c.applyClassification}>
              Apply
            </button>
          )}
          {s.phase === "done" && s.backend && !s.classification && <span className="rounded bg-violet-50 px-1.5 py-0.5 font-mono text-[11px] text-violet-700 ring-1 ring-violet-200">{s.backend}</span>}
          <button type="button" className="text-slate-500 hover:text-slate-800" aria-label="Dismiss" onClick={c.dismiss}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

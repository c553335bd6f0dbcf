"use client";
// The OCR pre-label controls of the image editor: the toolbar action (T) with the label choice,
// the progress strip with Cancel and the backend that ran, and the suggestions bar (accept
// selected A, reject selected D, accept all above a threshold Shift+A, reject all Shift+D).
import { useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { isTyping } from "@/components/use-hotkey";
import { cx, kbd } from "@/components/ui/styles";
import { useEditorRegions, useEditorSelection } from "../../use-editor";
import { useOcrPrelabel } from "./use-ocr-prelabel";
import { acceptAbove, acceptSelected, isPrediction, polygonLabels, rejectAll, rejectSelected } from "./ocr-commands";

const tb = "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

export const OCR_SHORTCUTS = [
  { keys: "T", action: "Pre-label text (OCR): suggest a polygon with its text per line" },
  { keys: "A", action: "Accept the selected suggestions" },
  { keys: "D", action: "Reject the selected suggestions" },
  { keys: "Shift+A", action: "Accept every suggestion at or above the threshold" },
  { keys: "Shift+D", action: "Reject every suggestion" },
] as const;

export function useOcrControls({ editor, taskId, src, readOnly, keyboard }: { editor: Editor; taskId: number; src: string; readOnly: boolean; keyboard: boolean }) {
  const ocr = useOcrPrelabel({ editor, taskId, src, readOnly });
  const labels = useMemo(() => polygonLabels(editor), [editor]);
  const [label, setLabel] = useState<string | null>(labels[0] ?? null);
  const [threshold, setThreshold] = useState(0.8);
  const regions = useEditorRegions(editor, "after-paint");
  const selection = useEditorSelection(editor, "after-paint");
  const preds = useMemo(() => regions.filter(isPrediction), [regions]);
  const selectedList = useMemo(() => preds.filter((r) => selection.has(r.id)), [preds, selection]);
  const selectedPreds = selectedList.length;
  const selectedOne = selectedList.length === 1 ? selectedList[0]! : null;
  const aboveCount = useMemo(() => preds.filter((r) => (r.score ?? 0) >= threshold).length, [preds, threshold]);
  const busy = ocr.state.phase === "loading" || ocr.state.phase === "running";
  const [note, setNote] = useState<string | null>(null);

  const start = () => {
    if (readOnly || busy) return;
    if (!label) {
      setNote("This project has no label that allows polygons, so OCR suggestions have nowhere to go. Ask a manager to add one (e.g. “text”, kinds: polygon).");
      return;
    }
    setNote(null);
    void ocr.run(label);
  };

  const act = (fn: () => number, what: string) => {
    const n = fn();
    setNote(n ? `${what} ${n} suggestion${n === 1 ? "" : "s"}.` : null);
  };
  const actions = {
    start,
    acceptSelected: () => act(() => acceptSelected(editor), "Accepted"),
    rejectSelected: () => act(() => rejectSelected(editor), "Rejected"),
    acceptAbove: () => act(() => acceptAbove(editor, threshold), "Accepted"),
    rejectAll: () => act(() => rejectAll(editor), "Rejected"),
    cancel: ocr.cancel,
    busy,
  };
  const ref = useRef(actions);
  ref.current = actions;

  useEffect(() => {
    if (!keyboard || readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      const a = ref.current;
      if (e.key === "Escape" && a.busy) return void a.cancel(); // the canvas may clear its selection too
      if (e.defaultPrevented || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key.toLowerCase();
      if (editor.labelForHotkey(e.key)) return; // project label hotkeys win
      const fn = k === "t" && !e.shiftKey ? a.start : k === "a" ? (e.shiftKey ? a.acceptAbove : a.acceptSelected) : k === "d" ? (e.shiftKey ? a.rejectAll : a.rejectSelected) : null;
      if (!fn) return;
      e.preventDefault();
      fn();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [editor, keyboard, readOnly]);

  return { ocr, labels, label, setLabel, threshold, setThreshold, preds, selectedPreds, selectedOne, aboveCount, busy, note, setNote, actions };
}

export type OcrControls = ReturnType<typeof useOcrControls>;

/** The toolbar part: the action with its shortcut and a small label popover. */
export function OcrButton({ c, readOnly }: { c: OcrControls; readOnly: boolean }) {
  const [open, setOpen] = useState(false);
  if (readOnly) return null;
  return (
    <div className="relative flex items-center">
      <button
        type="button"
        className={cx(tb, "text-violet-700")}
        data-testid="ocr-prelabel"
        title="Pre-label text (OCR): PP-OCRv4 in your browser suggests a polygon with its text for every line (T)"
        aria-keyshortcuts="T"
        disabled={c.busy}
        onClick={c.actions.start}
      >
        <span className="hidden 2xl:inline">Pre-label text (OCR)</span>
        <span className="2xl:hidden">OCR</span>
        <kbd className={kbd}>T</kbd>
      </button>
      <button type="button" className={cx(tb, "px-1")} data-testid="ocr-label-toggle" aria-expanded={open} title="Label for OCR suggestions" onClick={() => setOpen((o) => !o)}>
        ▾
      </button>
      {open && (
        <div className="absolute left-0 top-9 z-20 w-64 space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-xs shadow-lg" data-testid="ocr-label-popover">
          {c.labels.length === 0 ? (
            <p className="text-amber-800">This project has no label that allows polygons: OCR cannot add suggestions. A manager can add one (e.g. “text”, kinds: polygon) in the project’s labels.</p>
          ) : (
            <label className="block font-medium text-slate-700">
              Label for text lines
              <select className="mt-1 w-full rounded border border-slate-200 bg-white px-1 py-1" value={c.label ?? ""} data-testid="ocr-label" onChange={(e) => c.setLabel(e.target.value)}>
                {c.labels.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="block font-medium text-slate-700">
            Runs on
            <select
              className="mt-1 w-full rounded border border-slate-200 bg-white px-1 py-1"
              value={c.ocr.preference}
              data-testid="ocr-backend-preference"
              disabled={c.busy}
              onChange={(e) => c.ocr.setPreference(e.target.value as "auto" | "webgpu" | "wasm")}
            >
              <option value="auto">Auto: the faster of WebGPU and wasm (measured once)</option>
              <option value="webgpu">WebGPU (falls back to wasm without an adapter)</option>
              <option value="wasm">wasm (CPU)</option>
            </select>
          </label>
          <p className="text-slate-500">Runs PP-OCRv4 (detection + recognition) on this device; nothing leaves your browser except the suggestions, stored as predictions.</p>
          <div className="flex justify-end">
            <button type="button" className={tb} onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

/** Over the canvas: progress with Cancel, errors, and the suggestions bar. */
export function OcrStatus({ c, readOnly }: { c: OcrControls; readOnly: boolean }) {
  const s = c.ocr.state;
  const pct = Math.round(s.progress * 100);
  return (
    <>
      {c.busy && (
        <div className="pointer-events-auto flex items-center gap-3 rounded-lg bg-white px-3 py-2 text-xs text-slate-700 shadow" data-testid="ocr-progress" role="status">
          <span>{s.phase === "loading" ? "Loading the OCR models…" : `Reading text… ${pct}%`}</span>
          <span className="h-1.5 w-32 overflow-hidden rounded bg-slate-200">
            <span className="block h-full bg-violet-500 transition-[width]" style={{ width: `${s.phase === "loading" ? 5 : pct}%` }} />
          </span>
          {s.backend && <Backend b={s.backend} />}
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="ocr-cancel" onClick={c.ocr.cancel}>
            Cancel <kbd className={kbd}>Esc</kbd>
          </button>
        </div>
      )}
      {s.message && !c.busy && (
        <div
          className={cx("pointer-events-auto flex max-w-xl items-start gap-2 rounded-lg px-3 py-2 text-xs shadow", s.phase === "error" ? "bg-rose-50 text-rose-900 ring-1 ring-rose-200" : "bg-white text-slate-700")}
          data-testid={s.phase === "error" ? "ocr-error" : "ocr-message"}
          role={s.phase === "error" ? "alert" : "status"}
        >
          <span className="flex-1">{s.message}</span>
          <button type="button" className="text-slate-500 hover:text-slate-800" aria-label="Dismiss" onClick={c.ocr.dismiss}>
            ×
          </button>
        </div>
      )}
      {c.note && (
        <div className="pointer-events-auto flex max-w-xl items-start gap-2 rounded-lg bg-white px-3 py-2 text-xs text-slate-700 shadow" data-testid="ocr-note" role="status">
          <span className="flex-1">{c.note}</span>
          <button type="button" className="text-slate-500 hover:text-slate-800" aria-label="Dismiss" onClick={() => c.setNote(null)}>
            ×
          </button>
        </div>
      )}
      {c.preds.length > 0 && !readOnly && (
        <div className="pointer-events-auto flex flex-wrap items-center gap-1 rounded-lg bg-white px-2 py-1.5 text-xs text-slate-700 shadow ring-1 ring-violet-200" data-testid="suggestions-bar">
          <span className="px-1 font-medium text-violet-700" data-testid="suggestion-count">
            {c.preds.length} suggestion{c.preds.length === 1 ? "" : "s"}
          </span>
          {s.backend && s.phase === "done" && <Backend b={s.backend} />}
          {c.selectedOne && typeof c.selectedOne.attributes?.text === "string" && (
            <span className="max-w-56 truncate px-1 text-slate-600" data-testid="suggestion-text" title={c.selectedOne.attributes.text}>
              “{c.selectedOne.attributes.text}” <span className="font-mono text-violet-600">{Math.round((c.selectedOne.score ?? 0) * 100)}%</span>
            </span>
          )}
          <span aria-hidden className="mx-1 h-5 w-px bg-slate-200" />
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-selected" disabled={c.selectedPreds === 0} title="Accept the selected suggestions (A)" onClick={c.actions.acceptSelected}>
            Accept selected <kbd className={kbd}>A</kbd>
          </button>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="reject-selected" disabled={c.selectedPreds === 0} title="Reject the selected suggestions (D)" onClick={c.actions.rejectSelected}>
            Reject selected <kbd className={kbd}>D</kbd>
          </button>
          <span aria-hidden className="mx-1 h-5 w-px bg-slate-200" />
          <label className="flex items-center gap-1 text-slate-600" title="Score threshold for Accept all">
            ≥
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={c.threshold}
              data-testid="accept-threshold"
              onChange={(e) => c.setThreshold(Number(e.target.value))}
              className="w-20 accent-violet-600"
            />
            <span className="w-8 font-mono tabular-nums">{Math.round(c.threshold * 100)}%</span>
          </label>
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-above" disabled={c.aboveCount === 0} title="Accept every suggestion at or above the threshold (Shift+A)" onClick={c.actions.acceptAbove}>
            Accept {c.aboveCount} <kbd className={kbd}>⇧A</kbd>
          </button>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="reject-all" title="Reject every suggestion (Shift+D)" onClick={c.actions.rejectAll}>
            Reject all <kbd className={kbd}>⇧D</kbd>
          </button>
        </div>
      )}
    </>
  );
}

function Backend({ b }: { b: string }) {
  return (
    <span className="rounded bg-violet-50 px-1.5 py-0.5 font-mono text-[11px] text-violet-700 ring-1 ring-violet-200" data-testid="ocr-backend" title="Where the model ran">
      {b}
    </span>
  );
}

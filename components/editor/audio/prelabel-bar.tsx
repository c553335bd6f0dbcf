"use client";
// The pre-labelling strip under the transport: "Pre-label speech" (Silero VAD in the browser)
// with its settings, a progress bar with Cancel while it runs, which backend ran, and the
// suggestions' accept / reject actions with their shortcuts. Suggestions look like the text
// editor's: violet and dashed.
import { useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { useEditorVersion } from "../use-editor";
import { cx, kbd } from "@/components/ui/styles";
import { DEFAULT_VAD_SETTINGS, type VadSettings } from "@/lib/prelabel/silero-vad/segmenter";
import type { BackendPreference } from "@/lib/prelabel/runtime/protocol";
import type { SpeechPrelabel } from "./use-speech-prelabel";
import { ScoreInput } from "../shell/score-input";

const tb = "inline-flex h-7 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

const FIELDS: Array<{ key: keyof VadSettings; label: string; step: number; min: number; max: number; unit?: string }> = [
  { key: "threshold", label: "Speech threshold", step: 0.05, min: 0.05, max: 0.95 },
  { key: "negThreshold", label: "Silence threshold", step: 0.05, min: 0.01, max: 0.95 },
  { key: "minSpeech", label: "Min speech", step: 0.05, min: 0, max: 10, unit: "s" },
  { key: "minSilence", label: "Min silence", step: 0.05, min: 0, max: 10, unit: "s" },
  { key: "padding", label: "Padding", step: 0.05, min: 0, max: 2, unit: "s" },
];

export function PrelabelBar({
  editor, pre, predictions, selectedPredictions, minScore, onMinScore, onAcceptSelected, onRejectSelected, onAcceptAbove, onRejectAll,
}: {
  editor: Editor;
  pre: SpeechPrelabel;
  predictions: number;
  selectedPredictions: number;
  minScore: number;
  onMinScore(v: number): void;
  onAcceptSelected(): void;
  onRejectSelected(): void;
  onAcceptAbove(): void;
  onRejectAll(): void;
}) {
  useEditorVersion(editor);
  const [open, setOpen] = useState(false);
  const s = pre.state;
  const running = s.kind === "running";
  return (
    <div role="toolbar" aria-label="Pre-labelling" className="relative z-20 flex h-10 shrink-0 items-center gap-1 border-b border-slate-200 bg-violet-50/60 px-2" data-testid="prelabel-bar" data-state={s.kind}>
      <button type="button" className={cx(tb, "text-violet-800")} data-testid="prelabel-speech" disabled={running} onClick={() => void pre.run()} title="Find speech with Silero VAD, in this browser (Shift+P)" aria-keyshortcuts="Shift+P">
        ✦ Pre-label speech <kbd className={kbd}>⇧P</kbd>
      </button>
      <div className="relative">
        <button type="button" className={tb} data-testid="prelabel-settings" aria-expanded={open} disabled={running} onClick={() => setOpen((v) => !v)} title="Detection settings">
          ⚙ <span className="sr-only">Settings</span>
        </button>
        {open && (
          <div role="dialog" aria-label="Speech detection settings" className="absolute left-0 top-8 z-30 w-72 rounded-lg border border-slate-200 bg-white p-3 text-xs shadow-lg" data-testid="prelabel-popover">
            <p className="mb-2 font-semibold text-slate-700">Speech detection (Silero VAD v5)</p>
            {FIELDS.map((f) => (
              <label key={f.key} className="mb-1.5 flex items-center justify-between gap-2 text-slate-600">
                {f.label}
                <span className="flex items-center gap-1">
                  <input
                    type="number"
                    className="w-20 rounded border border-slate-300 px-1.5 py-0.5 text-right"
                    step={f.step}
                    min={f.min}
                    max={f.max}
                    value={pre.settings[f.key]}
                    data-testid={`vad-${f.key}`}
                    onChange={(e) => {
                      const v = Number(e.target.value);
                      if (Number.isFinite(v) && v >= f.min && v <= f.max) pre.setSettings({ ...pre.settings, [f.key]: v });
                    }}
                  />
                  <span className="w-2">{f.unit ?? ""}</span>
                </span>
              </label>
            ))}
            <label className="mb-2 flex items-center justify-between gap-2 text-slate-600">
              Backend
              <select className="rounded border border-slate-300 px-1 py-0.5" value={pre.backend} data-testid="vad-backend" onChange={(e) => pre.setBackend(e.target.value as BackendPreference)}>
                <option value="auto">Fastest (measured)</option>
                <option value="wasm">WebAssembly (CPU)</option>
                <option value="webgpu">WebGPU</option>
              </select>
            </label>
            <div className="flex justify-between">
              <button type="button" className={tb} onClick={() => pre.setSettings(DEFAULT_VAD_SETTINGS)}>
                Defaults
              </button>
              <button type="button" className={cx(tb, "bg-violet-600 text-white hover:bg-violet-700")} onClick={() => setOpen(false)}>
                Done
              </button>
            </div>
          </div>
        )}
      </div>
      {running && (
        <div className="flex items-center gap-2 px-2 text-xs text-slate-600" data-testid="prelabel-progress">
          <span className="w-24 capitalize">{s.phase}…</span>
          <span className="h-1.5 w-40 overflow-hidden rounded-full bg-violet-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(s.progress * 100)}>
            <span className="block h-full bg-violet-500 transition-[width]" style={{ width: `${Math.round(s.progress * 100)}%` }} />
          </span>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="prelabel-cancel" onClick={pre.cancel}>
            Cancel <kbd className={kbd}>Esc</kbd>
          </button>
        </div>
      )}
      {s.kind === "done" && (
        <span className="px-2 text-xs text-slate-600" data-testid="prelabel-result" data-backend={s.backend} data-threads={s.threads} data-count={s.count}>
          {s.count} suggestion{s.count === 1 ? "" : "s"} · ran on <b data-testid="prelabel-backend">{s.backend === "wasm" ? `wasm, ${s.threads} thread${s.threads === 1 ? "" : "s"}` : "WebGPU"}</b>
          {s.chosenBy === "measured" ? " (measured fastest)" : ""} · {s.seconds.toFixed(1)} s
          {s.stored ? "" : <span className="text-amber-700"> · not stored on the server: {s.storeError}</span>}
        </span>
      )}
      {s.kind === "error" && (
        <span className="flex items-center gap-1 px-2 text-xs text-rose-700" data-testid="prelabel-error" role="alert">
          {s.message}
          <button type="button" className={tb} onClick={pre.dismiss} aria-label="Dismiss">
            ✕
          </button>
        </span>
      )}
      <span className="ml-auto" />
      {predictions > 0 && (
        <>
          <span className="px-1 text-xs text-violet-800" data-testid="prediction-count">{predictions} to review</span>
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-selected" disabled={selectedPredictions === 0} onClick={onAcceptSelected} title="Accept the selected suggestions (A)">
            Accept <kbd className={kbd}>A</kbd>
          </button>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="reject-selected" disabled={selectedPredictions === 0} onClick={onRejectSelected} title="Reject the selected suggestions (X)">
            Reject <kbd className={kbd}>X</kbd>
          </button>
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <button type="button" className={cx(tb, "text-violet-700")} data-testid="accept-above" onClick={onAcceptAbove} title="Accept every suggestion scoring at least the threshold (Shift+A)">
            Accept all ≥
          </button>
          <ScoreInput value={minScore} onChange={onMinScore} aria-label="Minimum score to accept" className="h-7 w-14 rounded border border-slate-300 px-1 text-right text-xs" data-testid="accept-threshold" />
          <kbd className={kbd}>⇧A</kbd>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="reject-all" onClick={onRejectAll} title="Remove every suggestion (Shift+X)">
            Reject all <kbd className={kbd}>⇧X</kbd>
          </button>
        </>
      )}
    </div>
  );
}

"use client";
// The strip above the waveform: play/pause, time, playback rate, loop, zoom, undo/redo, the
// Enter-recording indicator and how far the peaks have got. Keys are shown on the buttons.
import type { Editor } from "@/lib/annotation/editor";
import { formatTime } from "@/lib/annotation/audio/timeline";
import { useEditorVersion } from "../use-editor";
import { cx, kbd } from "@/components/ui/styles";
import { RATES } from "./use-audio-player";

const tb = "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

export function Transport({
  editor, playing, ready, time, duration, rate, looping, canLoop, recordingFrom, peaks, readOnly,
  onToggle, onRate, onLoop, onZoom, onFit, onRecord, spectro, onSpectro, onHelp,
}: {
  editor: Editor;
  playing: boolean;
  ready: boolean;
  time: number;
  duration: number;
  rate: number;
  looping: boolean;
  canLoop: boolean;
  recordingFrom: number | null;
  peaks: { status: string; progress: number };
  readOnly: boolean;
  onToggle(): void;
  onRate(r: number): void;
  onLoop(): void;
  onZoom(f: number): void;
  onFit(): void;
  onRecord(): void;
  spectro: boolean;
  onSpectro(): void;
  onHelp(): void;
}) {
  useEditorVersion(editor);
  return (
    <div role="toolbar" aria-label="Playback" className="relative z-10 flex h-11 shrink-0 items-center gap-1 border-b border-slate-200 bg-white px-2">
      <button type="button" className={cx(tb, "w-24 justify-start bg-slate-100")} onClick={onToggle} disabled={!ready} data-testid="play-toggle" aria-label={playing ? "Pause" : "Play"} aria-keyshortcuts="Space">
        <span aria-hidden className="w-3 text-center">{playing ? "❚❚" : "▶"}</span>
        {playing ? "Pause" : "Play"} <kbd className={kbd}>Space</kbd>
      </button>
      <span className="px-2 font-mono text-xs tabular-nums text-slate-700" data-testid="play-time">
        {formatTime(time, 0.01)} <span className="text-slate-400">/ {formatTime(duration, 0.01)}</span>
      </span>
      <label className="ml-1 flex items-center gap-1 text-xs text-slate-500" title="Playback rate ([ and ])">
        Speed
        <select value={rate} onChange={(e) => onRate(Number(e.target.value))} className="rounded border border-slate-200 bg-white px-1 py-0.5 text-xs text-slate-700" data-testid="play-rate">
          {RATES.map((r) => (
            <option key={r} value={r}>
              {r}×
            </option>
          ))}
        </select>
      </label>
      <button type="button" className={cx(tb, looping && "bg-amber-100 text-amber-900 hover:bg-amber-100")} onClick={onLoop} disabled={!canLoop && !looping} aria-pressed={looping} title="Loop the selected segment (L)" data-testid="loop-toggle">
        ⟳ Loop <kbd className={kbd}>L</kbd>
      </button>
      <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
      {!readOnly && (
        <button type="button" className={cx(tb, recordingFrom !== null && "bg-rose-100 text-rose-800 hover:bg-rose-100")} onClick={onRecord} data-testid="record-toggle" title="While listening, Enter starts a segment and Enter again ends it">
          <span aria-hidden className={cx("h-2.5 w-2.5 rounded-full", recordingFrom !== null ? "animate-pulse bg-rose-600" : "bg-rose-400")} />
          {recordingFrom !== null ? `Segment from ${formatTime(recordingFrom, 0.1)} — Enter ends it` : "Mark segment"} <kbd className={kbd}>Enter</kbd>
        </button>
      )}
      <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
      <button type="button" className={tb} onClick={() => onZoom(1 / 1.5)} title="Zoom out (-)" aria-label="Zoom out">
        −
      </button>
      <button type="button" className={tb} onClick={onFit} title="Fit the whole file (0)" data-testid="zoom-fit">
        Fit <kbd className={kbd}>0</kbd>
      </button>
      <button type="button" className={tb} onClick={() => onZoom(1.5)} title="Zoom in (+)" aria-label="Zoom in">
        +
      </button>
      <button type="button" className={cx(tb, spectro && "bg-indigo-100 text-indigo-900 hover:bg-indigo-100")} onClick={onSpectro} aria-pressed={spectro} title="Show a spectrogram under the waveform (S)" data-testid="spectro-toggle">
        Spectrogram <kbd className={kbd}>S</kbd>
      </button>
      {!readOnly && (
        <>
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <button type="button" className={tb} onClick={() => editor.undo()} disabled={!editor.canUndo()} title="Undo (Ctrl+Z)" aria-label="Undo">
            ↶
          </button>
          <button type="button" className={tb} onClick={() => editor.redo()} disabled={!editor.canRedo()} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
            ↷
          </button>
        </>
      )}
      <span className="ml-auto flex items-center gap-2 text-xs text-slate-500" data-testid="peaks-status" data-status={peaks.status}>
        {peaks.status === "loading" && "Reading the audio…"}
        {peaks.status === "streaming" && (
          <>
            Computing waveform {Math.round(peaks.progress * 100)}%
            <span className="h-1.5 w-24 overflow-hidden rounded bg-slate-200">
              <span className="block h-full bg-indigo-500" style={{ width: `${Math.round(peaks.progress * 100)}%` }} />
            </span>
          </>
        )}
      </span>
      <button type="button" className={tb} onClick={onHelp} title="Keyboard shortcuts (?)" data-testid="help-button">
        <kbd className={kbd}>?</kbd>
      </button>
    </div>
  );
}

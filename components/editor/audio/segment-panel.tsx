"use client";
// The selected segment: its times, play/loop buttons and the transcription. Typing goes straight
// into the document (autosave sees it), squashed into one undo step per focus of the box; keys
// typed there never trigger shortcuts (the key handlers skip text fields).
import type { Editor } from "@/lib/annotation/editor";
import { resizeInterval, type SegmentRegion } from "@/lib/annotation/regions/segment";
import { formatTime } from "@/lib/annotation/audio/timeline";
import { useEditorRegions, useEditorSelection } from "../use-editor";
import { btn, cx } from "@/components/ui/styles";

const field = "block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20 disabled:bg-slate-50";

export function SegmentPanel({
  editor, readOnly, looping, onPlay, onLoop,
}: {
  editor: Editor;
  readOnly: boolean;
  looping: boolean;
  onPlay(s: SegmentRegion): void;
  onLoop(s: SegmentRegion): void;
}) {
  useEditorRegions(editor);
  useEditorSelection(editor);
  const sel = editor.getSelectedRegions().filter((r): r is SegmentRegion => r.kind === "segment");
  if (sel.length !== 1) return null;
  const s = sel[0]!;
  const locked = !!s.locked;

  function setText(text: string) {
    if (editor.interaction !== "transcribe") editor.beginInteraction("transcribe");
    editor.updateRegions([s.id], (r) => {
      if (r.kind !== "segment") return null;
      const { text: _old, ...rest } = r;
      return text === "" ? rest : { ...rest, text };
    }, "transcribe");
  }

  return (
    <section aria-labelledby="seg-h" className="border-b border-slate-200 px-3 py-3" data-testid="segment-panel">
      <h2 id="seg-h" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Segment
      </h2>
      <p className="mb-1 font-mono text-xs tabular-nums text-slate-600" data-testid="segment-times">
        {formatTime(s.start, 0.01)} – {formatTime(s.end, 0.01)} <span className="text-slate-400">({(s.end - s.start).toFixed(2)} s)</span>
      </p>
      <div className="mb-2 grid grid-cols-2 gap-2">
        {(["start", "end"] as const).map((edge) => (
          <label key={`${s.id}:${edge}:${s[edge]}`} className="block text-xs text-slate-600">
            {edge === "start" ? "Start (s)" : "End (s)"}
            <input
              type="number"
              step="0.01"
              min={0}
              className={cx(field, "mt-0.5 font-mono text-xs")}
              defaultValue={s[edge].toFixed(3)}
              disabled={readOnly || locked}
              data-testid={`segment-${edge}`}
              onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
              onBlur={(e) => {
                const t = Number(e.target.value);
                if (!Number.isFinite(t)) return;
                // Same clamping as dragging the edge: inside the audio, edges 50 ms apart.
                const next = resizeInterval(s, edge, t, editor.width);
                e.target.value = next[edge].toFixed(3);
                if (next === s) return;
                editor.updateRegions([s.id], (r) => (r.kind === "segment" ? { ...r, start: next.start, end: next.end } : null), "resize");
              }}
            />
          </label>
        ))}
      </div>
      <div className="mb-2 flex gap-1.5">
        <button type="button" className={btn.small} onClick={() => onPlay(s)} data-testid="segment-play">
          ▶ Play segment
        </button>
        <button type="button" className={cx(btn.small, looping && "!border-amber-400 !bg-amber-50")} aria-pressed={looping} onClick={() => onLoop(s)} data-testid="segment-loop" title="Loop this segment (L)">
          ⟳ Loop
        </button>
      </div>
      <label className="block text-xs text-slate-600">
        Transcription
        <textarea
          className={cx(field, "mt-0.5 min-h-[5.5rem] resize-y leading-snug")}
          data-testid="segment-text"
          value={s.text ?? ""}
          placeholder={readOnly ? "" : "Type what is said…"}
          disabled={readOnly || locked}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => editor.interaction === "transcribe" && editor.endInteraction()}
          onKeyDown={(e) => {
            // Escape leaves the box (then Space plays again) instead of clearing the selection.
            if (e.key === "Escape") {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
        />
      </label>
      <p className="mt-1 text-[11px] text-slate-400">Esc leaves the box; Ctrl+Enter submits.</p>
    </section>
  );
}

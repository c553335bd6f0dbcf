"use client";
// The audio editor once booted: task bar, transport, waveform, sidebar, dialogs and the task
// flow (submit, skip, next), structured like the image workspace. Playback is an <audio>
// element (HTTP Range: seeking works at once); peaks fill in from a worker (use-peaks.ts).
import { useEffect, useMemo, useRef, useState } from "react";
import { useAutosave } from "../persistence/use-autosave";
import { useEditorRegions, useEditorSelection, useEditorValue } from "../use-editor";
import type { Booted } from "../shell/editor-frame";
import type { PickerValue } from "../shell/annotation-picker";
import { Notice } from "@/components/ui/notice";
import { ClassificationsPanel } from "../shell/classifications-panel";
import { ConflictDialog, SkipDialog } from "../shell/dialogs";
import { HelpOverlay } from "../shell/help-overlay";
import { LabelPicker } from "../shell/label-picker";
import { RegionList } from "../shell/region-list";
import { flaggedRegionIds } from "../shell/region-sort";
import { MessageNotice } from "../shell/message-notice";
import { useTaskFlow } from "../shell/use-task-flow";
import { RelationsPanel, relateSelection } from "../shell/relations-panel";
import { SelectionPanel } from "../shell/selection-panel";
import { FlowTaskBar } from "../shell/task-bar";
import { useShellKeys } from "../shell/use-shell-keys";
import { SegmentTool } from "@/lib/annotation/audio/segment-tool";
import { clampView, fitView, formatTime, initialView, revealTime, visibleSeconds, zoomAt, type TimelineView } from "@/lib/annotation/audio/timeline";
import { segmentExtentIssue, type SegmentRegion } from "@/lib/annotation/regions/segment";
import type { AudioEditorProps } from "./audio-editor";
import { AUDIO_SHORTCUTS, useAudioKeys } from "./audio-keys";
import { SegmentPanel } from "./segment-panel";
import { Transport } from "./transport";
import { RATES, useAudioPlayer } from "./use-audio-player";
import { usePeaks } from "./use-peaks";
import { Waveform } from "./waveform";
import { PrelabelBar } from "./prelabel-bar";
import { useSpeechPrelabel } from "./use-speech-prelabel";
import { acceptAbove, acceptSelected, rejectAll, rejectSelected } from "@/lib/annotation/audio/prelabel";

declare global {
  interface Window {
    /** For e2e tests and the bench: the editor and where a second is on screen. */
    __loupeAudio?: {
      editor: unknown;
      view(): TimelineView | null;
      time(): number;
      /** performance.now() stamps: first peaks, all peaks, usable (playable + viewport drawn). */
      marks(): { firstPeaksAt: number | null; peaksDoneAt: number | null; usableAt: number | null };
      /** Whether the peaks for the current viewport are all in. */
      viewportCovered(): boolean;
    };
  }
}

const isSegment = (r: { kind: string }): r is SegmentRegion => r.kind === "segment";

export function AudioWorkspace({
  props: p, booted, pick, onPick, onFix, initialNotice,
}: {
  props: AudioEditorProps;
  booted: Booted;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  onFix(): void;
  initialNotice: string | null;
}) {
  const { editor, initial, plan } = booted;
  const readOnly = plan.readOnly;
  const save = useAutosave({ editor, taskId: p.task.id, userId: p.userId, initial, readOnly });
  const [help, setHelp] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [view, setView] = useState<TimelineView | null>(null);
  const [width, setWidth] = useState(0);
  const [usableMs, setUsableMs] = useState<number | null>(null);
  const [showSpectro, setShowSpectro] = useState(false);

  const player = useAudioPlayer(p.src);
  const peaks = usePeaks(p.src);
  const [tool] = useState(() => new SegmentTool(editor, { onClick: (t) => player.seek(t) }));
  const regions = useEditorRegions(editor);
  useEditorSelection(editor); // the loop follows the selected segment
  const extent = useEditorValue(editor, (e) => e.width);
  const flagged = useMemo(() => flaggedRegionIds(regions, p.schema), [regions, p.schema]);
  const conflict = save.state.kind === "conflict" ? save.state.server : null;
  const modalOpen = help || skipOpen || conflict !== null;
  const pyr = peaks.pyramid;
  // The server's duration (what it validates against) wins; else what the browser found.
  const duration = extent > 0 ? extent : (player.duration ?? (pyr ? pyr.totalFrames / pyr.sampleRate : 0));
  const recordingFrom = useEditorValue(editor, () => tool.recordingFrom);
  const pre = useSpeechPrelabel({
    editor,
    taskId: p.task.id,
    src: p.src,
    labels: p.schema.labels.map((l) => l.name),
    duration,
    onAdded: (ids) => ids.length && setView((v) => (v && width ? fitView(width, duration) : v)),
  });
  const [minScore, setMinScore] = useState(0.5);
  const predictionCount = regions.filter((r) => r.origin === "prediction").length;
  const selectedPredictions = [...editor.selectedIds].filter((id) => editor.getRegion(id)?.origin === "prediction").length;
  const review = {
    acceptSelected: () => {
      if (!acceptSelected(editor).length) setMsg({ tone: "info", text: "Select a suggestion (violet, dashed) to accept it." });
    },
    rejectSelected: () => {
      if (!rejectSelected(editor).length) setMsg({ tone: "info", text: "Select a suggestion (violet, dashed) to reject it." });
    },
    acceptAbove: () => {
      const n = acceptAbove(editor, minScore).length;
      setMsg({ tone: n ? "success" : "info", text: n ? `Accepted ${n} suggestion${n === 1 ? "" : "s"} scoring ≥ ${minScore}.` : `No suggestion scores ≥ ${minScore}.` });
    },
    rejectAll: () => void rejectAll(editor),
  };

  // No duration from the server (not probed): adopt the browser's, so segments are still checked.
  useEffect(() => {
    if (extent === 0 && player.duration) editor.setImageSize(player.duration, 0);
  }, [extent, player.duration, editor]);

  // Open on a readable window once the size and duration are known; keep the view valid after.
  useEffect(() => {
    if (width === 0 || duration <= 0) return;
    setView((v) => (v ? clampView(v, width, duration) : initialView(width, duration)));
  }, [width, duration]);

  // Follow the playhead while playing; grow an Enter-recording with it.
  useEffect(() => {
    if (player.playing && view && width) {
      const next = revealTime(view, player.time, width, duration);
      if (next !== view) setView(next);
    }
    if (tool.recordingFrom !== null) tool.recordTo(player.time);
  }, [player.time]);

  // Ask the worker for the viewport first when it is ahead of the stream (HTTP Range).
  useEffect(() => {
    if (!view || !width) return;
    const id = setTimeout(() => peaks.focus(view.scroll, view.scroll + visibleSeconds(view, width)), 150);
    return () => clearTimeout(id);
  }, [view, width, peaks.status]);

  // The spectrogram (when on) follows the viewport, recomputed once scrolling pauses.
  useEffect(() => {
    if (!showSpectro || !view || !width || peaks.status === "loading" || peaks.status === "error") return;
    const id = setTimeout(() => peaks.requestSpectrogram(view.scroll, Math.min(duration, view.scroll + visibleSeconds(view, width)), Math.round(width)), 200);
    return () => clearTimeout(id);
  }, [showSpectro, view, width, peaks.status === "loading"]);

  // "Usable": playable, and the waveform for the viewport is drawn (measured by the bench).
  useEffect(() => {
    if (usableMs !== null || !player.ready || !pyr || !view || !width) return;
    if (pyr.isCovered(view.scroll, Math.min(duration, view.scroll + visibleSeconds(view, width)))) setUsableMs(performance.now());
  }, [player.ready, peaks.version, view, width]);

  // Loop follows the selected segment while on.
  const selected = editor.getSelectedRegions().filter(isSegment);
  const selectedOne = selected.length === 1 ? selected[0]! : null;
  useEffect(() => {
    if (player.loop && selectedOne && (player.loop.start !== selectedOne.start || player.loop.end !== selectedOne.end)) {
      player.setLoop({ start: selectedOne.start, end: selectedOne.end });
    }
  }, [selectedOne?.start, selectedOne?.end]);

  const live = useRef({ view, usableMs, peaks, width, duration });
  live.current = { view, usableMs, peaks, width, duration };
  useEffect(() => {
    const hook = {
      editor,
      view: () => live.current.view,
      time: () => player.now(),
      marks: () => ({ firstPeaksAt: live.current.peaks.firstAt, peaksDoneAt: live.current.peaks.doneAt, usableAt: live.current.usableMs }),
      viewportCovered: () => {
        const { view: v, peaks: pk, width: w, duration: d } = live.current;
        return !!(v && pk.pyramid && w && pk.pyramid.isCovered(v.scroll, Math.min(d, v.scroll + visibleSeconds(v, w))));
      },
    };
    window.__loupeAudio = hook;
    return () => {
      if (window.__loupeAudio === hook) delete window.__loupeAudio;
    };
  }, [editor]);

  const focus = (id: string) => {
    const r = editor.getRegion(id);
    if (!r || !isSegment(r) || !view || !width) return;
    setView(revealTime(view, r.start, width, duration, 0.2));
    player.seek(r.start);
  };
  const toggleLoop = (s: SegmentRegion | null = selectedOne) => {
    if (player.loop) player.setLoop(null);
    else if (s) {
      player.setLoop({ start: s.start, end: s.end });
      player.seek(s.start);
    } else setMsg({ tone: "info", text: "Select a segment to loop it." });
  };
  const zoom = (f: number) => view && width && setView(zoomAt(view, f, width / 2, width, duration));

  const flow = useTaskFlow({
    editor, save, schema: p.schema, task: p.task, pick, readOnly, initialNotice, focus,
    beforeSubmit: () => {
      tool.cancel();
      if (editor.interaction) editor.endInteraction(); // a transcription still being typed
    },
    // A loaded document (an import, a prediction) can hold segments the server would refuse.
    extraBlockers: () =>
      editor.getRegions().flatMap((r, i) => {
        const issue = isSegment(r) ? segmentExtentIssue(r, extent) : null;
        return issue ? [{ message: `Segment #${i + 1} (${r.label ?? "no label"}): ${issue.message} — drag its end back or delete it.`, regionId: r.id }] : [];
      }),
  });
  const { busy, msg, setMsg, fail, isUpdate, leave, goNext, submit, skip, resolve } = flow;

  function record() {
    const made = tool.toggleRecord(player.now());
    if (tool.recordingFrom === null && !made) {
      if (!editor.canCreate("segment")) setMsg({ tone: "warning", text: `The label “${editor.currentLabel}” cannot be used for segments.` });
    }
  }

  useShellKeys(
    {
      submit: () => void submit(),
      saveNow: () => void (readOnly ? undefined : save.saveNow()),
      next: () => void (p.canLabel && !busy && goNext()),
      prev: () => void (p.task.prevId && leave(`/tasks/${p.task.prevId}`)),
      nextById: () => void (p.task.nextId && leave(`/tasks/${p.task.nextId}`)),
      relate: () => {
        if (readOnly) return;
        const m = relateSelection(editor);
        setMsg(m ? { tone: "warning", text: m } : { tone: "success", text: "Related the two selected segments." });
      },
      help: () => setHelp(true),
      isLabelKey: (k) => editor.labelForHotkey(k) !== undefined,
    },
    !modalOpen,
  );

  useAudioKeys(
    {
      toggle: player.toggle,
      record,
      seekBy: (dt) => player.seek(player.now() + dt),
      seekTo: (w) => player.seek(w === "start" ? 0 : duration),
      loop: () => toggleLoop(),
      rate: (dir) => {
        const i = RATES.indexOf(player.rate as (typeof RATES)[number]);
        const next = RATES[Math.min(RATES.length - 1, Math.max(0, (i < 0 ? 2 : i) + dir))]!;
        player.setRate(next);
      },
      zoom,
      fit: () => width && setView(fitView(width, duration)),
      spectro: () => setShowSpectro((v) => !v),
      label: (key) => {
        const l = editor.labelForHotkey(key);
        if (!l) return false;
        try {
          editor.setCurrentLabel(l.name);
          if (editor.selectedIds.size) editor.setLabel([...editor.selectedIds], l.name);
        } catch (e) {
          fail(e instanceof Error ? e.message : String(e));
        }
        return true;
      },
      remove: () => editor.deleteRegions([...editor.selectedIds]),
      undo: () => (tool.cancel(), editor.undo()),
      redo: () => (tool.cancel(), editor.redo()),
      escape: () => (pre.state.kind === "running" ? pre.cancel() : tool.cancel() || editor.clearSelection()),
      prelabel: () => void pre.run(),
      ...review,
    },
    !modalOpen,
    readOnly,
  );

  const audioError = player.error;
  const peaksError = peaks.status === "error" ? peaks.error : null;

  return (
    <div
      className="fixed inset-x-0 bottom-0 top-14 z-20 flex flex-col bg-slate-100"
      data-testid="audio-editor"
      data-read-only={readOnly}
      data-player-ready={player.ready}
      data-peaks-status={peaks.status}
      data-peaks-source={peaks.source ?? ""}
      data-spectro={!showSpectro ? "off" : !peaks.spectro ? "computing" : "reason" in peaks.spectro ? "unavailable" : "ready"}
      onMouseDown={(e) => {
        // Clicked buttons must not keep the focus: Space would press them again instead of playing.
        const t = e.target as HTMLElement;
        if (t.closest("button") && !t.closest("[role=dialog]")) e.preventDefault();
      }}
    >
      <FlowTaskBar
        page={p}
        pick={pick}
        onPick={onPick}
        canFix={plan.canFix}
        onFix={onFix}
        readOnly={readOnly}
        saveState={save.state}
        flow={flow}
        onSkip={() => setSkipOpen(true)}
      />
      <Transport
        editor={editor}
        playing={player.playing}
        ready={player.ready && !audioError}
        time={player.time}
        duration={duration}
        rate={player.rate}
        looping={player.loop !== null}
        canLoop={selectedOne !== null}
        recordingFrom={recordingFrom}
        peaks={{ status: peaks.status, progress: peaks.progress }}
        readOnly={readOnly}
        onToggle={player.toggle}
        onRate={player.setRate}
        onLoop={() => toggleLoop()}
        onZoom={zoom}
        onFit={() => width && setView(fitView(width, duration))}
        onRecord={record}
        spectro={showSpectro}
        onSpectro={() => setShowSpectro((v) => !v)}
        onHelp={() => setHelp(true)}
      />
      {!readOnly && (
        <PrelabelBar
          editor={editor}
          pre={pre}
          predictions={predictionCount}
          selectedPredictions={selectedPredictions}
          minScore={minScore}
          onMinScore={setMinScore}
          onAcceptSelected={review.acceptSelected}
          onRejectSelected={review.rejectSelected}
          onAcceptAbove={review.acceptAbove}
          onRejectAll={review.rejectAll}
        />
      )}
      <audio ref={player.ref} src={p.src} preload="metadata" className="hidden" data-testid="audio-element" />
      <div className="flex min-h-0 flex-1">
        <div className="relative flex min-w-0 flex-1 flex-col bg-slate-800">
          <Waveform
            editor={editor}
            tool={tool}
            pyramid={pyr}
            peaksVersion={peaks.version}
            duration={duration}
            view={view}
            onView={setView}
            onSize={setWidth}
            playhead={player.time}
            loop={player.loop}
            readOnly={readOnly}
            onSeek={player.seek}
            spectro={peaks.spectro}
            showSpectro={showSpectro}
            className="relative min-h-0 flex-1"
          />
          {peaksError && (
            <div className="pointer-events-none absolute inset-x-0 top-1/3 flex justify-center px-6" data-testid="waveform-error">
              <p className="max-w-lg rounded-md bg-slate-900/80 px-4 py-3 text-center text-sm text-slate-100">
                No waveform: {peaksError}
                {!audioError && " You can still listen and mark segments with Enter."}
              </p>
            </div>
          )}
          <p className="shrink-0 border-t border-slate-700 bg-slate-900 px-3 py-1.5 text-[11px] text-slate-400">
            {readOnly
              ? "Read-only: click to seek and select, Space plays."
              : "Drag on the waveform to make a segment · Enter while listening marks one · number keys label · Space plays · ← → seek · Ctrl+wheel zooms · ? for all keys"}
          </p>
          <div className="pointer-events-none absolute inset-x-3 top-3 z-10 flex flex-col items-center gap-2">
            {audioError && (
              <Notice className="pointer-events-auto max-w-xl shadow" tone="error">
                <span data-testid="audio-error">{audioError}</span> Skip the task with a reason so the project manager can fix it.
              </Notice>
            )}
            {save.storage === "memory" && !readOnly && (
              <Notice className="pointer-events-auto max-w-xl shadow" tone="warning">
                This browser cannot keep drafts on this device (private mode?): unsent work is lost if you reload before it is saved.
              </Notice>
            )}
            {readOnly && plan.annotation && pick !== "mine" && (
              <Notice className="pointer-events-auto shadow" tone="info">
                Viewing someone else’s annotation (read-only).{plan.canFix ? " Use “Fix this annotation” to edit it." : ""}
              </Notice>
            )}
            {msg && <MessageNotice msg={msg} canLabel={p.canLabel} onNext={() => void goNext()} onStay={flow.stay} onDismiss={() => setMsg(null)} />}
          </div>
        </div>
        <aside className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-white" aria-label="Annotation panels">
          <div className="max-h-[62%] shrink-0 overflow-y-auto border-b border-slate-200">
            <section aria-labelledby="labels-h" className="border-b border-slate-200">
              <h2 id="labels-h" className="px-3 pb-1.5 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
                Labels
              </h2>
              <LabelPicker editor={editor} readOnly={readOnly} onError={fail} />
            </section>
            <ClassificationsPanel editor={editor} readOnly={readOnly} onError={fail} title="Recording" />
            <SegmentPanel
              editor={editor}
              readOnly={readOnly}
              looping={player.loop !== null}
              onPlay={(s) => {
                player.seek(s.start);
                player.play();
              }}
              onLoop={(s) => toggleLoop(s)}
            />
            <SelectionPanel editor={editor} readOnly={readOnly} flagged={flagged} onError={fail} />
            <RelationsPanel editor={editor} readOnly={readOnly} onMessage={(t) => setMsg({ tone: "warning", text: t })} />
          </div>
          {flagged.size > 0 && (
            <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="flagged-warning">
              {flagged.size} segment{flagged.size === 1 ? "" : "s"}: label removed — pick a new label before submitting.
            </p>
          )}
          <RegionList
            editor={editor}
            flagged={flagged}
            readOnly={readOnly}
            onFocus={focus}
            emptyHint="No segments yet — drag across the waveform, or press Enter while listening to start one and Enter again to end it."
            describe={(r) => (isSegment(r) ? `${formatTime(r.start, 0.1)}–${formatTime(r.end, 0.1)}` : "")}
            sorts={["order", "label", "score"]}
          />
        </aside>
      </div>
      {help && <HelpOverlay editor={editor} onClose={() => setHelp(false)} sections={[{ title: "Audio", rows: AUDIO_SHORTCUTS }]} />}
      {skipOpen && <SkipDialog busy={busy === "skip"} onClose={() => setSkipOpen(false)} onSkip={(r) => void skip(r).then((done) => done && setSkipOpen(false))} />}
      {conflict && <ConflictDialog server={conflict} busy={busy === "resolve"} onChoose={(c) => void resolve(c)} />}
    </div>
  );
}

"use client";
// The text editor once booted: task bar, toolbar, the document, sidebar, dialogs and the task
// flow (submit, skip, next), modelled on the image workspace. Span input lives in TextView.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useAutosave } from "../persistence/use-autosave";
import { useEditorRegions } from "../use-editor";
import type { Booted } from "../shell/editor-frame";
import type { TextEditorProps } from "./text-editor";
import { apiFetch } from "@/components/ui/api";
import { Notice } from "@/components/ui/notice";
import type { PickerValue } from "../shell/annotation-picker";
import { ClassificationsPanel } from "../shell/classifications-panel";
import { ConflictDialog, SkipDialog } from "../shell/dialogs";
import { HelpOverlay } from "../shell/help-overlay";
import { LabelPicker } from "../shell/label-picker";
import { RegionList } from "../shell/region-list";
import { flaggedRegionIds } from "../shell/region-sort";
import { RelationsPanel, relateSelection } from "../shell/relations-panel";
import { SelectionPanel } from "../shell/selection-panel";
import { MessageNotice } from "../shell/message-notice";
import { FlowTaskBar } from "../shell/task-bar";
import { useTaskFlow } from "../shell/use-task-flow";
import { useShellKeys } from "../shell/use-shell-keys";
import { TextIndex } from "@/lib/annotation/text/offsets";
import { acceptPredictions, isSpan, labelAllOccurrences, predictionIds, prelabel } from "@/lib/annotation/text/commands";
import type { DictionaryEntry } from "@/lib/annotation/text/matcher";
import { TextView, type TextViewHandle } from "./text-view";
import { TEXT_SHORTCUTS, TextToolbar } from "./toolbar";
import { TextPrelabelBar, type TextPrelabelState } from "./prelabel-bar";
import { useTextModelPrelabel } from "./use-model-prelabel";
import { DICTIONARY_MODEL, dictionarySpans } from "@/lib/prelabel/batch/prelabellers/text-dictionary";
import { TextFieldsPanel } from "./text-fields-panel";
import { RelationLabel } from "./relation-label";
import { PendingStore } from "./pending-store";


export function Workspace({
  props: p, booted, pick, onPick, onFix, initialNotice,
}: {
  props: TextEditorProps;
  booted: Booted;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  onFix(): void;
  initialNotice: string | null;
}) {
  const { editor, initial, plan } = booted;
  const readOnly = plan.readOnly;
  const save = useAutosave({ editor, taskId: p.task.id, userId: p.userId, initial, readOnly });
  const handleRef = useRef<TextViewHandle>(null);
  const index = useMemo(() => new TextIndex(p.text), [p.text]);
  const [wordSnap, setWordSnap] = useState(true);
  const pendingStore = useMemo(() => new PendingStore(), []);
  const [prelabelState, setPrelabelState] = useState<TextPrelabelState>({ kind: "idle" });
  const prelabelBusy = prelabelState.kind === "running";
  const nerModel = useTextModelPrelabel({ editor, taskId: p.task.id, projectId: p.task.projectId, text: index.text, readOnly, setState: setPrelabelState });
  const [minScore, setMinScore] = useState(0.85);
  // Text labelling starts with no active label: select first, then choose (or press a key first).
  useState(() => editor.setCurrentLabel(null));
  const [help, setHelp] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);

  const regions = useEditorRegions(editor);
  const flagged = useMemo(() => flaggedRegionIds(regions, p.schema), [regions, p.schema]);
  const conflict = save.state.kind === "conflict" ? save.state.server : null;
  const modalOpen = help || skipOpen || conflict !== null;

  // For e2e tests and the bench, like window.__loupeCanvas in the image editor.
  useEffect(() => {
    const w = window as unknown as { __loupeText?: unknown };
    w.__loupeText = { editor, index };
    return () => {
      if (w.__loupeText && (w.__loupeText as { editor: unknown }).editor === editor) delete w.__loupeText;
    };
  }, [editor, index]);

  const focus = (id: string) => handleRef.current?.scrollToSpan(id);
  const { busy, msg, setMsg, fail, isUpdate, leave, goNext, submit, skip, resolve, stay } = useTaskFlow({
    editor, save, schema: p.schema, task: p.task, pick, readOnly, initialNotice, focus,
    // A free-text field commits on blur: Ctrl+Enter from inside it must not lose the last edit.
    beforeSubmit: () => {
      if (document.activeElement instanceof HTMLTextAreaElement) document.activeElement.blur();
    },
  });
  const predictions = useMemo(() => regions.filter((r) => r.origin === "prediction").length, [regions]);

  function labelAll() {
    // Read the selection now: this workspace does not re-render on selection changes.
    const one = editor.selectedIds.size === 1 ? editor.getRegion([...editor.selectedIds][0]!) : undefined;
    if (readOnly || !one || !isSpan(one)) return setMsg({ tone: "info", text: "Select one labelled span first." });
    const n = labelAllOccurrences(editor, index, one.id);
    setMsg({ tone: n ? "success" : "info", text: n ? `Labelled ${n} more occurrence${n === 1 ? "" : "s"} of “${index.slice(one.start, one.end)}” as ${one.label}.` : "No other unlabelled occurrences." });
  }

  async function runPrelabel() {
    if (readOnly || prelabelBusy) return;
    setPrelabelState({ kind: "running" });
    const r = await apiFetch<{ entries: DictionaryEntry[] }>(`/api/v1/projects/${p.task.projectId}/dictionary`);
    if (!r.ok) return setPrelabelState({ kind: "error", message: r.error.message });
    if (r.data.entries.length === 0) {
      setPrelabelState({ kind: "idle" });
      return setMsg({ tone: "info", text: "This project has no dictionary yet. A manager can add terms in the project settings." });
    }
    let added: number;
    let found: ReturnType<typeof dictionarySpans>;
    try {
      added = prelabel(editor, index, r.data.entries);
      // The model's whole output (also matches already labelled) is what the server keeps.
      found = dictionarySpans(index.text, r.data.entries, (l) => editor.canCreate("span", l));
    } catch (e) {
      return setPrelabelState({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    }
    setMsg({ tone: added ? "success" : "info", text: added ? `Added ${added} prediction${added === 1 ? "" : "s"} from the dictionary: accept (A) or delete them.` : "The dictionary found nothing new in this text." });
    setPrelabelState({ kind: "done", added, found: found.length, stored: null });
    if (!found.length) return;
    // Stored like the audio and image pre-labellers' output: a prediction of model "dictionary".
    const scores = found.map((x) => x.score ?? 0);
    const saved = await apiFetch(`/api/v1/tasks/${p.task.id}/predictions`, {
      method: "POST",
      body: {
        model: DICTIONARY_MODEL,
        modelVersion: "1",
        score: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000,
        document: { version: 1, regions: found, classifications: {}, relations: [] },
      },
    });
    setPrelabelState({ kind: "done", added, found: found.length, stored: saved.ok, storeError: saved.ok ? undefined : saved.error.message });
  }

  const selectedPredictionIds = () => [...editor.selectedIds].filter((id) => editor.getRegion(id)?.origin === "prediction");
  function acceptAboveThreshold() {
    const ids = editor.getRegions().filter((r) => r.origin === "prediction" && (r.score ?? 0) >= minScore).map((r) => r.id);
    const n = acceptPredictions(editor, ids).length;
    setMsg({ tone: n ? "success" : "info", text: n ? `Accepted ${n} suggestion${n === 1 ? "" : "s"} scoring ${minScore} or more.` : `No suggestion scores ${minScore} or more.` });
  }

  function onKey(e: KeyboardEvent): boolean {
    const ctrl = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (ctrl && !e.altKey && k === "z") {
      if (!readOnly) void (e.shiftKey ? editor.redo() : editor.undo());
      return true;
    }
    if (ctrl && !e.altKey && k === "y") {
      if (!readOnly) editor.redo();
      return true;
    }
    if (ctrl || e.altKey || e.repeat) return false;
    if (k === "w") return setWordSnap((v) => !v), true;
    if (e.key === "Escape") {
      if (editor.selectedIds.size) editor.clearSelection();
      else if (editor.currentLabel) editor.setCurrentLabel(null);
      else handleRef.current?.clearPending();
      return true;
    }
    if (readOnly) return false;
    if (e.key === "Delete" || e.key === "Backspace") {
      if (editor.selectedIds.size) editor.deleteRegions([...editor.selectedIds]);
      return true;
    }
    if (k === "l") return labelAll(), true;
    if (k === "p") return void runPrelabel(), true;
    if (k === "m" && nerModel.model && !prelabelBusy) return void nerModel.run(), true;
    if (k === "a" && e.shiftKey) return acceptAboveThreshold(), true;
    if (k === "a") {
      const n = acceptPredictions(editor, editor.selectedIds).length;
      if (n) setMsg({ tone: "success", text: `Accepted ${n} prediction${n === 1 ? "" : "s"}.` });
      return true;
    }
    return false;
  }
  // Stable callbacks, so the (memoised) text view skips re-rendering when only the save status
  // or a message changes.
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  const stableOnKey = useCallback((e: KeyboardEvent) => onKeyRef.current(e), []);
  const onMessage = useCallback((text: string, tone: "error" | "warning" | "info" | "success" = "info") => setMsg({ tone, text }), []);

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
        setMsg(m ? { tone: "warning", text: m } : { tone: "success", text: "Related the two selected regions." });
      },
      help: () => setHelp(true),
      isLabelKey: (k) => editor.labelForHotkey(k) !== undefined,
    },
    !modalOpen,
  );

  return (
    <div
      className="fixed inset-x-0 bottom-0 top-14 z-20 flex flex-col bg-slate-100"
      data-testid="text-editor"
      data-read-only={readOnly}
      onMouseDown={(e) => {
        // Clicked buttons must not keep the focus: Enter (finish a polygon) or Space (pan)
        // would press them again, e.g. undo instead of closing the shape. Dialogs keep focus.
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
        flow={{ isUpdate, busy, submit, goNext, leave }}
        onSkip={() => setSkipOpen(true)}
      />
      <TextToolbar
        editor={editor}
        readOnly={readOnly}
        wordSnap={wordSnap}
        onToggleSnap={() => setWordSnap((v) => !v)}
        pendingStore={pendingStore}
        onLabelAll={labelAll}
        onHelp={() => setHelp(true)}
      />
      {!readOnly && (
        <TextPrelabelBar
          editor={editor}
          state={prelabelState}
          predictions={predictions}
          minScore={minScore}
          onMinScore={setMinScore}
          onRun={() => void runPrelabel()}
          onAcceptSelected={() => acceptPredictions(editor, selectedPredictionIds())}
          onRejectSelected={() => {
            const ids = selectedPredictionIds();
            if (ids.length) editor.deleteRegions(ids);
          }}
          onAcceptAbove={acceptAboveThreshold}
          onAcceptAll={() => acceptPredictions(editor, predictionIds(editor))}
          onRejectAll={() => editor.deleteRegions(predictionIds(editor))}
          onDismiss={() => setPrelabelState({ kind: "idle" })}
          model={nerModel.model ? { name: nerModel.model.name, version: nerModel.model.latest.version } : null}
          onRunModel={() => void nerModel.run()}
        />
      )}
      <div className="flex min-h-0 flex-1">
        <div className="relative min-w-0 flex-1 bg-slate-100">
          {p.text.length === 0 ? (
            <div className="flex h-full items-center justify-center p-6" data-testid="text-empty">
              <div className="max-w-md rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
                <p className="font-medium text-slate-800">This document is empty.</p>
                <p className="mt-1">There is no text to label. You can still answer the questions on the right, or skip the task with a reason so a manager can fix it.</p>
              </div>
            </div>
          ) : (
            <TextView
              editor={editor}
              index={index}
              schema={p.schema}
              readOnly={readOnly}
              wordSnap={wordSnap}
              keyboard={!modalOpen}
              handleRef={handleRef}
              onMessage={onMessage}
              pendingStore={pendingStore}
              onKey={stableOnKey}
            />
          )}
          <div className="pointer-events-none absolute inset-x-3 top-3 z-10 flex flex-col items-center gap-2">
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
            {msg && <MessageNotice msg={msg} canLabel={p.canLabel} onNext={() => void goNext()} onStay={stay} onDismiss={() => setMsg(null)} />}
          </div>
        </div>
        <aside className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-white" aria-label="Annotation panels">
          <div className="max-h-[55%] shrink-0 overflow-y-auto border-b border-slate-200">
            <section aria-labelledby="labels-h" className="border-b border-slate-200">
              <h2 id="labels-h" className="px-3 pb-1.5 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
                Labels
              </h2>
              <LabelPicker editor={editor} readOnly={readOnly} onError={fail} onPick={(name) => !readOnly && !!handleRef.current?.labelPending(name)} />
            </section>
            <ClassificationsPanel editor={editor} readOnly={readOnly} onError={fail} title="Document" />
            <TextFieldsPanel editor={editor} readOnly={readOnly} onError={fail} />
            <SelectionPanel editor={editor} readOnly={readOnly} flagged={flagged} onError={fail} relateTo={false} stacking={false} />
            <RelationsPanel editor={editor} readOnly={readOnly} onMessage={(t) => setMsg({ tone: "warning", text: t })} />
            <RelationLabel editor={editor} readOnly={readOnly} onError={fail} />
          </div>
          {flagged.size > 0 && (
            <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="flagged-warning">
              {flagged.size} region{flagged.size === 1 ? "" : "s"}: label removed — pick a new label before submitting.
            </p>
          )}
          <RegionList
            editor={editor}
            flagged={flagged}
            readOnly={readOnly}
            onFocus={focus}
            sorts={["order", "label", "score"]}
            describe={(r) => (isSpan(r) ? `“${index.slice(r.start, Math.min(r.end, r.start + 40))}${r.end - r.start > 40 ? "…" : ""}”` : "")}
            emptyHint="No spans yet — select text with the mouse (or Shift+arrows) and press a label key."
          />
        </aside>
      </div>
      {help && <HelpOverlay editor={editor} onClose={() => setHelp(false)} sections={TEXT_SHORTCUTS} />}
      {skipOpen && <SkipDialog busy={busy === "skip"} onClose={() => setSkipOpen(false)} onSkip={(r) => void skip(r).then((done) => done && setSkipOpen(false))} />}
      {conflict && <ConflictDialog server={conflict} busy={busy === "resolve"} onChoose={(c) => void resolve(c)} />}
    </div>
  );
}

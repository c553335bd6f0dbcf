"use client";
// The editor once booted: task bar, toolbar, canvas, sidebar, dialogs and the task flow
// (submit, skip, next). Fills the viewport below the app header so the image gets every pixel.
import { useEffect, useMemo, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useAutosave } from "../../persistence/use-autosave";
import { useEditorRegions } from "../../use-editor";
import type { ImageAdjust, ImageCanvasHandle } from "../canvas-api";
import type { Booted, ImageEditorProps } from "../image-editor";
import { apiFetch } from "@/components/ui/api";
import { Notice } from "@/components/ui/notice";
import { btn } from "@/components/ui/styles";
import type { PickerValue } from "../../shell/annotation-picker";
import { ClassificationsPanel } from "../../shell/classifications-panel";
import { ConflictDialog, SkipDialog } from "../../shell/dialogs";
import { HelpOverlay } from "../../shell/help-overlay";
import { LabelPicker } from "../../shell/label-picker";
import { RegionList } from "../../shell/region-list";
import { flaggedRegionIds, missingDefaults, submitBlockers } from "../../shell/region-sort";
import { RelationsPanel, relateSelection } from "../../shell/relations-panel";
import { SelectionPanel } from "../../shell/selection-panel";
import { TaskBar, type Busy } from "../../shell/task-bar";
import { DEFAULT_ADJUST, Toolbar } from "./toolbar";
import { useShellKeys } from "../../shell/use-shell-keys";

// Konva needs the DOM: the canvas never renders on the server.
const ImageCanvas = dynamic(() => import("../image-canvas"), {
  ssr: false,
  loading: () => <div className="flex h-full items-center justify-center text-sm text-slate-500">Loading the canvas…</div>,
});

type Message = { tone: "error" | "success" | "info" | "warning"; text: string; details?: string[]; next?: boolean; auto?: boolean };
/** Lead time is capped by the API at a week. */
const MAX_LEAD = 86_400 * 7;
const AUTO_NEXT_MS = 1500;

export function Workspace({
  props: p, booted, pick, onPick, onFix, initialNotice,
}: {
  props: ImageEditorProps;
  booted: Booted;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  onFix(): void;
  initialNotice: string | null;
}) {
  const { editor, controller, initial, plan } = booted;
  const readOnly = plan.readOnly;
  const router = useRouter();
  const save = useAutosave({ editor, taskId: p.task.id, userId: p.userId, initial, readOnly });
  const handleRef = useRef<ImageCanvasHandle>(null);
  const startedAt = useRef(Date.now());
  const autoNext = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [scale, setScale] = useState(1);
  const [adjust, setAdjust] = useState<ImageAdjust>(DEFAULT_ADJUST);
  const [help, setHelp] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [msg, setMsg] = useState<Message | null>(initialNotice ? { tone: "info", text: initialNotice } : null);
  const [imageError, setImageError] = useState<string | null>(null);

  const regions = useEditorRegions(editor, "after-paint");
  const flagged = useMemo(() => flaggedRegionIds(regions, p.schema), [regions, p.schema]);
  const conflict = save.state.kind === "conflict" ? save.state.server : null;
  const modalOpen = help || skipOpen || conflict !== null;
  const isUpdate = save.target.annotationId !== null;

  useEffect(() => () => {
    if (autoNext.current) clearTimeout(autoNext.current);
  }, []);

  const leadTime = () => Math.min(MAX_LEAD, (Date.now() - startedAt.current) / 1000);
  const focus = (id: string) => handleRef.current?.focusRegion(id);
  const fail = (text: string) => setMsg({ tone: "error", text });

  async function leave(href: string) {
    // The local draft survives navigation anyway; this just gets it to the server sooner.
    if (!readOnly) await save.saveNow().catch(() => undefined);
    router.push(href);
  }

  async function goNext(after?: string) {
    if (autoNext.current) clearTimeout(autoNext.current);
    autoNext.current = null;
    setBusy("next");
    if (!readOnly) await save.saveNow().catch(() => undefined);
    const r = await apiFetch<{ taskId: number | null }>(`/api/v1/projects/${p.task.projectId}/next`, { method: "POST" });
    if (r.ok && r.data.taskId && r.data.taskId !== p.task.id) {
      router.push(`/tasks/${r.data.taskId}`);
      return;
    }
    setBusy(null);
    if (!r.ok) fail(r.error.message);
    else if (r.data.taskId === p.task.id) setMsg({ tone: "info", text: "This task is your next one: submit or skip it to move on." });
    else setMsg({ tone: "info", text: `${after ? after + " " : ""}No tasks left for you in this project.` });
  }

  async function submit() {
    if (readOnly || busy) return;
    const blockers = submitBlockers(editor.getRegions(), editor.getClassifications(), p.schema);
    const first = blockers[0];
    if (first) {
      setMsg(
        blockers.length === 1
          ? { tone: "error", text: first.message }
          : { tone: "error", text: `${blockers.length} things to fix before submitting:`, details: blockers.slice(0, 6).map((b) => b.message) },
      );
      if (first.regionId) {
        editor.select([first.regionId]);
        focus(first.regionId);
      }
      return;
    }
    const defaults = missingDefaults(editor.getRegions(), p.schema);
    if (defaults.size) editor.batch("attribute defaults", () => defaults.forEach((attrs, id) => editor.setAttributes([id], attrs)));
    const wasNew = !isUpdate;
    setBusy("submit");
    setMsg(null);
    const r = await save.submit({ status: "submitted", leadTime: leadTime() });
    setBusy(null);
    if (!r.ok) {
      if (r.state.kind === "error") fail(r.state.message);
      return; // other states (offline, signed out, conflict) show in the status line or dialog
    }
    if (wasNew && pick === "mine") {
      setMsg({ tone: "success", text: "Submitted. Opening the next task…", next: true, auto: true });
      autoNext.current = setTimeout(() => void goNext("Submitted."), AUTO_NEXT_MS);
    } else setMsg({ tone: "success", text: `Saved as revision ${r.annotation.revision}.`, next: true });
  }

  async function skip(reason: string) {
    if (readOnly || busy) return;
    setBusy("skip");
    const r = await save.submit({ status: "skipped", skipReason: reason || undefined, leadTime: leadTime() });
    setBusy(null);
    setSkipOpen(false);
    if (r.ok) await goNext("Skipped.");
    else if (r.state.kind === "error") fail(r.state.message);
  }

  async function resolve(choice: "reload" | "keep-mine") {
    setBusy("resolve");
    try {
      await save.resolveConflict(choice);
      setMsg({ tone: "success", text: choice === "reload" ? "Loaded the newer version." : "Your version was saved." });
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
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
      data-testid="image-editor"
      data-read-only={readOnly}
      onMouseDown={(e) => {
        // Clicked buttons must not keep the focus: Enter (finish a polygon) or Space (pan)
        // would press them again, e.g. undo instead of closing the shape. Dialogs keep focus.
        const t = e.target as HTMLElement;
        if (t.closest("button") && !t.closest("[role=dialog]")) e.preventDefault();
      }}
    >
      <TaskBar
        taskId={p.task.id}
        projectId={p.task.projectId}
        projectName={p.task.projectName}
        backHref={p.backHref}
        prevId={p.task.prevId}
        nextId={p.task.nextId}
        userId={p.userId}
        canLabel={p.canLabel}
        annotations={p.annotations}
        names={p.names}
        pick={pick}
        onPick={onPick}
        canFix={plan.canFix}
        onFix={onFix}
        readOnly={readOnly}
        saveState={save.state}
        isUpdate={isUpdate}
        busy={busy}
        onSubmit={() => void submit()}
        onSkip={() => setSkipOpen(true)}
        onNext={() => void goNext()}
        onNavigate={(id) => void leave(`/tasks/${id}`)}
      />
      <Toolbar editor={editor} controller={controller} handle={() => handleRef.current} scale={scale} adjust={adjust} onAdjust={setAdjust} readOnly={readOnly} onHelp={() => setHelp(true)} />
      <div className="flex min-h-0 flex-1">
        <div className="relative min-w-0 flex-1 bg-slate-800">
          <ImageCanvas
            editor={editor}
            controller={controller}
            src={p.src}
            readOnly={readOnly}
            adjust={adjust}
            flagged={flagged}
            keyboard={!modalOpen}
            onImageLoad={(s) => {
              setImageError(null);
              if (editor.width !== s.width || editor.height !== s.height) editor.setImageSize(s.width, s.height);
            }}
            onImageError={setImageError}
            onScaleChange={setScale}
            handleRef={handleRef}
            className="absolute inset-0"
          />
          <div className="pointer-events-none absolute inset-x-3 top-3 z-10 flex flex-col items-center gap-2">
            {imageError && (
              <Notice className="pointer-events-auto max-w-xl shadow" tone="error">
                {imageError} Skip the task with a reason so the project manager can fix it.
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
            {msg && (
              <Notice className="pointer-events-auto max-w-2xl shadow" tone={msg.tone}>
                <span data-testid="editor-message">{msg.text}</span>
                {msg.details && (
                  <ul className="mt-1 list-disc pl-5 text-xs">
                    {msg.details.map((d, i) => (
                      <li key={i}>{d}</li>
                    ))}
                  </ul>
                )}
                {msg.next && p.canLabel && (
                  <button type="button" className={`${btn.small} ml-3`} onClick={() => void goNext()}>
                    Next task
                  </button>
                )}
                {msg.auto && (
                  <button
                    type="button"
                    className={`${btn.small} ml-1`}
                    onClick={() => {
                      if (autoNext.current) clearTimeout(autoNext.current);
                      autoNext.current = null;
                      setMsg({ tone: "success", text: "Submitted.", next: true });
                    }}
                  >
                    Stay here
                  </button>
                )}
                <button type="button" aria-label="Dismiss" className="ml-3 text-xs underline opacity-70 hover:opacity-100" onClick={() => setMsg(null)}>
                  Dismiss
                </button>
              </Notice>
            )}
          </div>
        </div>
        <aside className="flex w-80 shrink-0 flex-col border-l border-slate-200 bg-white" aria-label="Annotation panels">
          <div className="max-h-[55%] shrink-0 overflow-y-auto border-b border-slate-200">
            <section aria-labelledby="labels-h" className="border-b border-slate-200">
              <h2 id="labels-h" className="px-3 pb-1.5 pt-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
                Labels
              </h2>
              <LabelPicker editor={editor} readOnly={readOnly} onError={fail} />
            </section>
            <ClassificationsPanel editor={editor} readOnly={readOnly} onError={fail} />
            <SelectionPanel editor={editor} readOnly={readOnly} flagged={flagged} onError={fail} />
            <RelationsPanel editor={editor} readOnly={readOnly} onMessage={(t) => setMsg({ tone: "warning", text: t })} />
          </div>
          {flagged.size > 0 && (
            <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900" data-testid="flagged-warning">
              {flagged.size} region{flagged.size === 1 ? "" : "s"}: label removed — pick a new label before submitting.
            </p>
          )}
          <RegionList editor={editor} flagged={flagged} readOnly={readOnly} onFocus={focus} />
        </aside>
      </div>
      {help && <HelpOverlay editor={editor} onClose={() => setHelp(false)} />}
      {skipOpen && <SkipDialog busy={busy === "skip"} onClose={() => setSkipOpen(false)} onSkip={(r) => void skip(r)} />}
      {conflict && <ConflictDialog server={conflict} busy={busy === "resolve"} onChoose={(c) => void resolve(c)} />}
    </div>
  );
}

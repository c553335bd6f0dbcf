"use client";
// The editor once booted: task bar, toolbar, canvas, sidebar, dialogs and the task flow
// (submit, skip, next). Fills the viewport below the app header so the image gets every pixel.
import { useMemo, useRef, useState } from "react";
import dynamic from "next/dynamic";
import { useAutosave } from "../../persistence/use-autosave";
import { useEditorRegions } from "../../use-editor";
import type { ImageAdjust, ImageCanvasHandle } from "../canvas-api";
import type { Booted, ImageEditorProps } from "../image-editor";
import { Notice } from "@/components/ui/notice";
import type { PickerValue } from "../../shell/annotation-picker";
import { ClassificationsPanel } from "../../shell/classifications-panel";
import { ConflictDialog, SkipDialog } from "../../shell/dialogs";
import { HelpOverlay } from "../../shell/help-overlay";
import { LabelPicker } from "../../shell/label-picker";
import { RegionList } from "../../shell/region-list";
import { flaggedRegionIds, formatArea, regionArea } from "../../shell/region-sort";
import type { Region } from "@/lib/annotation/regions";
import { OCR_SHORTCUTS, OcrButton, OcrStatus, useOcrControls } from "../prelabel/ocr-controls";
import { SAM_SHORTCUTS, SamStatusBar } from "../prelabel/sam-controls";
import { MODEL_SHORTCUTS, ModelButton, ModelStatus, useModelControls } from "../prelabel/model-controls";
import { useSamTool } from "../prelabel/use-sam-tool";
import { RelationsPanel, relateSelection } from "../../shell/relations-panel";
import { SelectionPanel } from "../../shell/selection-panel";
import { MessageNotice } from "../../shell/message-notice";
import { FlowTaskBar } from "../../shell/task-bar";
import { useTaskFlow } from "../../shell/use-task-flow";
import { DEFAULT_ADJUST, Toolbar } from "./toolbar";
import { useShellKeys } from "../../shell/use-shell-keys";

// Konva needs the DOM: the canvas never renders on the server.
const ImageCanvas = dynamic(() => import("../image-canvas"), {
  ssr: false,
  loading: () => <div className="flex h-full items-center justify-center text-sm text-slate-500">Loading the canvas…</div>,
});

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
  const save = useAutosave({ editor, taskId: p.task.id, userId: p.userId, initial, readOnly });
  const handleRef = useRef<ImageCanvasHandle>(null);
  const [scale, setScale] = useState(1);
  const [adjust, setAdjust] = useState<ImageAdjust>(DEFAULT_ADJUST);
  const [help, setHelp] = useState(false);
  const [skipOpen, setSkipOpen] = useState(false);
  const [imageError, setImageError] = useState<string | null>(null);

  const regions = useEditorRegions(editor, "after-paint");
  const flagged = useMemo(() => flaggedRegionIds(regions, p.schema), [regions, p.schema]);
  const conflict = save.state.kind === "conflict" ? save.state.server : null;
  const modalOpen = help || skipOpen || conflict !== null;

  const focus = (id: string) => handleRef.current?.focusRegion(id);
  const ocr = useOcrControls({ editor, taskId: p.task.id, src: p.src, readOnly, keyboard: !modalOpen });
  const sam = useSamTool({ editor, controller, src: p.src, readOnly });
  const model = useModelControls({ editor, taskId: p.task.id, projectId: p.task.projectId, src: p.src, readOnly, keyboard: !modalOpen });
  const { busy, msg, setMsg, fail, isUpdate, leave, goNext, submit, skip, resolve, stay } = useTaskFlow({
    editor, save, schema: p.schema, task: p.task, pick, readOnly, initialNotice, focus,
  });

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
      <Toolbar editor={editor} controller={controller} handle={() => handleRef.current} scale={scale} adjust={adjust} onAdjust={setAdjust} readOnly={readOnly} onHelp={() => setHelp(true)} extra={<><OcrButton c={ocr} readOnly={readOnly} /><ModelButton c={model} readOnly={readOnly} projectId={p.task.projectId} /></>} />
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
            <OcrStatus c={ocr} readOnly={readOnly} />
            <ModelStatus c={model} readOnly={readOnly} />
            {!readOnly && <SamStatusBar c={sam} editor={editor} controller={controller} />}
            {msg && <MessageNotice msg={msg} canLabel={p.canLabel} onNext={() => void goNext()} onStay={stay} onDismiss={() => setMsg(null)} />}
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
          <RegionList editor={editor} flagged={flagged} readOnly={readOnly} onFocus={focus} describe={describeRegion} sorts={IMAGE_SORTS} />
        </aside>
      </div>
      {help && <HelpOverlay editor={editor} onClose={() => setHelp(false)} extraSections={readOnly ? undefined : [{ title: "Pre-label", rows: [...OCR_SHORTCUTS, ...MODEL_SHORTCUTS] }, { title: "Click-to-mask (SAM)", rows: SAM_SHORTCUTS }]} />}
      {skipOpen && <SkipDialog busy={busy === "skip"} onClose={() => setSkipOpen(false)} onSkip={(r) => void skip(r).then((done) => done && setSkipOpen(false))} />}
      {conflict && <ConflictDialog server={conflict} busy={busy === "resolve"} onChoose={(c) => void resolve(c)} />}
    </div>
  );
}

const IMAGE_SORTS = ["order", "label", "area", "score"] as const;

/** The list's right-hand column: a suggestion's score, a region's recognised text (OCR) when it has one, else its area. */
function describeRegion(r: Region): string {
  const t = r.attributes?.text;
  const text = typeof t === "string" && t ? `“${t}”` : formatArea(regionArea(r));
  return r.origin === "prediction" && r.score !== undefined ? `${Math.round(r.score * 100)}% ${text}` : text;
}

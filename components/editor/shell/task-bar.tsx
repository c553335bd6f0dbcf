"use client";
// The bar above the toolbar: where you are (project / task), which annotation is shown, whether
// the work is saved, and the task actions (fix, skip, next, submit) with their shortcuts.
import Link from "next/link";
import type { SaveState, ServerAnnotation } from "../persistence/types";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { btn, cx, kbd } from "@/components/ui/styles";
import { AnnotationPicker, type PickerValue } from "./annotation-picker";
import { HistoryMenu } from "./history-menu";
import { SaveStatus } from "./save-status";
import type { EditorPageProps } from "./editor-frame";
import type { TaskFlow } from "./use-task-flow";

export type Busy = null | "submit" | "skip" | "next" | "resolve";

export interface TaskBarProps {
  taskId: number;
  projectId: number;
  projectName: string;
  backHref: string;
  prevId: number | null;
  nextId: number | null;
  userId: number;
  canLabel: boolean;
  annotations: readonly ServerAnnotation[];
  names: Readonly<Record<number, string>>;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  /** Shown annotation is someone else's and this user may fix it. */
  canFix: boolean;
  onFix(): void;
  readOnly: boolean;
  saveState: SaveState;
  isUpdate: boolean;
  busy: Busy;
  onSubmit(): void;
  onSkip(): void;
  onNext(): void;
  onNavigate(id: number): void;
}

const small = "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-xs font-medium";

export function TaskBar(p: TaskBarProps) {
  return (
    <div className="flex h-12 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3">
      <Link href={p.backHref} className="text-slate-400 hover:text-slate-800" aria-label="Back to the project" title="Back to the project">
        <ArrowLeftIcon width={16} height={16} />
      </Link>
      <h1 className="min-w-0 shrink truncate text-sm font-semibold text-slate-900">
        <Link href={`/projects/${p.projectId}`} className="hover:text-indigo-700">
          {p.projectName}
        </Link>
        <span className="text-slate-400"> / </span>
        <span className="font-mono">Task #{p.taskId}</span>
      </h1>
      <AnnotationPicker annotations={p.annotations} userId={p.userId} names={p.names} value={p.pick} onChange={p.onPick} canLabel={p.canLabel} />
      {p.canFix && (
        <button type="button" className={cx(small, "border border-amber-300 bg-amber-50 text-amber-900 hover:bg-amber-100")} data-testid="fix-annotation" onClick={p.onFix}>
          Fix this annotation
        </button>
      )}
      <div className="min-w-0 flex-1">
        <SaveStatus state={p.saveState} taskId={p.taskId} readOnly={p.readOnly} />
      </div>
      <HistoryMenu projectId={p.projectId} taskId={p.taskId} />
      {(p.prevId !== null || p.nextId !== null) && (
        <nav aria-label="Browse tasks by id" className="flex items-center">
          <button type="button" className={cx(small, "text-slate-600 hover:bg-slate-100 disabled:opacity-40")} data-testid="prev-task" disabled={p.prevId === null} title="Previous task (Alt+←)" onClick={() => p.prevId && p.onNavigate(p.prevId)}>
            ← {p.prevId !== null ? `#${p.prevId}` : ""}
          </button>
          <button type="button" className={cx(small, "text-slate-600 hover:bg-slate-100 disabled:opacity-40")} data-testid="next-by-id" disabled={p.nextId === null} title="Next task by id (Alt+→)" onClick={() => p.nextId && p.onNavigate(p.nextId)}>
            {p.nextId !== null ? `#${p.nextId}` : ""} →
          </button>
        </nav>
      )}
      {p.canLabel && (
        <>
          <button type="button" className={cx(small, "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:opacity-50")} data-testid="skip" disabled={p.readOnly || p.busy !== null} onClick={p.onSkip}>
            {p.busy === "skip" ? "Skipping…" : "Skip"}
          </button>
          <button type="button" className={cx(small, "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:opacity-50")} data-testid="next-task" aria-keyshortcuts="N" disabled={p.busy !== null} onClick={p.onNext}>
            {p.busy === "next" ? "Finding…" : "Next task"} <kbd className={kbd}>N</kbd>
          </button>
        </>
      )}
      {!p.readOnly && (
        <button type="button" className={cx(btn.primary, "h-8 py-0 text-xs")} data-testid="submit" aria-keyshortcuts="Control+Enter" disabled={p.busy !== null} onClick={p.onSubmit}>
          {p.busy === "submit" ? "Saving…" : p.isUpdate ? "Update" : "Submit"}
          <span className="rounded border border-indigo-400/60 bg-indigo-500/40 px-1 font-mono text-[10px]">Ctrl+↵</span>
        </button>
      )}
    </div>
  );
}

/**
 * The TaskBar as every workspace wires it: the page's task and people, the picked annotation, and
 * the task flow's actions (useTaskFlow). Skip opens the workspace's own dialog.
 */
export function FlowTaskBar({
  page: p, pick, onPick, canFix, onFix, readOnly, saveState, flow, onSkip,
}: {
  page: Pick<EditorPageProps, "task" | "backHref" | "userId" | "canLabel" | "annotations" | "names">;
  pick: PickerValue;
  onPick(v: PickerValue): void;
  canFix: boolean;
  onFix(): void;
  readOnly: boolean;
  saveState: SaveState;
  flow: Pick<TaskFlow, "isUpdate" | "busy" | "submit" | "goNext" | "leave">;
  onSkip(): void;
}) {
  return (
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
      canFix={canFix}
      onFix={onFix}
      readOnly={readOnly}
      saveState={saveState}
      isUpdate={flow.isUpdate}
      busy={flow.busy}
      onSubmit={() => void flow.submit()}
      onSkip={onSkip}
      onNext={() => void flow.goNext()}
      onNavigate={(id) => void flow.leave(`/tasks/${id}`)}
    />
  );
}

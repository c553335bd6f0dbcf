"use client";
// The task flow every workspace shares: submit (blockers first, attribute defaults, then the
// next task after a moment unless "Stay here"), skip with a reason, go to the next task, leave
// for another page (saving first), resolve a 409, and the message line. The image, text and
// audio workspaces all run on it.
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { Editor } from "@/lib/annotation/editor";
import type { LabelConfig } from "@/lib/labeling-config/schema";
import { apiFetch } from "@/components/ui/api";
import type { UseAutosave } from "../persistence/use-autosave";
import type { PickerValue } from "./annotation-picker";
import { missingDefaults, submitBlockers, type SubmitBlocker } from "./region-sort";
import type { Busy } from "./task-bar";

export type Message = { tone: "error" | "success" | "info" | "warning"; text: string; details?: string[]; next?: boolean; auto?: boolean };
/** Lead time is capped by the API at a week. */
const MAX_LEAD = 86_400 * 7;
const AUTO_NEXT_MS = 1500;

export interface TaskFlowOptions {
  editor: Editor;
  save: UseAutosave;
  schema: LabelConfig;
  task: { id: number; projectId: number };
  pick: PickerValue;
  readOnly: boolean;
  initialNotice: string | null;
  /** Show a region the user must fix (select is done already). */
  focus(id: string): void;
  /** Finish whatever is half-done (a drag, a field being typed) before submitting. */
  beforeSubmit?(): void;
  /** Problems only this editor knows about (e.g. a segment past the end of the audio). */
  extraBlockers?(): SubmitBlocker[];
}

export type TaskFlow = ReturnType<typeof useTaskFlow>;

export function useTaskFlow(o: TaskFlowOptions) {
  const { editor, save, readOnly } = o;
  const router = useRouter();
  const startedAt = useRef(Date.now());
  const autoNext = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [msg, setMsg] = useState<Message | null>(o.initialNotice ? { tone: "info", text: o.initialNotice } : null);
  const isUpdate = save.target.annotationId !== null;

  useEffect(() => () => {
    if (autoNext.current) clearTimeout(autoNext.current);
  }, []);

  const leadTime = () => Math.min(MAX_LEAD, (Date.now() - startedAt.current) / 1000);
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
    const r = await apiFetch<{ taskId: number | null }>(`/api/v1/projects/${o.task.projectId}/next`, { method: "POST" });
    if (r.ok && r.data.taskId && r.data.taskId !== o.task.id) {
      router.push(`/tasks/${r.data.taskId}`);
      return;
    }
    setBusy(null);
    if (!r.ok) fail(r.error.message);
    else if (r.data.taskId === o.task.id) setMsg({ tone: "info", text: "This task is your next one: submit or skip it to move on." });
    else setMsg({ tone: "info", text: `${after ? after + " " : ""}No tasks left for you in this project.` });
  }

  async function submit() {
    if (readOnly || busy) return;
    o.beforeSubmit?.();
    const blockers = [...submitBlockers(editor.getRegions(), editor.getClassifications(), o.schema), ...(o.extraBlockers?.() ?? [])];
    const first = blockers[0];
    if (first) {
      setMsg(
        blockers.length === 1
          ? { tone: "error", text: first.message }
          : { tone: "error", text: `${blockers.length} things to fix before submitting:`, details: blockers.slice(0, 6).map((b) => b.message) },
      );
      if (first.regionId) {
        editor.select([first.regionId]);
        o.focus(first.regionId);
      }
      return;
    }
    const defaults = missingDefaults(editor.getRegions(), o.schema);
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
    if (wasNew && o.pick === "mine") {
      setMsg({ tone: "success", text: "Submitted. Opening the next task…", next: true, auto: true });
      autoNext.current = setTimeout(() => void goNext("Submitted."), AUTO_NEXT_MS);
    } else setMsg({ tone: "success", text: `Saved as revision ${r.annotation.revision}.`, next: true });
  }

  async function skip(reason: string): Promise<boolean> {
    if (readOnly || busy) return false;
    setBusy("skip");
    const r = await save.submit({ status: "skipped", skipReason: reason || undefined, leadTime: leadTime() });
    setBusy(null);
    if (r.ok) await goNext("Skipped.");
    else if (r.state.kind === "error") fail(r.state.message);
    return true;
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

  function stay() {
    if (autoNext.current) clearTimeout(autoNext.current);
    autoNext.current = null;
    setMsg({ tone: "success", text: "Submitted.", next: true });
  }

  return { busy, msg, setMsg, fail, isUpdate, leave, goNext, submit, skip, resolve, stay };
}

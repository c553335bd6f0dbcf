"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { apiFetch } from "../ui/api";
import { btn, kbd } from "../ui/styles";
import { Notice } from "../ui/notice";
import { useHotkey } from "../use-hotkey";

export function TaskActions({ taskId, projectId, prevId, nextId, canLabel }: { taskId: number; projectId: number; prevId: number | null; nextId: number | null; canLabel: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState<"skip" | "next" | null>(null);
  const [message, setMessage] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  const [skipped, setSkipped] = useState(false);

  async function goNext(after?: string) {
    const r = await apiFetch<{ taskId: number | null }>(`/api/v1/projects/${projectId}/next`, { method: "POST" });
    if (r.ok && r.data.taskId && r.data.taskId !== taskId) {
      router.push(`/tasks/${r.data.taskId}`);
      return;
    }
    setBusy(null);
    if (!r.ok) setMessage({ tone: "error", text: r.error.message });
    else setMessage({ tone: "info", text: `${after ? after + " " : ""}No tasks left for you` });
  }

  async function skip() {
    if (busy) return;
    setBusy("skip");
    setMessage(null);
    const r = await apiFetch(`/api/v1/tasks/${taskId}/annotations`, { method: "POST", body: { document: {}, status: "skipped" } });
    if (!r.ok) {
      setBusy(null);
      setMessage({ tone: "error", text: r.error.message });
      return;
    }
    setSkipped(true);
    // Refresh so the status and counts beside us reflect the skip if we stay on this task.
    router.refresh();
    await goNext("Skipped.");
  }

  async function next() {
    if (busy) return;
    setBusy("next");
    setMessage(null);
    await goNext();
  }

  useHotkey("n", () => void next(), canLabel);
  useHotkey("ArrowLeft", () => prevId && router.push(`/tasks/${prevId}`), prevId !== null);
  useHotkey("ArrowRight", () => nextId && router.push(`/tasks/${nextId}`), nextId !== null);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        {canLabel && (
          <>
            <button type="button" className={btn.secondary} onClick={() => void skip()} disabled={busy !== null || skipped}>
              {busy === "skip" ? "Skipping…" : skipped ? "Skipped" : "Skip"}
            </button>
            <button type="button" className={btn.primary} onClick={() => void next()} disabled={busy !== null} aria-keyshortcuts="N">
              {busy === "next" ? "Finding…" : "Next task"}
              <span className="rounded border border-indigo-400/60 bg-indigo-500/40 px-1.5 font-mono text-xs">N</span>
            </button>
          </>
        )}
        {(prevId !== null || nextId !== null) && (
          <nav aria-label="Browse tasks" className="ml-auto flex items-center gap-2">
            {prevId !== null ? (
              <Link href={`/tasks/${prevId}`} className={btn.secondary} aria-keyshortcuts="ArrowLeft">
                ← #{prevId}
              </Link>
            ) : null}
            {nextId !== null ? (
              <Link href={`/tasks/${nextId}`} className={btn.secondary} aria-keyshortcuts="ArrowRight">
                #{nextId} →
              </Link>
            ) : null}
          </nav>
        )}
      </div>
      {message && (
        <Notice tone={message.tone}>
          {message.text}
          {message.tone === "info" && (
            <>
              {" · "}
              <Link href={`/projects/${projectId}`} className="font-medium underline">
                Back to the project
              </Link>
            </>
          )}
        </Notice>
      )}
      <p className="flex flex-wrap gap-x-3 text-xs text-slate-500">
        {canLabel && (
          <span>
            <kbd className={kbd}>N</kbd> next task
          </span>
        )}
        {(prevId !== null || nextId !== null) && (
          <span>
            <kbd className={kbd}>←</kbd> <kbd className={kbd}>→</kbd> previous / next by id
          </span>
        )}
      </p>
    </div>
  );
}

"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch } from "./ui/api";
import { btn, cx, kbd } from "./ui/styles";
import { Notice } from "./ui/notice";
import { useHotkey } from "./use-hotkey";

/** Reserves the next task (POST …/next) and opens it. "S" does the same from anywhere on the page. */
export function StartLabellingButton({ projectId, size = "lg" }: { projectId: number; size?: "lg" | "sm" }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "info" | "error"; text: string } | null>(null);

  async function start() {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    const r = await apiFetch<{ taskId: number | null }>(`/api/v1/projects/${projectId}/next`, { method: "POST" });
    if (r.ok && r.data.taskId) {
      router.push(`/tasks/${r.data.taskId}`);
      return;
    }
    setBusy(false);
    setMessage(r.ok ? { tone: "info", text: "No tasks left for you" } : { tone: "error", text: r.error.message });
  }
  useHotkey("s", () => void start());

  return (
    <div className="flex flex-col items-stretch gap-2">
      <button
        type="button"
        onClick={() => void start()}
        disabled={busy}
        aria-keyshortcuts="S"
        className={cx(btn.primary, size === "lg" && "px-6 py-3 text-base")}
      >
        {busy ? "Finding a task…" : "Start labelling"}
        <span className="rounded border border-indigo-400/60 bg-indigo-500/40 px-1.5 font-mono text-xs">S</span>
      </button>
      {message && (
        <Notice tone={message.tone}>
          {message.text}
          {message.tone === "info" && <span className="block text-xs opacity-80">Every task you can work on is done or reserved by someone else.</span>}
        </Notice>
      )}
      {!message && size === "lg" && (
        <p className="text-center text-xs text-slate-500">
          Press <kbd className={kbd}>S</kbd> to start
        </p>
      )}
    </div>
  );
}

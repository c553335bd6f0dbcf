"use client";
// One line that always tells the truth about the user's work: saved, saving, kept offline on
// this device, signed out (with a way back), or the server's error with the field it names.
import Link from "next/link";
import type { SaveState } from "../persistence/types";
import { describeField } from "@/components/ui/api";
import { cx } from "@/components/ui/styles";

function describe(s: SaveState, taskId: number): { tone: "ok" | "busy" | "warn" | "error"; text: React.ReactNode; title?: string } {
  switch (s.kind) {
    case "clean":
      return { tone: "ok", text: "All changes saved" };
    case "saved":
      return { tone: "ok", text: "All changes saved", title: `Saved at ${new Date(s.at).toLocaleTimeString()}` };
    case "dirty":
      return { tone: "busy", text: "Unsaved changes (kept on this device)" };
    case "saving":
      return { tone: "busy", text: "Saving…" };
    case "offline":
      return { tone: "warn", text: "Offline — your work is kept on this device and will be sent when the connection is back" };
    case "signed-out":
      return {
        tone: "error",
        text: (
          <>
            Session expired —{" "}
            <Link href={`/login?callbackUrl=${encodeURIComponent(`/tasks/${taskId}`)}`} className="font-medium underline" data-testid="sign-in-again">
              sign in again
            </Link>{" "}
            (your work is kept on this device)
          </>
        ),
      };
    case "conflict":
      return { tone: "error", text: "Someone else saved a newer version" };
    case "error":
      return { tone: "error", text: s.field ? `${describeField(s.field)}: ${s.message}` : s.message };
  }
}

export function SaveStatus({ state, taskId, readOnly }: { state: SaveState; taskId: number; readOnly: boolean }) {
  if (readOnly) {
    return (
      <span className="text-xs text-slate-500" data-testid="save-status" data-state="read-only">
        Read-only
      </span>
    );
  }
  const d = describe(state, taskId);
  return (
    <span
      role={d.tone === "error" ? "alert" : "status"}
      title={d.title ?? (typeof d.text === "string" ? d.text : undefined)}
      data-testid="save-status"
      data-state={state.kind}
      className={cx(
        "flex min-w-0 max-w-full items-center gap-1.5 text-xs",
        d.tone === "ok" && "text-slate-500",
        d.tone === "busy" && "text-slate-600",
        d.tone === "warn" && "text-amber-700",
        d.tone === "error" && "text-rose-700",
      )}
    >
      <span
        aria-hidden
        className={cx(
          "h-2 w-2 shrink-0 rounded-full",
          d.tone === "ok" && "bg-emerald-500",
          d.tone === "busy" && "animate-pulse bg-slate-400",
          d.tone === "warn" && "bg-amber-500",
          d.tone === "error" && "bg-rose-500",
        )}
      />
      <span className="min-w-0 truncate">{d.text}</span>
    </span>
  );
}

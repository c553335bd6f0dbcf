"use client";
// The shell's two decisions: skipping with a reason, and resolving a conflict with someone
// else's newer save. A conflict is never resolved silently: the user picks.
import { useState } from "react";
import type { ServerAnnotation } from "../persistence/types";
import { btn, input } from "@/components/ui/styles";
import { formatDateTime } from "@/components/ui/format";
import { Modal } from "./modal";

export function SkipDialog({ onSkip, onClose, busy }: { onSkip(reason: string): void; onClose(): void; busy: boolean }) {
  const [reason, setReason] = useState("");
  return (
    <Modal title="Skip this task" onClose={onClose} testId="skip-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSkip(reason.trim());
        }}
      >
        <label htmlFor="skip-reason" className="mb-1 block text-sm text-slate-700">
          Why? (helps the project manager fix the task)
        </label>
        <textarea
          id="skip-reason"
          data-testid="skip-reason"
          className={input}
          rows={3}
          maxLength={2000}
          value={reason}
          placeholder="e.g. the image is blurry, the object is not in the label set…"
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              onSkip(reason.trim());
            }
          }}
        />
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={btn.secondary} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={btn.primary} data-testid="skip-confirm" disabled={busy}>
            {busy ? "Skipping…" : "Skip task"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function ConflictDialog({ server, onChoose, busy }: { server: ServerAnnotation; onChoose(choice: "reload" | "keep-mine"): void; busy: boolean }) {
  return (
    <Modal title="Someone else saved this annotation" onClose={() => undefined} dismissable={false} testId="conflict-dialog">
      <p className="text-sm text-slate-700">
        While you were working, a newer version (revision {server.revision}, saved {formatDateTime(server.updatedAt)}) was saved by someone else. Nothing has been overwritten. Choose
        which version to keep:
      </p>
      <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-600">
        <li>
          <strong>Reload theirs</strong>: load their version; your changes are discarded.
        </li>
        <li>
          <strong>Keep mine</strong>: save your version on top of theirs (theirs stays in the revision history).
        </li>
      </ul>
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" className={btn.secondary} data-testid="conflict-reload" disabled={busy} onClick={() => onChoose("reload")}>
          Reload theirs
        </button>
        <button type="button" className={btn.danger} data-testid="conflict-keep-mine" disabled={busy} onClick={() => onChoose("keep-mine")}>
          Keep mine (overwrite)
        </button>
      </div>
    </Modal>
  );
}

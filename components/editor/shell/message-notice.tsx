"use client";
// The workspace's message line (from useTaskFlow): the text, details, "Next task" after a
// submit, "Stay here" while the next task is about to open, and Dismiss.
import { Notice } from "@/components/ui/notice";
import { btn } from "@/components/ui/styles";
import type { Message } from "./use-task-flow";

export function MessageNotice({ msg, canLabel, onNext, onStay, onDismiss }: { msg: Message; canLabel: boolean; onNext(): void; onStay(): void; onDismiss(): void }) {
  return (
    <Notice className="pointer-events-auto max-w-2xl shadow" tone={msg.tone}>
      <span data-testid="editor-message">{msg.text}</span>
      {msg.details && (
        <ul className="mt-1 list-disc pl-5 text-xs">
          {msg.details.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      )}
      {msg.next && canLabel && (
        <button type="button" className={`${btn.small} ml-3`} onClick={onNext}>
          Next task
        </button>
      )}
      {msg.auto && (
        <button type="button" className={`${btn.small} ml-1`} onClick={onStay}>
          Stay here
        </button>
      )}
      <button type="button" aria-label="Dismiss" className="ml-3 text-xs underline opacity-70 hover:opacity-100" onClick={onDismiss}>
        Dismiss
      </button>
    </Notice>
  );
}

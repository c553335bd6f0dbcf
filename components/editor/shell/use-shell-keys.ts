"use client";
// The shell's own shortcuts. The canvas owns tools, Delete, arrows, undo and zoom keys; these
// are the task-level ones. Events another handler took (defaultPrevented) or typed into a field
// are left alone, and nothing fires while a dialog is open except what the dialog handles.
import { useEffect, useRef } from "react";
import { isTyping } from "@/components/use-hotkey";

export interface ShellKeyHandlers {
  submit(): void;
  saveNow(): void;
  next(): void;
  prev(): void;
  nextById(): void;
  relate(): void;
  help(): void;
  /** A project label bound to this key wins over the shell's single-letter keys. */
  isLabelKey(key: string): boolean;
}

export function useShellKeys(handlers: ShellKeyHandlers, enabled: boolean): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const h = ref.current;
      const ctrl = e.ctrlKey || e.metaKey;
      // Ctrl+S must never open the browser's "save page" dialog, even from a text field.
      if (ctrl && !e.altKey && e.key.toLowerCase() === "s") {
        e.preventDefault();
        h.saveNow();
        return;
      }
      if (ctrl && e.key === "Enter") {
        e.preventDefault();
        h.submit();
        return;
      }
      if (isTyping(e) || e.repeat) return;
      if (e.altKey && !ctrl) {
        if (e.key === "ArrowLeft") return void (e.preventDefault(), h.prev());
        if (e.key === "ArrowRight") return void (e.preventDefault(), h.nextById());
        if (e.code === "KeyR") return void (e.preventDefault(), h.relate());
        return;
      }
      if (ctrl || e.altKey) return;
      if (e.key === "?") return void (e.preventDefault(), h.help());
      if ((e.key === "n" || e.key === "N") && !h.isLabelKey("n")) return void (e.preventDefault(), h.next());
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}

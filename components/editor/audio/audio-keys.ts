"use client";
// The audio editor's keyboard: playback (Space, arrows, Home/End, rate), Enter to mark a segment
// while listening, label hotkeys, undo/redo, delete, zoom and loop. Keys typed into a field
// (the transcription box) never reach here, nor does anything while a dialog is open.
import { useEffect, useRef } from "react";
import { isTyping } from "@/components/use-hotkey";

export const AUDIO_SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: "Space", action: "Play / pause" },
  { keys: "Enter", action: "While listening: start a segment, press again to end it" },
  { keys: "← / →", action: "Seek 1 s back / forward (Shift: 5 s)" },
  { keys: "Home / End", action: "Go to the start / end" },
  { keys: "L", action: "Loop the selected segment" },
  { keys: "[ / ]", action: "Slower / faster playback" },
  { keys: "+ / -", action: "Zoom in / out (also Ctrl+wheel)" },
  { keys: "0", action: "Fit the whole file" },
  { keys: "S", action: "Show / hide the spectrogram" },
  { keys: "Wheel / middle-drag", action: "Scroll the waveform" },
  { keys: "Drag", action: "Create a segment; drag a segment to move it, its edges to resize" },
  { keys: "Delete / Backspace", action: "Delete the selected segments" },
  { keys: "Ctrl+Z / Ctrl+Shift+Z", action: "Undo / redo" },
  { keys: "Shift+P", action: "Pre-label speech (Silero VAD, in this browser)" },
  { keys: "A / X", action: "Accept / reject the selected suggestions" },
  { keys: "Shift+A", action: "Accept every suggestion scoring at least the threshold" },
  { keys: "Shift+X", action: "Reject every suggestion" },
  { keys: "Escape", action: "Cancel the drag or recording, else clear the selection" },
];

export interface AudioKeyHandlers {
  toggle(): void;
  record(): void;
  seekBy(dt: number): void;
  seekTo(where: "start" | "end"): void;
  loop(): void;
  rate(dir: -1 | 1): void;
  zoom(factor: number): void;
  fit(): void;
  spectro(): void;
  label(key: string): boolean;
  remove(): void;
  undo(): void;
  redo(): void;
  escape(): void;
  /** Pre-labelling (optional: absent, the keys do nothing). */
  prelabel?(): void;
  acceptSelected?(): void;
  rejectSelected?(): void;
  acceptAbove?(): void;
  rejectAll?(): void;
}

export function useAudioKeys(h: AudioKeyHandlers, enabled: boolean, readOnly: boolean): void {
  const ref = useRef(h);
  useEffect(() => {
    ref.current = h;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e)) return;
      const k = ref.current;
      const ctrl = e.ctrlKey || e.metaKey;
      const used = () => e.preventDefault();
      if (ctrl && !e.altKey) {
        const key = e.key.toLowerCase();
        if (readOnly) return;
        if ((key === "z" && e.shiftKey) || key === "y") return void (used(), k.redo());
        if (key === "z") return void (used(), k.undo());
        return;
      }
      if (e.altKey) return; // Alt+arrows: previous/next task (the shell's)
      switch (e.key) {
        case " ":
          // A focused button would be "clicked" by Space too.
          return void (used(), e.repeat || k.toggle());
        case "Enter":
          if (readOnly || e.repeat) return;
          return void (used(), k.record());
        case "ArrowLeft":
          return void (used(), k.seekBy(e.shiftKey ? -5 : -1));
        case "ArrowRight":
          return void (used(), k.seekBy(e.shiftKey ? 5 : 1));
        case "Home":
          return void (used(), k.seekTo("start"));
        case "End":
          return void (used(), k.seekTo("end"));
        case "Escape":
          return void (used(), k.escape());
        case "+":
        case "=":
          return void (used(), k.zoom(1.5));
        case "-":
          return void (used(), k.zoom(1 / 1.5));
        case "[":
          return void (used(), k.rate(-1));
        case "]":
          return void (used(), k.rate(1));
        case "Delete":
        case "Backspace":
          if (readOnly) return;
          return void (used(), k.remove());
      }
      if (e.repeat) return;
      // Label hotkeys (digits in most schemas) before the letter keys below.
      if (!readOnly && k.label(e.key)) return void used();
      if (e.key === "0") return void (used(), k.fit());
      if (e.key === "l" || e.key === "L") return void (used(), k.loop());
      if (e.key === "s" || e.key === "S") return void (used(), k.spectro());
      if (readOnly) return;
      const pre = { P: k.prelabel, a: k.acceptSelected, x: k.rejectSelected, A: k.acceptAbove, X: k.rejectAll }[e.key];
      if (pre && (e.key === e.key.toLowerCase() || e.shiftKey)) return void (used(), pre());
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled, readOnly]);
}

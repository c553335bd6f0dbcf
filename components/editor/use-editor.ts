"use client";
// React's view of the framework-free Editor: components re-render when its version changes and
// read whatever they need from it during render (the editor caches its region list per change).
import { useSyncExternalStore } from "react";
import type { Editor } from "@/lib/annotation/editor";

/** The editor's version; re-renders the caller on every change (document, selection or UI). */
export function useEditorVersion(editor: Editor): number {
  return useSyncExternalStore(editor.subscribe, editor.getVersion, editor.getVersion);
}

/** Subscribes, then returns the editor itself, so callers write `const ed = useEditor(editor)`. */
export function useEditor(editor: Editor): Editor {
  useEditorVersion(editor);
  return editor;
}

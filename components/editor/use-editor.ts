"use client";
// React's view of the framework-free Editor. Panels subscribe to the narrowest value they need,
// so a tool's preview changing on every pointer move (a version bump) does not re-render the
// region list, and a document change re-renders only what reads the document.
import { useRef, useSyncExternalStore } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { Region } from "@/lib/annotation/regions";

/** The editor's version: re-renders the caller on every change (document, selection or UI). */
export function useEditorVersion(editor: Editor): number {
  return useSyncExternalStore(editor.subscribe, editor.getVersion, editor.getVersion);
}

/**
 * How a hook hears about changes. "now": inside the change (views that are the thing being
 * edited: the text view, the waveform). "after-paint": after the next frame is painted, for
 * panels beside a canvas: re-rendering a sidebar inside a click's handler delayed the canvas's
 * selection frame by tens of ms; the panel now shows it one frame later.
 */
export type Timing = "now" | "after-paint";

type Subscribe = (notify: () => void) => () => void;
const lazySubscribers = new WeakMap<Editor, Subscribe>();
function afterPaintSubscribe(editor: Editor): Subscribe {
  let sub = lazySubscribers.get(editor);
  if (!sub) {
    sub = (notify) => {
      let pending = false;
      let live = true;
      const run = () => {
        pending = false;
        if (live) notify();
      };
      const off = editor.subscribe(() => {
        if (pending) return;
        pending = true;
        if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(run, 0));
        else setTimeout(run, 0);
      });
      return () => {
        live = false;
        off();
      };
    };
    lazySubscribers.set(editor, sub); // one identity per editor: React would resubscribe otherwise
  }
  return sub;
}
const subscribeFor = (editor: Editor, timing: Timing): Subscribe => (timing === "now" ? editor.subscribe : afterPaintSubscribe(editor));

/**
 * A value read from the editor; re-renders only when it changes (Object.is). `read` must return
 * primitives or objects the editor caches (getRegions, selectedIds), never fresh arrays.
 */
export function useEditorValue<T>(editor: Editor, read: (e: Editor) => T, timing: Timing = "now"): T {
  const get = () => read(editor);
  return useSyncExternalStore(subscribeFor(editor, timing), get, get);
}

/**
 * The regions, bottom to top, for panels. The array is replaced on every document change
 * (regions, relations or classifications), so it doubles as the "document changed" signal.
 * While a gesture is open (a drag, a stroke) panels keep the value from its start and catch up
 * when it ends: re-rendering lists and counts over thousands of regions on every pointer move
 * would cost the canvas its frames. The canvas listens to the editor directly.
 */
export function useEditorRegions(editor: Editor, timing: Timing = "now"): readonly Region[] {
  const held = useRef<readonly Region[] | null>(null);
  const get = () => {
    if (editor.interaction !== null && held.current !== null) return held.current;
    return (held.current = editor.getRegions());
  };
  return useSyncExternalStore(subscribeFor(editor, timing), get, get);
}

/** The selected ids (a new Set whenever the selection changes). */
export function useEditorSelection(editor: Editor, timing: Timing = "now"): ReadonlySet<string> {
  return useEditorValue(editor, (e) => e.selectedIds, timing);
}

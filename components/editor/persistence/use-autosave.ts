"use client";
// The editor shell's handle on autosave: one Autosave per (editor, task, user), read through
// useSyncExternalStore so the save status re-renders only when it changes. Read-only views
// (reviewing someone else's work) never save.
import { useCallback, useEffect, useMemo, useSyncExternalStore } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { Autosave, type AutosaveSnapshot, type SubmitOptions } from "./autosave";
import { sharedDraftStore } from "./draft-store";
import type { EditTarget, Recovered, SaveState, SubmitResult } from "./types";

export interface UseAutosaveOptions {
  editor: Editor;
  taskId: number;
  userId: number;
  initial: Recovered;
  readOnly: boolean;
}

export interface UseAutosave {
  state: SaveState;
  target: EditTarget;
  submit(o: SubmitOptions): Promise<SubmitResult>;
  saveNow(): Promise<void>;
  resolveConflict(choice: "reload" | "keep-mine"): Promise<void>;
  /** "memory" when IndexedDB is unavailable (private mode): warn that a reload loses unsent work. */
  storage: AutosaveSnapshot["storage"];
}

export function useAutosave(opts: UseAutosaveOptions): UseAutosave {
  const { editor, taskId, userId, readOnly } = opts;
  // `initial` is read once per instance: the shell recovers before mounting the editor.
  const initial = opts.initial;
  const autosave = useMemo(
    () =>
      new Autosave({
        editor, taskId, userId, initial, readOnly,
        store: sharedDraftStore(),
        window: typeof window === "undefined" ? null : window,
        document: typeof document === "undefined" ? null : document,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new `initial` object alone must not restart saving
    [editor, taskId, userId, readOnly],
  );

  // start/dispose are restartable, so StrictMode's mount-unmount-mount is harmless; dispose
  // writes unsent edits to IndexedDB before letting go.
  useEffect(() => {
    autosave.start();
    return () => autosave.dispose();
  }, [autosave]);

  const snap = useSyncExternalStore(autosave.subscribe, autosave.getSnapshot, autosave.getSnapshot);
  const submit = useCallback((o: SubmitOptions) => autosave.submit(o), [autosave]);
  const saveNow = useCallback(() => autosave.saveNow(), [autosave]);
  const resolveConflict = useCallback((c: "reload" | "keep-mine") => autosave.resolveConflict(c), [autosave]);
  return { state: snap.state, target: snap.target, storage: snap.storage, submit, saveNow, resolveConflict };
}

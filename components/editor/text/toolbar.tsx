"use client";
// The strip above the text: undo/redo, word snapping, the active label and label-all, each with
// its shortcut. Pre-labelling has its own strip below (prelabel-bar.tsx).
import { useSyncExternalStore } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { PendingStore } from "./pending-store";
import { useEditorVersion } from "../use-editor";
import { cx, kbd } from "@/components/ui/styles";

const tb = "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

function Sep() {
  return <span aria-hidden className="mx-1 h-5 w-px bg-slate-200" />;
}

export interface TextToolbarProps {
  editor: Editor;
  readOnly: boolean;
  wordSnap: boolean;
  onToggleSnap(): void;
  pendingStore: PendingStore;
  onLabelAll(): void;
  onHelp(): void;
}

export function TextToolbar(p: TextToolbarProps) {
  useEditorVersion(p.editor);
  const pendingText = useSyncExternalStore(p.pendingStore.subscribe, p.pendingStore.get, p.pendingStore.get);
  const { editor, readOnly } = p;
  const armed = editor.currentLabel;
  const armedDef = armed ? editor.labelDef(armed) : undefined;
  const sel = editor.selectedIds.size === 1 ? editor.getRegion([...editor.selectedIds][0]!) : undefined;
  const canLabelAll = sel?.kind === "span" && !!sel.label;
  return (
    <div role="toolbar" aria-label="Text tools" className="relative z-10 flex h-11 shrink-0 items-center gap-1 overflow-x-auto border-b border-slate-200 bg-white px-2">
      <button type="button" className={tb} data-testid="undo" title="Undo (Ctrl+Z)" disabled={readOnly || !editor.canUndo()} onClick={() => editor.undo()}>
        ↶ <span className="hidden 2xl:inline">Undo</span>
      </button>
      <button type="button" className={tb} data-testid="redo" title="Redo (Ctrl+Shift+Z)" disabled={readOnly || !editor.canRedo()} onClick={() => editor.redo()}>
        ↷ <span className="hidden 2xl:inline">Redo</span>
      </button>
      <Sep />
      <button
        type="button"
        className={cx(tb, p.wordSnap && "bg-indigo-50 text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50")}
        data-testid="word-snap"
        aria-pressed={p.wordSnap}
        title="Snap selections to whole words (W)"
        onClick={p.onToggleSnap}
      >
        Snap to words <kbd className={kbd}>W</kbd>
      </button>
      <Sep />
      <span className="flex min-w-0 items-center gap-1.5 px-1 text-xs text-slate-600" data-testid="active-label">
        {readOnly ? (
          "Read-only"
        ) : pendingText !== null ? (
          <>
            <span className="font-medium text-indigo-700">Press a label key</span> to label “<span className="max-w-48 truncate">{pendingText}</span>”
          </>
        ) : armedDef ? (
          <>
            <span aria-hidden className="h-3 w-3 rounded-sm ring-1 ring-black/10" style={{ background: armedDef.color }} />
            Select text to label it <span className="font-semibold">{armedDef.name}</span> · <kbd className={kbd}>Esc</kbd> to stop
          </>
        ) : (
          "Select text, then press a label key — or press a label key first to keep labelling with it"
        )}
      </span>
      <span className="ml-auto" />
      {!readOnly && (
        <>
          <button type="button" className={tb} data-testid="label-all" title="Label every occurrence of the selected span’s text (L)" disabled={!canLabelAll} onClick={p.onLabelAll}>
            Label all occurrences <kbd className={kbd}>L</kbd>
          </button>
        </>
      )}
      <Sep />
      <button type="button" className={tb} data-testid="help" title="Keyboard shortcuts (?)" onClick={p.onHelp}>
        <kbd className={kbd}>?</kbd>
      </button>
    </div>
  );
}

export const TEXT_SHORTCUTS = [
  {
    title: "Spans",
    rows: [
      { keys: "Drag", action: "Select text: labelled at once with the active label, else press a label key" },
      { keys: "← / →", action: "Move the caret (Ctrl: by word); ↑ / ↓ by line" },
      { keys: "Shift+← / Shift+→", action: "Extend the selection (Ctrl+Shift: by word)" },
      { keys: "Click", action: "Select a span (click again: the span around it)" },
      { keys: "Shift+click", action: "Add a span to the selection (e.g. to relate two)" },
      { keys: "Tab / Shift+Tab", action: "Select the next / previous span" },
      { keys: "Del / Backspace", action: "Delete the selected spans" },
      { keys: "W", action: "Snap selections to whole words on/off" },
      { keys: "L", action: "Label all occurrences of the selected span’s text" },
      { keys: "P", action: "Pre-label from the project dictionary" },
      { keys: "M", action: "Pre-label with the project's token classifier (Settings → Models), when it has one" },
      { keys: "A", action: "Accept the selected predictions" },
      { keys: "Shift+A", action: "Accept every prediction scoring at least the threshold" },
      { keys: "Esc", action: "Clear the text selection, then the span selection, then the active label" },
      { keys: "Ctrl+Z / Ctrl+Shift+Z", action: "Undo / redo" },
    ],
  },
  {
    title: "Task",
    rows: [
      { keys: "Ctrl+Enter", action: "Submit (or update) the annotation" },
      { keys: "Ctrl+S", action: "Save the draft now" },
      { keys: "N", action: "Next task" },
      { keys: "Alt+← / Alt+→", action: "Previous / next task by id (managers and reviewers)" },
      { keys: "Alt+R", action: "Relate the two selected spans" },
      { keys: "?", action: "Show this list" },
    ],
  },
] as const;

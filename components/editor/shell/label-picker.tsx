"use client";
// The schema's labels with colour, hotkey and how many regions use each. Picking one sets the
// label new regions get and relabels the selection, exactly like pressing its hotkey.
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import { useEditorRegions, useEditorValue } from "../use-editor";
import { cx, kbd } from "@/components/ui/styles";
import { labelCounts } from "./region-sort";
import { useMemo } from "react";

const kbdOnDark = "inline-flex min-w-5 items-center justify-center rounded border border-slate-500 bg-slate-700 px-1 font-mono text-[11px] font-medium text-slate-100";

export function LabelPicker({
  editor, readOnly, onError, onPick,
}: {
  editor: Editor;
  readOnly: boolean;
  onError(message: string): void;
  /** An editor's own handling of a pick (e.g. label the selected text); true means handled. */
  onPick?(name: string): boolean;
}) {
  const regions = useEditorRegions(editor, "after-paint");
  const current = useEditorValue(editor, (e) => e.currentLabel);
  const labels = editor.rules.config.labels;
  const counts = useMemo(() => labelCounts(regions), [regions]);

  function pick(name: string) {
    try {
      if (onPick?.(name)) return;
      editor.setCurrentLabel(name);
      if (!readOnly && editor.selectedIds.size) {
        const changed = editor.setLabel([...editor.selectedIds], name);
        const skipped = editor.selectedIds.size - changed.length;
        if (skipped > 0 && changed.length === 0) onError(`"${name}" cannot be used for the selected region kind (or it is locked).`);
      }
    } catch (e) {
      onError(e instanceof EditorError ? e.message : String(e));
    }
  }

  if (labels.length === 0) return <p className="px-3 py-2 text-xs text-slate-500">This project has no labels yet. A manager can add them in the project settings.</p>;
  return (
    <ul className="flex flex-wrap gap-1.5 px-3 pb-3" aria-label="Labels">
      {labels.map((l) => (
        <li key={l.name}>
          <button
            type="button"
            data-testid={`label-${l.name}`}
            aria-pressed={current === l.name}
            aria-keyshortcuts={l.hotkey}
            title={l.description ?? `Use “${l.name}” for new regions${l.hotkey ? ` (${l.hotkey})` : ""}`}
            onClick={() => pick(l.name)}
            className={cx(
              "inline-flex max-w-full items-center gap-1.5 rounded-md border px-2 py-1 text-xs font-medium",
              current === l.name ? "border-slate-800 bg-slate-800 text-white" : "border-slate-200 bg-white text-slate-700 hover:border-slate-400",
            )}
          >
            <span aria-hidden className="h-3 w-3 shrink-0 rounded-sm ring-1 ring-black/10" style={{ background: l.color }} />
            <span className="truncate">{l.name}</span>
            {counts.get(l.name) ? <span className={cx("tabular-nums", current === l.name ? "text-slate-300" : "text-slate-400")}>{counts.get(l.name)}</span> : null}
            {l.hotkey && <kbd className={current === l.name ? kbdOnDark : kbd}>{l.hotkey}</kbd>}
          </button>
        </li>
      ))}
    </ul>
  );
}

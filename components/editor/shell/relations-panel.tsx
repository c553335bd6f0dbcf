"use client";
// Relations between regions: "Relate" links the two selected regions (first selected -> second),
// the list shows each link with a delete button; clicking one selects both ends.
import { useMemo } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import { useEditorRegions, useEditorSelection } from "../use-editor";
import { btn, kbd } from "@/components/ui/styles";
import { regionTitle } from "./region-sort";
import { XIcon } from "./icons";

/** Relate the two selected regions; returns a message when that is not possible. */
export function relateSelection(editor: Editor): string | null {
  const ids = [...editor.selectedIds];
  if (ids.length !== 2) return "Select exactly two regions to relate them (shift-click the second).";
  try {
    return editor.addRelation(ids[0]!, ids[1]!) ? null : "These two regions are already related.";
  } catch (e) {
    return e instanceof EditorError ? e.message : String(e);
  }
}

export function RelationsPanel({ editor, readOnly, onMessage }: { editor: Editor; readOnly: boolean; onMessage(message: string): void }) {
  const regions = useEditorRegions(editor, "after-paint");
  const selected = useEditorSelection(editor, "after-paint");
  const relations = editor.getRelations();
  const canRelate = !readOnly && selected.size === 2;
  // Rebuilt when the regions change, not on every selection change.
  const index = useMemo(() => new Map(regions.map((r, i) => [r.id, i])), [regions]);
  if (relations.length === 0 && readOnly) return null;
  const name = (id: string) => {
    const i = index.get(id);
    const r = i === undefined ? undefined : regions[i];
    return r && i !== undefined ? regionTitle(r, i) : id;
  };
  return (
    <section aria-labelledby="rel-h" className="border-b border-slate-200 px-3 py-3">
      <div className="mb-1 flex items-center">
        <h2 id="rel-h" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          Relations <span className="font-normal tabular-nums">{relations.length}</span>
        </h2>
        {!readOnly && (
          <button
            type="button"
            className={`${btn.small} ml-auto`}
            data-testid="relate"
            aria-keyshortcuts="Alt+R"
            title={canRelate ? "Relate the two selected regions (Alt+R)" : "Select two regions first (shift-click), then Relate (Alt+R)"}
            disabled={!canRelate}
            onClick={() => {
              const m = relateSelection(editor);
              if (m) onMessage(m);
            }}
          >
            Relate <kbd className={kbd}>Alt+R</kbd>
          </button>
        )}
      </div>
      {relations.length === 0 ? (
        <p className="text-xs text-slate-400">Select two regions and press Relate.</p>
      ) : (
        <ul className="max-h-40 space-y-0.5 overflow-y-auto" data-testid="relation-list">
          {relations.map((rel) => (
            <li key={`${rel.from}>${rel.to}>${rel.label ?? ""}`} className="group flex items-center gap-1 rounded px-1 text-xs hover:bg-slate-50" data-testid="relation-row">
              <button type="button" className="min-w-0 flex-1 truncate py-1 text-left text-slate-700" onClick={() => editor.select([rel.from, rel.to])}>
                {name(rel.from)} → {name(rel.to)}
                {rel.label && <span className="text-slate-400"> ({rel.label})</span>}
              </button>
              {!readOnly && (
                <button
                  type="button"
                  aria-label="Delete relation"
                  className="rounded p-1 text-slate-400 hover:bg-rose-100 hover:text-rose-700"
                  onClick={() => editor.removeRelation(rel.from, rel.to, rel.label)}
                >
                  <XIcon />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

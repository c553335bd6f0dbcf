"use client";
// Naming a relation: when the two selected spans are related, a field sets the arrow's label
// (remove + add as one undo step, since a relation's key includes its label).
import { useEffect, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import { useEditorRegions, useEditorSelection } from "../use-editor";

export function RelationLabel({ editor, readOnly, onError }: { editor: Editor; readOnly: boolean; onError(m: string): void }) {
  useEditorRegions(editor);
  const selected = useEditorSelection(editor);
  const ids = [...selected];
  const rel = ids.length === 2 ? editor.getRelations().find((r) => ids.includes(r.from) && ids.includes(r.to)) : undefined;
  const [draft, setDraft] = useState(rel?.label ?? "");
  useEffect(() => setDraft(rel?.label ?? ""), [rel?.from, rel?.to, rel?.label]);
  if (!rel || readOnly) return null;
  const commit = () => {
    const label = draft.trim().slice(0, 100);
    if (label === (rel.label ?? "")) return;
    try {
      editor.batch("relation label", () => {
        editor.removeRelation(rel.from, rel.to, rel.label);
        editor.addRelation(rel.from, rel.to, label || undefined);
      });
    } catch (e) {
      onError(e instanceof EditorError ? e.message : String(e));
    }
  };
  return (
    <label className="block border-b border-slate-200 px-3 py-2 text-xs text-slate-600">
      Relation label
      <input
        data-testid="relation-label"
        className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-xs text-slate-900 focus:border-indigo-500 focus:outline-none"
        value={draft}
        placeholder="e.g. works for"
        maxLength={100}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            commit();
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
    </label>
  );
}

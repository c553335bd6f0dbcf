"use client";
// Free-text answers about the whole document (schema `textFields`). Stored as
// classifications[name] = [text]; a field commits on blur, so one edit is one undo step.
import { useEffect, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import { useEditorRegions } from "../use-editor";

const area = "block w-full rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20 disabled:bg-slate-50";

export function TextFieldsPanel({ editor, readOnly, onError }: { editor: Editor; readOnly: boolean; onError(m: string): void }) {
  useEditorRegions(editor);
  const fields = editor.rules.config.textFields ?? [];
  if (fields.length === 0) return null;
  const values = editor.getClassifications();
  return (
    <section aria-labelledby="fields-h" className="border-b border-slate-200 px-3 py-3">
      <h2 id="fields-h" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Notes
      </h2>
      <div className="space-y-2">
        {fields.map((f) => (
          <Field key={f.name} name={f.name} required={!!f.required} max={f.maxLength ?? 10_000} placeholder={f.placeholder} value={values[f.name]?.[0] ?? ""} readOnly={readOnly}
            onCommit={(v) => {
              try {
                editor.setClassification(f.name, v ? [v] : []);
              } catch (e) {
                onError(e instanceof EditorError ? e.message : String(e));
              }
            }}
          />
        ))}
      </div>
    </section>
  );
}

function Field(p: { name: string; required: boolean; max: number; placeholder?: string; value: string; readOnly: boolean; onCommit(v: string): void }) {
  const [draft, setDraft] = useState(p.value);
  useEffect(() => setDraft(p.value), [p.value]); // undo/redo or a reload replaces it
  const missing = p.required && !p.value.trim();
  return (
    <label className="block text-xs text-slate-700" data-testid={`text-field-${p.name}`}>
      <span className="mb-1 block font-medium">
        {p.name}
        {p.required && <span className={missing ? "text-rose-600" : "text-slate-400"}> * required</span>}
      </span>
      <textarea
        className={area}
        rows={3}
        maxLength={p.max}
        placeholder={p.placeholder}
        value={draft}
        disabled={p.readOnly}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => draft !== p.value && p.onCommit(draft)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            setDraft(p.value);
            (e.target as HTMLTextAreaElement).blur();
          }
        }}
      />
    </label>
  );
}

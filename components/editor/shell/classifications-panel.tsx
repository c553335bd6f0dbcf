"use client";
// Image-level classifications from the schema: single choice behaves like radio buttons (click
// again to clear), multiple choice like checkboxes. Required ones are marked and block submit.
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import { useEditorRegions } from "../use-editor";
import { cx } from "@/components/ui/styles";

export function ClassificationsPanel({ editor, readOnly, onError, title = "Image" }: { editor: Editor; readOnly: boolean; onError(message: string): void; title?: string }) {
  useEditorRegions(editor, "after-paint"); // changes with every document change, classifications included
  const defs = editor.rules.config.classifications;
  if (defs.length === 0) return null;
  const values = editor.getClassifications();
  return (
    <section aria-labelledby="cls-h" className="border-b border-slate-200 px-3 py-3">
      <h2 id="cls-h" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        {title}
      </h2>
      <div className="space-y-2">
        {defs.map((c) => {
          const cur = values[c.name] ?? [];
          const missing = c.required && cur.length === 0;
          return (
            <fieldset key={c.name} data-testid={`classification-${c.name}`}>
              <legend className="mb-1 text-xs font-medium text-slate-700">
                {c.name}
                {c.required && <span className={missing ? "text-rose-600" : "text-slate-400"}> * required</span>}
                <span className="font-normal text-slate-400"> · {c.multiple ? "any number" : "one"}</span>
              </legend>
              <div className="flex flex-wrap gap-1" role={c.multiple ? "group" : "radiogroup"}>
                {c.choices.map((choice) => {
                  const on = cur.includes(choice);
                  return (
                    <button
                      key={choice}
                      type="button"
                      role={c.multiple ? "checkbox" : "radio"}
                      aria-checked={on}
                      data-testid={`choice-${c.name}-${choice}`}
                      disabled={readOnly}
                      onClick={() => {
                        try {
                          editor.toggleChoice(c.name, choice);
                        } catch (e) {
                          onError(e instanceof EditorError ? e.message : String(e));
                        }
                      }}
                      className={cx(
                        "rounded-full border px-2.5 py-0.5 text-xs disabled:cursor-not-allowed",
                        on ? "border-indigo-600 bg-indigo-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:border-slate-500",
                      )}
                    >
                      {choice}
                    </button>
                  );
                })}
              </div>
            </fieldset>
          );
        })}
      </div>
    </section>
  );
}

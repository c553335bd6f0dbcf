"use client";
// The label-mapping table of a model (Settings → Models): one row per model label with a select
// of the project's labels (or "classification:choice" targets for classifiers), "— ignore —"
// dropping the label. Used by the add-model form and the "Edit mapping" editor.
import type { LabelMap } from "@/lib/prelabel/byom/descriptor";
import { cx, inputInvalid, select } from "../ui/styles";
import { FieldError } from "../ui/notice";

export function LabelMapTable({
  labels, targets, map, onChange, classify, errorAt, className, ...rest
}: {
  labels: readonly string[];
  targets: readonly string[];
  map: LabelMap;
  onChange(next: (m: LabelMap) => LabelMap): void;
  classify: boolean;
  /** The server's message for `labelMap.<label>`, if any. */
  errorAt(path: string): string | undefined;
  className?: string;
  "data-testid"?: string;
  "aria-labelledby"?: string;
}) {
  return (
    <div className={cx("overflow-auto rounded-md border border-slate-200 bg-white", className)}>
      <table className="w-full text-sm" data-testid={rest["data-testid"]} aria-labelledby={rest["aria-labelledby"]}>
        <thead className="sticky top-0 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-3 py-1.5 font-medium">Model label</th>
            <th className="px-3 py-1.5 font-medium">Project {classify ? "choice" : "label"}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {labels.map((l, i) => {
            const e = errorAt(`labelMap.${l}`);
            return (
              <tr key={`${i}-${l}`} data-testid="model-map-row">
                <td className="px-3 py-1.5 font-mono text-xs text-slate-800">{l}</td>
                <td className="px-3 py-1.5">
                  <select
                    aria-label={`Project label for ${l}`}
                    className={cx(select, "w-full py-1", e && inputInvalid, !map[l] && "text-slate-400")}
                    value={map[l] ?? ""}
                    onChange={(ev) => onChange((m) => ({ ...m, [l]: ev.target.value || null }))}
                  >
                    <option value="">— ignore —</option>
                    {targets.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                  <FieldError message={e} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

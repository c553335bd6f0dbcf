"use client";
// Per-label attributes (e.g. "occluded: checkbox", "colour: select red, blue").
import { btn, checkbox, cx, input, inputInvalid, select } from "../ui/styles";
import { FieldError } from "../ui/notice";
import { PlusIcon, TrashIcon } from "../ui/icons";
import { ATTR_TYPES, newKey, type AttrDraft, type AttrType } from "./model";

export function AttributeList({
  labelName,
  value,
  onChange,
  err,
}: {
  labelName: string;
  value: AttrDraft[];
  onChange: (next: AttrDraft[]) => void;
  /** Error for a path below "labels.N.attributes" ("" for the list itself, ".0.name" for a field). */
  err: (path: string) => string | undefined;
}) {
  const set = (i: number, patch: Partial<AttrDraft>) => onChange(value.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <div className="mt-3">
      <div className="flex items-center justify-between">
        <span className="text-xs font-medium text-slate-600">Attributes {value.length > 0 && <span className="text-slate-400">({value.length})</span>}</span>
        <button
          type="button"
          className={btn.small}
          aria-label={`Add attribute to ${labelName}`}
          onClick={() => onChange([...value, { key: newKey(), name: "", type: "text", options: "", required: false, rest: {} }])}
        >
          <PlusIcon width={14} height={14} /> Attribute
        </button>
      </div>
      {value.length > 0 && (
        <ul className="mt-2 space-y-2 border-l-2 border-slate-200 pl-3">
          {value.map((a, i) => {
            const n = i + 1;
            const nameErr = err(`.${i}.name`);
            const optErr = err(`.${i}.options`);
            return (
              <li key={a.key} className="flex flex-wrap items-start gap-2">
                <div className="min-w-36 flex-1">
                  <input
                    aria-label={`Name of attribute ${n} of ${labelName}`}
                    placeholder="Attribute name"
                    value={a.name}
                    aria-invalid={!!nameErr}
                    onChange={(e) => set(i, { name: e.target.value })}
                    className={cx(input, "py-1.5", nameErr && inputInvalid)}
                  />
                  <FieldError message={nameErr} />
                </div>
                <select
                  aria-label={`Type of attribute ${n} of ${labelName}`}
                  value={a.type}
                  onChange={(e) => set(i, { type: e.target.value as AttrType })}
                  className={cx(select, "py-1.5")}
                >
                  {ATTR_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                {a.type === "select" && (
                  <div className="min-w-48 flex-[2]">
                    <input
                      aria-label={`Options of attribute ${n} of ${labelName}, separated by commas`}
                      placeholder="Options, separated by commas"
                      value={a.options}
                      aria-invalid={!!optErr}
                      onChange={(e) => set(i, { options: e.target.value })}
                      className={cx(input, "py-1.5", optErr && inputInvalid)}
                    />
                    <FieldError message={optErr} />
                  </div>
                )}
                <label className="inline-flex items-center gap-1.5 pt-1.5 text-sm text-slate-700">
                  <input type="checkbox" className={checkbox} checked={a.required} onChange={(e) => set(i, { required: e.target.checked })} />
                  Required
                </label>
                <button
                  type="button"
                  className={btn.ghost}
                  aria-label={`Remove attribute ${a.name || n} of ${labelName}`}
                  onClick={() => onChange(value.filter((_, j) => j !== i))}
                >
                  <TrashIcon width={16} height={16} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <FieldError message={value.some((_, i) => err(`.${i}.name`) || err(`.${i}.options`)) ? undefined : err("")} />
    </div>
  );
}

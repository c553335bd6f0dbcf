"use client";
// The visual label schema editor used by "New project" and "Settings". Controlled: the parent
// owns the draft and saves it; server errors (field "schema.labels.2.hotkey") show by the field.
import { KINDS_FOR, type DataType, type RegionKind } from "@/lib/labeling-config/schema";
import { errorFor, type ApiErrorBody } from "../ui/api";
import { btn, checkbox, cx, input, inputInvalid } from "../ui/styles";
import { FieldError } from "../ui/notice";
import { PlusIcon, TrashIcon } from "../ui/icons";
import { KIND_NAMES, newKey, newLabel, type ClassDraft, type LabelDraft, type SchemaDraft } from "./model";
import { AttributeList } from "./attribute-list";

export interface SchemaEditorProps {
  dataType: DataType;
  value: SchemaDraft;
  onChange: (next: SchemaDraft) => void;
  error?: ApiErrorBody | null;
  /** The prefix the server puts before schema paths ("schema" for both endpoints). */
  prefix?: string;
}

export function SchemaEditor({ dataType, value, onChange, error, prefix = "schema" }: SchemaEditorProps) {
  const kinds = KINDS_FOR[dataType];
  const err = (path: string) => errorFor(error, `${prefix}.${path}`);
  const setLabel = (i: number, patch: Partial<LabelDraft>) =>
    onChange({ ...value, labels: value.labels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const setClass = (i: number, patch: Partial<ClassDraft>) =>
    onChange({ ...value, classifications: value.classifications.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const toggle = (list: RegionKind[], k: RegionKind, on: boolean) => (on ? [...list.filter((x) => x !== k), k] : list.filter((x) => x !== k));

  return (
    <div className="space-y-8">
      <section aria-labelledby="labels-heading">
        <div className="mb-3 flex items-end justify-between gap-3">
          <div>
            <h3 id="labels-heading" className="text-sm font-semibold text-slate-900">
              Labels
            </h3>
            <p className="text-xs text-slate-500">
              What annotators draw or mark. The hotkey selects the label while labelling. Leave all kinds unticked to allow every tool.
            </p>
          </div>
          <button type="button" className={cx(btn.secondary, "shrink-0")} onClick={() => onChange({ ...value, labels: [...value.labels, newLabel(value.labels)] })}>
            <PlusIcon width={16} height={16} /> Add label
          </button>
        </div>
        {err("labels") && !value.labels.some((_, i) => err(`labels.${i}`)) && <FieldError message={err("labels")} />}
        {value.labels.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            No labels yet. Click <strong>Add label</strong> to define the first one (for example “Car” or “Person”).
          </p>
        ) : (
          <ol className="space-y-3">
            {value.labels.map((l, i) => {
              const n = i + 1;
              const nameErr = err(`labels.${i}.name`);
              const keyErr = err(`labels.${i}.hotkey`);
              const colorErr = err(`labels.${i}.color`);
              const kindsErr = err(`labels.${i}.kinds`);
              const otherErr = err(`labels.${i}`) && !nameErr && !keyErr && !colorErr && !kindsErr && !err(`labels.${i}.attributes`) ? err(`labels.${i}`) : undefined;
              return (
                <li key={l.key} className="rounded-lg border border-slate-200 bg-slate-50/60 p-3">
                  <div className="flex flex-wrap items-start gap-3">
                    <div>
                      <span aria-hidden="true" className="mb-0.5 block text-[11px] text-slate-500">Colour</span>
                      <input
                        type="color"
                        aria-label={`Colour of label ${n}`}
                        value={l.color}
                        onChange={(e) => setLabel(i, { color: e.target.value })}
                        className="h-9 w-11 cursor-pointer rounded border border-slate-300 bg-white p-0.5"
                      />
                    </div>
                    <div className="min-w-48 flex-1">
                      <span aria-hidden="true" className="mb-0.5 block text-[11px] text-slate-500">Name</span>
                      <input
                        aria-label={`Name of label ${n}`}
                        placeholder="Label name, e.g. Car"
                        value={l.name}
                        maxLength={100}
                        aria-invalid={!!nameErr}
                        onChange={(e) => setLabel(i, { name: e.target.value })}
                        className={cx(input, nameErr && inputInvalid)}
                      />
                      <FieldError message={nameErr} />
                    </div>
                    <div className="w-20">
                      <span aria-hidden="true" className="mb-0.5 block text-[11px] text-slate-500">Hotkey</span>
                      <div className="flex items-center gap-1.5">
                        <input
                          aria-label={`Hotkey of label ${n} (one letter or digit)`}
                          placeholder="Key"
                          value={l.hotkey}
                          maxLength={1}
                          aria-invalid={!!keyErr}
                          onChange={(e) => setLabel(i, { hotkey: e.target.value.slice(-1) })}
                          className={cx(input, "text-center font-mono", keyErr && inputInvalid)}
                        />
                      </div>
                    </div>
                    <button
                      type="button"
                      className={cx(btn.ghost, "mt-4")}
                      aria-label={`Remove label ${l.name || n}`}
                      title="Remove label"
                      onClick={() => onChange({ ...value, labels: value.labels.filter((_, j) => j !== i) })}
                    >
                      <TrashIcon width={18} height={18} />
                    </button>
                  </div>
                  <FieldError message={keyErr && `Hotkey: ${keyErr}`} />
                  <FieldError message={colorErr && `Colour: ${colorErr}`} />
                  <fieldset className="mt-3">
                    <legend className="mb-1 text-xs font-medium text-slate-600">Allowed kinds</legend>
                    <div className="flex flex-wrap gap-x-4 gap-y-1">
                      {kinds.map((k) => (
                        <label key={k} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
                          <input
                            type="checkbox"
                            className={checkbox}
                            checked={l.kinds.includes(k)}
                            onChange={(e) => setLabel(i, { kinds: toggle(l.kinds, k, e.target.checked) })}
                          />
                          {KIND_NAMES[k]}
                        </label>
                      ))}
                    </div>
                    <FieldError message={kindsErr} />
                  </fieldset>
                  <AttributeList
                    labelName={l.name || `label ${n}`}
                    value={l.attributes}
                    onChange={(attributes) => setLabel(i, { attributes })}
                    err={(path) => err(`labels.${i}.attributes${path}`)}
                  />
                  <FieldError message={otherErr} />
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <section aria-labelledby="cls-heading">
        <div className="mb-3 flex items-end justify-between gap-3">
          <div>
            <h3 id="cls-heading" className="text-sm font-semibold text-slate-900">
              Classifications
            </h3>
            <p className="text-xs text-slate-500">Questions about the whole item, e.g. “Weather: sunny, rainy, foggy”.</p>
          </div>
          <button
            type="button"
            className={cx(btn.secondary, "shrink-0")}
            onClick={() =>
              onChange({ ...value, classifications: [...value.classifications, { key: newKey(), name: "", choices: "", multiple: false, required: false }] })
            }
          >
            <PlusIcon width={16} height={16} /> Add classification
          </button>
        </div>
        {value.classifications.length === 0 ? (
          <p className="text-sm text-slate-500">No classifications. Add one to ask annotators a question about each item.</p>
        ) : (
          <ol className="space-y-2">
            {value.classifications.map((c, i) => {
              const n = i + 1;
              const nameErr = err(`classifications.${i}.name`);
              const choicesErr = err(`classifications.${i}.choices`);
              return (
                <li key={c.key} className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-slate-50/60 p-3">
                  <div className="min-w-40 flex-1">
                    <input
                      aria-label={`Name of classification ${n}`}
                      placeholder="Question, e.g. Weather"
                      value={c.name}
                      aria-invalid={!!nameErr}
                      onChange={(e) => setClass(i, { name: e.target.value })}
                      className={cx(input, nameErr && inputInvalid)}
                    />
                    <FieldError message={nameErr} />
                  </div>
                  <div className="min-w-56 flex-[2]">
                    <input
                      aria-label={`Choices of classification ${n}, separated by commas`}
                      placeholder="Choices, separated by commas"
                      value={c.choices}
                      aria-invalid={!!choicesErr}
                      onChange={(e) => setClass(i, { choices: e.target.value })}
                      className={cx(input, choicesErr && inputInvalid)}
                    />
                    <FieldError message={choicesErr} />
                  </div>
                  <label className="inline-flex items-center gap-1.5 pt-2 text-sm text-slate-700">
                    <input type="checkbox" className={checkbox} checked={c.multiple} onChange={(e) => setClass(i, { multiple: e.target.checked })} />
                    Multiple
                  </label>
                  <label className="inline-flex items-center gap-1.5 pt-2 text-sm text-slate-700">
                    <input type="checkbox" className={checkbox} checked={c.required} onChange={(e) => setClass(i, { required: e.target.checked })} />
                    Required
                  </label>
                  <button
                    type="button"
                    className={btn.ghost}
                    aria-label={`Remove classification ${c.name || n}`}
                    onClick={() => onChange({ ...value, classifications: value.classifications.filter((_, j) => j !== i) })}
                  >
                    <TrashIcon width={18} height={18} />
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">Tools</legend>
        <p className="mb-2 text-xs text-slate-500">The tools the editor offers. Leave all unticked to offer every tool for {dataType} projects.</p>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {kinds.map((k) => (
            <label key={k} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                className={checkbox}
                checked={value.tools.includes(k)}
                onChange={(e) => onChange({ ...value, tools: toggle(value.tools, k, e.target.checked) })}
              />
              {KIND_NAMES[k]}
            </label>
          ))}
        </div>
        <FieldError message={err("tools")} />
      </fieldset>
    </div>
  );
}

"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { DATA_TYPES, type DataType } from "@/lib/labeling-config/schema";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "./ui/api";
import { btn, card, cx, input, inputInvalid, labelText } from "./ui/styles";
import { FieldError, Notice } from "./ui/notice";
import { KindIcon } from "./ui/icons";
import { SchemaEditor } from "./schema-editor/schema-editor";
import { newLabel, toConfig, type SchemaDraft } from "./schema-editor/model";

const TYPE_HELP: Record<DataType, string> = {
  image: "Boxes, polygons, keypoints, masks",
  text: "Spans and classifications",
  audio: "Time segments",
  video: "Boxes and tracks over frames",
};

export function NewProjectForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [instructions, setInstructions] = useState("");
  const [dataType, setDataType] = useState<DataType>("image");
  const [schema, setSchema] = useState<SchemaDraft>(() => ({ labels: [newLabel([])], classifications: [], tools: [] }));
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await apiFetch<{ id: number }>("/api/v1/projects", {
      method: "POST",
      body: { name, dataType, description, instructions, schema: toConfig(schema, dataType) },
    });
    if (r.ok) {
      router.push(`/projects/${r.data.id}`);
      router.refresh();
      return;
    }
    setError(r.error);
    setBusy(false);
  }

  const nameErr = errorFor(error, "name");
  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate>
      {error && <Notice>{summary(error)}</Notice>}
      <section className={`${card} space-y-5 p-6`}>
        <h2 className="text-base font-semibold">Details</h2>
        <div>
          <label htmlFor="p-name" className={labelText}>
            Name
          </label>
          <input
            id="p-name"
            name="name"
            required
            maxLength={200}
            value={name}
            aria-invalid={!!nameErr}
            onChange={(e) => setName(e.target.value)}
            className={cx(input, "mt-1", nameErr && inputInvalid)}
            placeholder="e.g. Street scenes — vehicles"
          />
          <FieldError message={nameErr} />
        </div>
        <div>
          <label htmlFor="p-desc" className={labelText}>
            Description <span className="font-normal text-slate-400">(optional)</span>
          </label>
          <textarea
            id="p-desc"
            name="description"
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            className={cx(input, "mt-1")}
          />
          <FieldError message={errorFor(error, "description")} />
        </div>
        <fieldset>
          <legend className={labelText}>Data type</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-4">
            {DATA_TYPES.map((t) => (
              <label
                key={t}
                className={cx(
                  "flex cursor-pointer flex-col gap-1 rounded-lg border p-3 text-sm transition has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500",
                  dataType === t ? "border-indigo-500 bg-indigo-50/60 ring-1 ring-indigo-500" : "border-slate-200 hover:border-slate-300",
                )}
              >
                <input type="radio" name="dataType" value={t} checked={dataType === t} onChange={() => setDataType(t)} className="sr-only" />
                <span className="flex items-center gap-2 font-medium capitalize text-slate-900">
                  <KindIcon kind={t} width={18} height={18} className="text-indigo-600" />
                  {t}
                </span>
                <span className="text-xs text-slate-500">{TYPE_HELP[t]}</span>
              </label>
            ))}
          </div>
          <FieldError message={errorFor(error, "dataType")} />
        </fieldset>
        <div>
          <label htmlFor="p-instr" className={labelText}>
            Instructions <span className="font-normal text-slate-400">(shown to annotators)</span>
          </label>
          <textarea
            id="p-instr"
            name="instructions"
            rows={4}
            value={instructions}
            onChange={(e) => setInstructions(e.target.value)}
            className={cx(input, "mt-1")}
            placeholder="What to label, edge cases, when to skip…"
          />
          <FieldError message={errorFor(error, "instructions")} />
        </div>
      </section>

      <section className={`${card} p-6`}>
        <h2 className="mb-4 text-base font-semibold">Label schema</h2>
        <SchemaEditor dataType={dataType} value={schema} onChange={setSchema} error={error} />
      </section>

      <div className="flex justify-end gap-3">
        <button type="button" className={btn.secondary} onClick={() => router.push("/projects")}>
          Cancel
        </button>
        <button type="submit" className={btn.primary} disabled={busy}>
          {busy ? "Creating…" : "Create project"}
        </button>
      </div>
    </form>
  );
}

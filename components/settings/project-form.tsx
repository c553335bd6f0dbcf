"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, cx, input, inputInvalid, labelText } from "../ui/styles";
import { FieldError, Notice } from "../ui/notice";

export interface ProjectFields {
  name: string;
  description: string;
  instructions: string;
  overlap: number;
  /** The labelling queue's order (ADR 0017). */
  taskOrder: "id" | "least_confident";
}

export function ProjectForm({ projectId, initial }: { projectId: number; initial: ProjectFields }) {
  const router = useRouter();
  const [v, setV] = useState(initial);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ProjectFields>) => {
    setV({ ...v, ...patch });
    setSaved(false);
  };

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await apiFetch(`/api/v1/projects/${projectId}`, { method: "PATCH", body: { ...v, overlap: Number(v.overlap) } });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setSaved(true);
    router.refresh();
  }

  const field = (name: keyof ProjectFields) => errorFor(error, name);
  return (
    <form onSubmit={onSubmit} className={`${card} space-y-4 p-6`} noValidate>
      <h2 className="text-base font-semibold">General</h2>
      {error && !["name", "description", "instructions", "overlap", "taskOrder"].includes(error.field ?? "") && <Notice>{summary(error)}</Notice>}
      <div>
        <label htmlFor="s-name" className={labelText}>
          Name
        </label>
        <input id="s-name" name="name" value={v.name} onChange={(e) => set({ name: e.target.value })} maxLength={200} aria-invalid={!!field("name")} className={cx(input, "mt-1", field("name") && inputInvalid)} />
        <FieldError message={field("name")} />
      </div>
      <div>
        <label htmlFor="s-desc" className={labelText}>
          Description
        </label>
        <textarea id="s-desc" name="description" rows={2} value={v.description} onChange={(e) => set({ description: e.target.value })} className={cx(input, "mt-1", field("description") && inputInvalid)} />
        <FieldError message={field("description")} />
      </div>
      <div>
        <label htmlFor="s-instr" className={labelText}>
          Instructions
        </label>
        <textarea id="s-instr" name="instructions" rows={6} value={v.instructions} onChange={(e) => set({ instructions: e.target.value })} className={cx(input, "mt-1", field("instructions") && inputInvalid)} />
        <FieldError message={field("instructions")} />
      </div>
      <div>
        <label htmlFor="s-overlap" className={labelText}>
          Annotations per task (overlap)
        </label>
        <input
          id="s-overlap"
          name="overlap"
          type="number"
          min={1}
          max={100}
          value={v.overlap}
          onChange={(e) => set({ overlap: e.target.valueAsNumber || 1 })}
          aria-describedby="s-overlap-help"
          aria-invalid={!!field("overlap")}
          className={cx(input, "mt-1 max-w-28", field("overlap") && inputInvalid)}
        />
        <p id="s-overlap-help" className="mt-1 text-xs text-slate-500">
          How many different annotators must complete each task before it counts as completed.
        </p>
        <FieldError message={field("overlap")} />
      </div>
      <fieldset>
        <legend className={labelText}>Task order</legend>
        <div className="mt-2 space-y-2 text-sm text-slate-700">
          <label className="flex items-start gap-2">
            <input type="radio" name="taskOrder" className="mt-0.5 accent-indigo-600" checked={v.taskOrder === "id"} onChange={() => set({ taskOrder: "id" })} data-testid="task-order-id" />
            <span>
              <span className="font-medium text-slate-900">By task ID</span> <span className="text-slate-500">(default): annotators get tasks in the order they were imported.</span>
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="taskOrder" className="mt-0.5 accent-indigo-600" checked={v.taskOrder === "least_confident"} onChange={() => set({ taskOrder: "least_confident" })} data-testid="task-order-least-confident" />
            <span>
              <span className="font-medium text-slate-900">Least confident first</span>{" "}
              <span className="text-slate-500">(active learning): tasks whose predictions have the lowest score come first, then tasks without predictions. Pre-label the queue to get scores.</span>
            </span>
          </label>
        </div>
        <FieldError message={field("taskOrder")} />
      </fieldset>
      <div className="flex items-center justify-end gap-3">
        {saved && (
          <span role="status" className="text-sm text-emerald-700">
            Saved
          </span>
        )}
        <button type="submit" className={btn.primary} disabled={busy}>
          {busy ? "Saving…" : "Save changes"}
        </button>
      </div>
    </form>
  );
}

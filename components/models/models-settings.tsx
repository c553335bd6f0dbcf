"use client";
// Settings → Models: the project's bring-your-own models, "Add model" (upload + descriptor +
// label mapping), and per model: new version, edit the label mapping (a new version), the
// version history with downloads, delete. ADR 0015.
import { useCallback, useEffect, useState } from "react";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, cx, input } from "../ui/styles";
import { Pill } from "../ui/badges";
import { EmptyState } from "../ui/empty-state";
import { FieldError, Notice } from "../ui/notice";
import { formatBytes, formatDateTime } from "../ui/format";
import { PlusIcon } from "../ui/icons";
import { modelTag, type LabelMap, type ModelInfo, type ModelVersionInfo } from "@/lib/prelabel/byom/descriptor";
import { ModelForm, autoMap } from "./model-form";
import { LabelMapTable } from "./label-map-table";

const ChipIcon = () => (
  <svg width={22} height={22} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
    <rect x="5" y="5" width="14" height="14" rx="2" />
    <path d="M9 9h6v6H9zM9 2v3M15 2v3M9 19v3M15 19v3M2 9h3M2 15h3M19 9h3M19 15h3" />
  </svg>
);

const TASK_LABEL: Record<string, string> = { detect: "Detection", segment: "Segmentation", classify: "Classification", ner: "Named entities" };

function MappingEditor({ projectId, model, targets, onSaved, onCancel }: { projectId: number; model: ModelInfo; targets: string[]; onSaved: () => void; onCancel: () => void }) {
  const labels = model.latest.descriptor.labels;
  const [map, setMap] = useState<LabelMap>(() => autoMap(labels, targets, model.latest.labelMap));
  const [th, setTh] = useState(model.latest.descriptor.thresholds);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const boxes = model.task === "detect" || model.task === "segment";
  async function save() {
    setBusy(true);
    setError(null);
    const labelMap = Object.fromEntries(labels.map((l) => [l, map[l] ?? null]));
    const thresholdsChanged = th.conf !== model.latest.descriptor.thresholds.conf || th.iou !== model.latest.descriptor.thresholds.iou;
    const body = thresholdsChanged ? { labelMap, descriptor: { ...model.latest.descriptor, thresholds: th } } : { labelMap };
    const r = await apiFetch<ModelInfo>(`/api/v1/projects/${projectId}/models/${model.id}`, { method: "PATCH", body });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onSaved();
  }
  return (
    <div className="space-y-3 border-t border-slate-100 bg-slate-50/60 px-4 py-3" data-testid="model-mapping-editor" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <p className="text-xs text-slate-600">Saving a changed mapping or threshold creates version {model.latest.version + 1} (same file), so earlier predictions stay reproducible.</p>
      <div className="flex flex-wrap items-end gap-3 text-xs">
        <label className="block font-medium text-slate-700">
          {model.task === "classify" ? "Minimum class score" : model.task === "ner" ? "Minimum entity score" : "Score threshold"}
          <input type="number" step="0.05" min={0} max={1} className={cx(input, "mt-1 w-28")} value={th.conf} data-testid="model-edit-conf" onChange={(e) => setTh({ ...th, conf: Number(e.target.value) })} />
        </label>
        {boxes && (
          <label className="block font-medium text-slate-700">
            NMS IoU
            <input type="number" step="0.05" min={0} max={1} className={cx(input, "mt-1 w-28")} value={th.iou} data-testid="model-edit-iou" onChange={(e) => setTh({ ...th, iou: Number(e.target.value) })} />
          </label>
        )}
        <FieldError message={errorFor(error, "descriptor.thresholds.conf") ?? errorFor(error, "descriptor.thresholds.iou") ?? errorFor(error, "descriptor.thresholds")} />
      </div>
      <LabelMapTable labels={labels} targets={targets} map={map} onChange={setMap} classify={model.task === "classify"} errorAt={(path) => errorFor(error, path)} className="max-h-72" />
      {error && <Notice>{summary(error)}</Notice>}
      <div className="flex gap-2">
        <button type="button" className={btn.primary} disabled={busy} onClick={() => void save()} data-testid="model-mapping-save">
          {busy ? "Saving…" : "Save as a new version"}
        </button>
        <button type="button" className={btn.secondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function Versions({ projectId, model }: { projectId: number; model: ModelInfo }) {
  const [items, setItems] = useState<ModelVersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const versionCount = model.versionCount;
  useEffect(() => {
    let live = true;
    void apiFetch<{ items: ModelVersionInfo[] }>(`/api/v1/projects/${projectId}/models/${model.id}/versions`).then((r) => {
      if (!live) return;
      if (r.ok) setItems(r.data.items);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [projectId, model.id, versionCount]);
  if (error) return <Notice className="mx-4 mb-3">{error}</Notice>;
  if (!items) return <p className="px-4 pb-3 text-xs text-slate-500">Loading versions…</p>;
  return (
    <div className="border-t border-slate-100 px-4 py-3">
      <table className="w-full text-sm" data-testid="model-versions">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Version</th>
            <th className="py-1 pr-3 font-medium">File</th>
            <th className="py-1 pr-3 font-medium">Mapped</th>
            <th className="py-1 pr-3 font-medium">Created</th>
            <th className="py-1 font-medium">
              <span className="sr-only">Download</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {items.map((v) => (
            <tr key={v.id}>
              <td className="py-1.5 pr-3 font-mono text-xs">{modelTag(model, v)}</td>
              <td className="py-1.5 pr-3 text-xs text-slate-600">
                <span className="font-mono" title={v.sha256}>
                  {v.sha256.slice(0, 10)}
                </span>{" "}
                · {formatBytes(v.size)}
              </td>
              <td className="py-1.5 pr-3 text-xs text-slate-600">
                {Object.values(v.labelMap).filter(Boolean).length} of {v.descriptor.labels.length}
              </td>
              <td className="py-1.5 pr-3 text-xs text-slate-600">{formatDateTime(v.createdAt)}</td>
              <td className="py-1.5 text-right">
                <a className="text-xs font-medium text-indigo-600 hover:underline" href={v.files.model} download>
                  Download .onnx
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ModelsSettings({ projectId, initial, targets }: { projectId: number; initial: ModelInfo[]; targets: { labels: string[]; choices: string[] } }) {
  const [models, setModels] = useState(initial);
  const [adding, setAdding] = useState(false);
  const [panel, setPanel] = useState<{ id: number; kind: "mapping" | "versions" | "version" } | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const base = `/api/v1/projects/${projectId}/models`;

  const refresh = useCallback(async () => {
    const r = await apiFetch<{ items: ModelInfo[] }>(base);
    if (r.ok) setModels(r.data.items);
  }, [base]);

  async function remove(m: ModelInfo) {
    if (!window.confirm(`Delete the model ${m.name} and its ${m.versionCount} version(s)? Predictions already made stay.`)) return;
    setRowError(null);
    const r = await apiFetch(`${base}/${m.id}`, { method: "DELETE" });
    if (!r.ok) setRowError({ id: m.id, message: r.error.message });
    await refresh();
  }

  const toggle = (id: number, kind: "mapping" | "versions" | "version") => setPanel((p) => (p?.id === id && p.kind === kind ? null : { id, kind }));
  const addButton = (
    <button type="button" className={btn.primary} onClick={() => (setAdding(true), setSaved(null))} data-testid="model-add">
      <PlusIcon width={16} height={16} /> Add model
    </button>
  );

  return (
    <section className={`${card} space-y-4 p-6`} aria-labelledby="models-h" data-testid="models-settings">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="models-h" className="text-base font-semibold">
            Models
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Bring your own ONNX model to pre-label tasks in the annotator&apos;s browser. Predictions show up as suggestions tagged with the model&apos;s name and version.
          </p>
        </div>
        {!adding && models.length > 0 && addButton}
      </div>

      {saved && <Notice tone="success">{saved}</Notice>}

      {adding && (
        <ModelForm
          projectId={projectId}
          targets={targets}
          onCancel={() => setAdding(false)}
          onSaved={(m) => {
            setAdding(false);
            setSaved(`Saved ${modelTag(m, m.latest)}.`);
            void refresh();
          }}
        />
      )}

      {models.length === 0 && !adding ? (
        <EmptyState icon={<ChipIcon />} title="No models yet" action={addButton}>
          Upload an .onnx export: Ultralytics YOLO detection, segmentation or classification for image projects, or a Hugging Face token classifier (with tokenizer.json and
          config.json) for text projects. Loupe reads the shapes and class names from the file; you map the classes to this project&apos;s labels.
        </EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="model-list">
          {models.map((m) => {
            const mapped = Object.values(m.latest.labelMap).filter(Boolean).length;
            const open = panel?.id === m.id ? panel.kind : null;
            return (
              <li key={m.id} className="overflow-hidden rounded-lg border border-slate-200 bg-white" data-testid="model-item">
                <div className="flex flex-wrap items-start gap-3 px-4 py-3">
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-slate-900" data-testid="model-item-name">
                        {m.name}
                      </span>
                      <Pill tone="indigo">{TASK_LABEL[m.task] ?? m.task}</Pill>
                      <Pill>v{m.latest.version}</Pill>
                    </div>
                    <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
                      <span>{m.latest.descriptor.output.format}</span>
                      {m.latest.descriptor.input && <span>{m.latest.descriptor.input.size.join("×")} input</span>}
                      <span>{formatBytes(m.latest.size)}</span>
                      <span data-testid="model-item-mapped">
                        {mapped} of {m.latest.descriptor.labels.length} labels mapped
                      </span>
                      <span>
                        {m.versionCount} version{m.versionCount === 1 ? "" : "s"} · updated {formatDateTime(m.latest.createdAt)}
                      </span>
                    </div>
                  </div>
                  <div className="flex shrink-0 flex-wrap items-center gap-1.5">
                    <button type="button" className={btn.small} aria-expanded={open === "mapping"} onClick={() => toggle(m.id, "mapping")}>
                      Edit mapping &amp; thresholds
                    </button>
                    <button type="button" className={btn.small} aria-expanded={open === "version"} onClick={() => toggle(m.id, "version")}>
                      New version
                    </button>
                    <button type="button" className={btn.small} aria-expanded={open === "versions"} onClick={() => toggle(m.id, "versions")}>
                      Versions
                    </button>
                    <button type="button" className={btn.smallDanger} onClick={() => void remove(m)} aria-label={`Delete model ${m.name}`}>
                      Delete
                    </button>
                  </div>
                </div>
                {rowError?.id === m.id && (
                  <p role="alert" className="px-4 pb-2 text-xs text-rose-700">
                    {rowError.message}
                  </p>
                )}
                {open === "mapping" && (
                  <MappingEditor
                    projectId={projectId}
                    model={m}
                    targets={m.task === "classify" ? targets.choices : targets.labels}
                    onCancel={() => setPanel(null)}
                    onSaved={() => {
                      setPanel(null);
                      void refresh();
                    }}
                  />
                )}
                {open === "versions" && <Versions projectId={projectId} model={m} />}
                {open === "version" && (
                  <div className="border-t border-slate-100 p-3">
                    <ModelForm
                      projectId={projectId}
                      targets={targets}
                      existing={m}
                      onCancel={() => setPanel(null)}
                      onSaved={(x) => {
                        setPanel(null);
                        setSaved(`Saved ${modelTag(x, x.latest)}.`);
                        void refresh();
                      }}
                    />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

"use client";
// Upload an .onnx file (XHR progress), read what the server found in it (signature + prefilled
// descriptor), let the manager correct the descriptor and map the model's labels to the
// project's, then save: a new model, or a new version of an existing one. Errors from the API
// (422 with a field) are shown next to the control they name.
import { useMemo, useRef, useState } from "react";
import { LabelMapTable } from "./label-map-table";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, labelText, select } from "../ui/styles";
import { FieldError, Notice } from "../ui/notice";
import { ProgressBar } from "../ui/progress";
import { formatBytes } from "../ui/format";
import { OUTPUT_FORMATS, type DescriptorInput, type LabelMap, type ModelInfo, type OutputFormat } from "@/lib/prelabel/byom/descriptor";
import { formatDims } from "@/lib/prelabel/byom/onnx-info";
import { autoMap, prefillDescriptor, type ModelSignature, type Prefill } from "@/lib/prelabel/byom/prefill";

export { autoMap };
import { uploadRaw } from "./upload";

export interface UploadOut {
  uploadId: string;
  sha256: string;
  size: number;
  signature?: ModelSignature & { irVersion: number; opset: number | null; producer: string; producerVersion: string };
  prefill?: Prefill;
  labels?: string[] | null;
}

const FORMAT_HELP: Record<OutputFormat, string> = {
  yolov8: "YOLOv8/11 detection [1, 4+classes, N]",
  yolov5: "YOLOv5 detection [1, N, 5+classes]",
  "yolo-e2e": "YOLO end-to-end (nms=True, v10) [1, N, 6]",
  "yolov8-seg": "YOLOv8/11 segmentation + prototypes",
  probs: "Image classification [1, classes]",
  "token-logits": "Token classification (NER) [1, tokens, labels]",
};
const TASK_OF: Record<OutputFormat, DescriptorInput["task"]> = {
  yolov8: "detect", yolov5: "detect", "yolo-e2e": "detect", "yolov8-seg": "segment", probs: "classify", "token-logits": "ner",
};

function Field({ id, label, error, children, hint }: { id: string; label: string; error?: string; hint?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className={labelText}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
      {hint && !error && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      <FieldError message={error} />
    </div>
  );
}

function FilePicker({ id, label, accept, busy, onFile, testid }: { id: string; label: string; accept: string; busy?: boolean; onFile: (f: File) => void; testid?: string }) {
  return (
    <label htmlFor={id} className={cx(btn.secondary, "cursor-pointer focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-indigo-600", busy && "pointer-events-none opacity-50")}>
      {label}
      <input
        id={id}
        type="file"
        accept={accept}
        className="sr-only"
        data-testid={testid}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (f) onFile(f);
        }}
      />
    </label>
  );
}

export function ModelForm({
  projectId,
  targets,
  existing,
  onSaved,
  onCancel,
}: {
  projectId: number;
  /** Project labels, or "classification:choice" strings for classify models. */
  targets: { labels: string[]; choices: string[] };
  /** Set for "new version": the model whose latest descriptor / label map seed the form. */
  existing?: ModelInfo;
  onSaved: (m: ModelInfo) => void;
  onCancel: () => void;
}) {
  const base = `/api/v1/projects/${projectId}/models`;
  const [name, setName] = useState(existing?.name ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [uploaded, setUploaded] = useState<UploadOut | null>(null);
  const [desc, setDesc] = useState<DescriptorInput | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [labelsText, setLabelsText] = useState("");
  const [map, setMap] = useState<LabelMap>({});
  const [tokenizer, setTokenizer] = useState<UploadOut | null>(null);
  const [config, setConfig] = useState<UploadOut | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const labels = useMemo(() => labelsText.split("\n").map((s) => s.trim()).filter(Boolean), [labelsText]);
  const task = desc ? TASK_OF[desc.output.format] : null;
  const targetList = task === "classify" ? targets.choices : targets.labels;

  function applyPrefill(p: Prefill, prev?: LabelMap) {
    setDesc(p.descriptor);
    setWarnings(p.warnings);
    setLabelsText(p.descriptor.labels.join("\n"));
    const t = TASK_OF[p.descriptor.output.format] === "classify" ? targets.choices : targets.labels;
    setMap(autoMap(p.descriptor.labels, t, prev));
  }

  async function pickModel(f: File) {
    setFile(f);
    setError(null);
    setUploaded(null);
    setDesc(null);
    setProgress({ loaded: 0, total: f.size });
    const ctl = new AbortController();
    abort.current = ctl;
    const r = await uploadRaw<UploadOut>(`${base}/uploads?kind=model`, f, (loaded, total) => setProgress({ loaded, total }), ctl.signal);
    abort.current = null;
    setProgress(null);
    if (!r.ok) return setError({ ...r.error, field: "file" });
    setUploaded(r.data);
    if (!name) setName(f.name.replace(/\.onnx$/i, "").slice(0, 200));
    if (r.data.prefill) {
      if (existing) {
        // A new file for an existing model: keep what the manager set where the model agrees.
        const old = existing.latest.descriptor;
        const p = r.data.prefill;
        const sameFormat = old.output.format === p.descriptor.output.format;
        applyPrefill(sameFormat ? { ...p, descriptor: { ...p.descriptor, thresholds: old.thresholds, ...(old.input && p.descriptor.input ? { input: { ...old.input, name: p.descriptor.input.name, size: p.descriptor.input.size } } : {}) } } : p, existing.latest.labelMap);
      } else applyPrefill(r.data.prefill);
    }
  }

  async function pickJson(kind: "tokenizer" | "config", f: File) {
    setError(null);
    const r = await uploadRaw<UploadOut>(`${base}/uploads?kind=${kind}`, f, () => undefined);
    if (!r.ok) return setError({ ...r.error, field: `${kind}UploadId` });
    if (kind === "tokenizer") setTokenizer(r.data);
    else {
      setConfig(r.data);
      if (r.data.labels && uploaded?.signature && desc) {
        const p = prefillDescriptor(uploaded.signature, { config: { id2label: Object.fromEntries(r.data.labels.map((l, i) => [String(i), l])) } });
        setLabelsText(p.descriptor.labels.join("\n"));
        setMap(autoMap(p.descriptor.labels, targets.labels));
      }
    }
  }

  function setLabelList(text: string) {
    setLabelsText(text);
    const ls = text.split("\n").map((s) => s.trim()).filter(Boolean);
    setMap((m) => autoMap(ls, targetList, m));
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (!uploaded || !desc) return;
    setBusy(true);
    setError(null);
    const descriptor = { ...desc, task: TASK_OF[desc.output.format], labels };
    const labelMap = Object.fromEntries(labels.map((l) => [l, map[l] ?? null]));
    const extra = { ...(tokenizer ? { tokenizerUploadId: tokenizer.uploadId } : {}), ...(config ? { configUploadId: config.uploadId } : {}) };
    const r = existing
      ? await apiFetch<ModelInfo>(`${base}/${existing.id}/versions`, { method: "POST", body: { uploadId: uploaded.uploadId, descriptor, labelMap, ...extra } })
      : await apiFetch<ModelInfo>(base, { method: "POST", body: { name, uploadId: uploaded.uploadId, descriptor, labelMap, ...extra } });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onSaved(r.data);
  }

  const upd = (patch: Partial<DescriptorInput>) => setDesc((d) => (d ? { ...d, ...patch } : d));
  const updInput = (patch: Partial<NonNullable<DescriptorInput["input"]>>) => setDesc((d) => (d?.input ? { ...d, input: { ...d.input, ...patch } } : d));
  const err = (f: string) => errorFor(error, f);
  const known = ["file", "name", "descriptor", "labelMap", "tokenizerUploadId", "configUploadId", "uploadId"];
  const other = error && !known.some((f) => errorFor(error, f));
  const sig = uploaded?.signature;

  return (
    <form
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          abort.current?.abort();
          onCancel();
        }
      }}
      noValidate
      className={cx(card, "space-y-5 border-indigo-200 p-4 ring-1 ring-indigo-100")} aria-labelledby="model-form-h" data-testid="model-form">
      <div className="flex items-start justify-between gap-3">
        <h3 id="model-form-h" className="text-sm font-semibold text-slate-900">
          {existing ? `New version of ${existing.name}` : "Add a model"}
        </h3>
        <span className="text-xs text-slate-500">
          <kbd className="rounded border border-slate-300 bg-slate-50 px-1 font-mono text-[11px]">Esc</kbd> cancel
        </span>
      </div>

      <div>
        <div className="flex flex-wrap items-center gap-3">
          <FilePicker id="model-file" label={file ? "Choose another .onnx file" : "Choose an .onnx file"} accept=".onnx,application/octet-stream" busy={!!progress} onFile={(f) => void pickModel(f)} testid="model-file" />
          {file && (
            <span className="text-sm text-slate-600">
              {file.name} · {formatBytes(file.size)}
            </span>
          )}
          {progress && (
            <button type="button" className={btn.small} onClick={() => abort.current?.abort()}>
              Cancel upload
            </button>
          )}
        </div>
        {progress && (
          <div className="mt-3 space-y-1" data-testid="model-upload-progress">
            <ProgressBar value={progress.loaded} max={progress.total || 1} label="Uploading the model" />
            <p className="text-xs text-slate-500">
              {progress.loaded >= progress.total ? "Checking the model…" : `Uploading ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`}
            </p>
          </div>
        )}
        {!file && <p className="mt-2 text-xs text-slate-500">Ultralytics YOLO exports (detect, segment, classify) or a Hugging Face token-classification export. Shapes and class names are read from the file.</p>}
        <FieldError message={err("file") ?? err("uploadId")} />
      </div>

      {sig && desc && (
        <>
          <div className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600" data-testid="model-signature">
            <span className="font-medium text-slate-700">Read from the model:</span> {sig.producer || "unknown producer"} {sig.producerVersion} · IR {sig.irVersion} · opset {sig.opset ?? "?"} · inputs{" "}
            {sig.inputs.map((i) => `${i.name} ${formatDims(i.dims)}`).join(", ")} · outputs {sig.outputs.map((o) => `${o.name} ${formatDims(o.dims)}`).join(", ")}
          </div>
          {warnings.length > 0 && (
            <Notice tone="warning">
              <ul className="list-disc pl-4">
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </Notice>
          )}

          <div className="grid gap-4 sm:grid-cols-2">
            {!existing && (
              <Field id="model-name" label="Name" error={err("name")} hint="Predictions are tagged name@version.">
                <input id="model-name" className={cx(input, err("name") && inputInvalid)} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required data-testid="model-name" />
              </Field>
            )}
            <Field id="model-format" label="Output format" error={err("descriptor.output.format") ?? err("descriptor.task")}>
              <select
                id="model-format"
                className={cx(select, "w-full")}
                value={desc.output.format}
                onChange={(e) => {
                  const format = e.target.value as OutputFormat;
                  upd({ task: TASK_OF[format], output: { ...desc.output, format } });
                  setMap((m) => autoMap(labels, TASK_OF[format] === "classify" ? targets.choices : targets.labels, m));
                }}
              >
                {OUTPUT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_HELP[f]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="model-outputs" label="Output tensor names" error={err("descriptor.output.names")} hint="Comma-separated: detections first, then prototypes for segmentation.">
              <input
                id="model-outputs"
                className={cx(input, "font-mono", err("descriptor.output.names") && inputInvalid)}
                value={desc.output.names.join(", ")}
                onChange={(e) => upd({ output: { ...desc.output, names: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) } })}
              />
            </Field>
            {desc.input && (
              <>
                <Field id="model-input" label="Image input name" error={err("descriptor.input.name")}>
                  <input id="model-input" className={cx(input, "font-mono", err("descriptor.input.name") && inputInvalid)} value={desc.input.name} onChange={(e) => updInput({ name: e.target.value })} />
                </Field>
                <Field id="model-size-h" label="Input size (height × width)" error={err("descriptor.input.size")}>
                  <div className="flex items-center gap-2">
                    <input
                      id="model-size-h"
                      type="number"
                      aria-label="Input height"
                      className={cx(input, err("descriptor.input.size") && inputInvalid)}
                      value={desc.input.size[0]}
                      onChange={(e) => updInput({ size: [Number(e.target.value), desc.input!.size[1]] })}
                      data-testid="model-size-h"
                    />
                    <span aria-hidden>×</span>
                    <input
                      type="number"
                      aria-label="Input width"
                      className={cx(input, err("descriptor.input.size") && inputInvalid)}
                      value={desc.input.size[1]}
                      onChange={(e) => updInput({ size: [desc.input!.size[0], Number(e.target.value)] })}
                      data-testid="model-size-w"
                    />
                  </div>
                </Field>
                <Field id="model-layout" label="Layout · colour · resize" error={err("descriptor.input.layout") ?? err("descriptor.input.color") ?? err("descriptor.input.resize")}>
                  <div className="flex gap-2">
                    <select id="model-layout" aria-label="Layout" className={select} value={desc.input.layout ?? "NCHW"} onChange={(e) => updInput({ layout: e.target.value as "NCHW" | "NHWC" })}>
                      <option>NCHW</option>
                      <option>NHWC</option>
                    </select>
                    <select aria-label="Colour order" className={select} value={desc.input.color ?? "RGB"} onChange={(e) => updInput({ color: e.target.value as "RGB" | "BGR" })}>
                      <option>RGB</option>
                      <option>BGR</option>
                    </select>
                    <select aria-label="Resize" className={select} value={desc.input.resize ?? "letterbox"} onChange={(e) => updInput({ resize: e.target.value as "letterbox" | "stretch" })}>
                      <option value="letterbox">letterbox</option>
                      <option value="stretch">stretch</option>
                    </select>
                  </div>
                </Field>
              </>
            )}
            {desc.text && (
              <>
                <Field id="model-maxlen" label="Max tokens per window" error={err("descriptor.text.maxLength")}>
                  <input id="model-maxlen" type="number" className={input} value={desc.text.maxLength ?? 512} onChange={(e) => upd({ text: { ...desc.text, maxLength: Number(e.target.value) } })} />
                </Field>
                <div className="flex items-end gap-2 pb-2">
                  <input id="model-tti" type="checkbox" className={checkbox} checked={!!desc.text.tokenTypeIds} onChange={(e) => upd({ text: { ...desc.text, tokenTypeIds: e.target.checked } })} />
                  <label htmlFor="model-tti" className="text-sm text-slate-700">
                    Model takes token_type_ids
                  </label>
                  <FieldError message={err("descriptor.text")} />
                </div>
              </>
            )}
            {task !== "ner" && task !== "classify" && (
              <Field id="model-conf" label="Score threshold · NMS IoU" error={err("descriptor.thresholds")}>
                <div className="flex gap-2">
                  <input id="model-conf" type="number" step="0.05" min={0} max={1} aria-label="Score threshold" className={input} value={desc.thresholds?.conf ?? 0.25} onChange={(e) => upd({ thresholds: { ...desc.thresholds, conf: Number(e.target.value) } })} />
                  <input type="number" step="0.05" min={0} max={1} aria-label="NMS IoU threshold" className={input} value={desc.thresholds?.iou ?? 0.45} onChange={(e) => upd({ thresholds: { ...desc.thresholds, iou: Number(e.target.value) } })} />
                </div>
              </Field>
            )}
          </div>

          {task === "ner" && (
            <div className="flex flex-wrap items-center gap-3">
              <FilePicker id="model-tokenizer" label={tokenizer ? "tokenizer.json ✓" : "Add tokenizer.json"} accept=".json,application/json" onFile={(f) => void pickJson("tokenizer", f)} />
              <FilePicker id="model-config" label={config ? "config.json ✓" : "Add config.json"} accept=".json,application/json" onFile={(f) => void pickJson("config", f)} />
              <span className="text-xs text-slate-500">Both come from the Hugging Face export folder; config.json names the labels (id2label).</span>
              <FieldError message={err("tokenizerUploadId") ?? err("configUploadId")} />
            </div>
          )}

          <div className="grid gap-4 md:grid-cols-[minmax(0,14rem)_1fr]">
            <Field id="model-labels" label={`Model labels (${labels.length})`} error={err("descriptor.labels")} hint="One per line, in class-id order.">
              <textarea
                id="model-labels"
                rows={Math.min(12, Math.max(4, labels.length + 1))}
                className={cx(input, "font-mono text-xs", err("descriptor.labels") && inputInvalid)}
                value={labelsText}
                onChange={(e) => setLabelList(e.target.value)}
                data-testid="model-labels"
              />
            </Field>
            <div>
              <p className={labelText} id="model-map-h">
                Label mapping
              </p>
              <p className="mt-0.5 text-xs text-slate-500">
                {task === "classify" ? "Each class sets a choice of a project classification." : "Each model label becomes a project label; ignored labels are dropped."} Matched by name where possible.
              </p>
              {targetList.length === 0 && (
                <Notice tone="warning" className="mt-2">
                  {task === "classify" ? "This project has no classifications: add one in the labelling schema above to map classes." : "This project has no labels yet: add them in the labelling schema above."}
                </Notice>
              )}
              <LabelMapTable labels={labels} targets={targetList} map={map} onChange={setMap} classify={task === "classify"} errorAt={err} className="mt-2 max-h-80" data-testid="model-map" aria-labelledby="model-map-h" />
            </div>
          </div>
        </>
      )}

      {other && <Notice>{summary(error!)}</Notice>}
      {error && !other && !errorFor(error, "file") && <Notice>{summary(error)}</Notice>}

      <div className="flex items-center gap-2">
        <button type="submit" className={btn.primary} disabled={busy || !desc || (!existing && !name.trim())} data-testid="model-save">
          {busy ? "Saving…" : existing ? "Save version" : "Save model"}
        </button>
        <button type="button" className={btn.secondary} onClick={() => (abort.current?.abort(), onCancel())}>
          Cancel
        </button>
      </div>
    </form>
  );
}

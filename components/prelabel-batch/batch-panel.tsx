"use client";
// "Pre-label the queue" (ADR 0017): pick a pre-labeller fitting the project's data type and the
// scope, Start; a BatchRunner walks the tasks in this browser, runs the model in the pre-labelling
// worker and stores each task's predictions as it finishes. Progress, ETA, per-task outcomes,
// failures with reasons, Pause / Resume / Cancel (Space / Esc), and a summary at the end. A batch
// interrupted by a reload is offered for resuming from its saved cursor.
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { BatchRunner, storageCursor, type BatchScope, type BatchSnapshot } from "@/lib/prelabel/batch/runner";
import { defaultLabel, labelsFor, prelabellersFor } from "@/lib/prelabel/batch/registry";
import type { PrelabelEnv, ProjectInfo, WorkerClient } from "@/lib/prelabel/batch/types";
import type { BackendPreference } from "@/lib/prelabel/runtime/protocol";
import { decodeAudio16k, decodeImage, readPreference, spawnPrelabelWorker, type SpawnedWorker } from "@/components/prelabel/worker";
import { httpSource, getJson } from "./source";
import type { ModelInfo } from "@/lib/prelabel/byom/descriptor";
import { modelsFor } from "@/lib/prelabel/byom/session";
import { byomPrelabeller } from "@/lib/prelabel/batch/prelabellers/byom";
import { ProgressBar } from "@/components/ui/progress";
import { Notice } from "@/components/ui/notice";
import { EmptyState } from "@/components/ui/empty-state";
import { btn, card, cx, kbd, select, labelText } from "@/components/ui/styles";
import { formatNumber } from "@/components/ui/format";

const STATUS_LABEL: Record<string, string> = { any: "Any status", new: "New", in_progress: "In progress", completed: "Completed" };

function formatEta(s: number | null): string {
  if (s === null) return "estimating…";
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}


export function BatchPrelabel({ project, canManage }: { project: ProjectInfo; canManage: boolean }) {
  // Bring-your-own models of this project (Settings → Models) join the built-ins.
  const [models, setModels] = useState<ModelInfo[]>([]);
  useEffect(() => {
    let live = true;
    getJson<{ items: ModelInfo[] }>(`/api/v1/projects/${project.id}/models`)
      .then((r) => live && setModels(modelsFor(r.items, project.dataType)))
      .catch(() => undefined); // no models (or no access): the built-ins still work
    return () => {
      live = false;
    };
  }, [project.id, project.dataType]);
  const options = useMemo(() => prelabellersFor(project.dataType, models.map(byomPrelabeller)), [project.dataType, models]);
  const [pid, setPid] = useState(options[0]?.id ?? "");
  const p = options.find((o) => o.id === pid) ?? options[0];
  const allowedLabels = useMemo(() => (p ? labelsFor(p, project.labels) : []), [p, project.labels]);
  const [label, setLabel] = useState<string | null>(() => (p ? defaultLabel(p, project.labels) : null));
  const [mode, setMode] = useState<BatchScope["mode"]>("missing");
  const [status, setStatus] = useState<"any" | "new" | "in_progress" | "completed">("any");
  // The last batch's choices come back after a reload, so its saved cursor is found and offered.
  const lastKey = `loupe.prelabel.batch.${project.id}.last`;
  useEffect(() => {
    try {
      const last = JSON.parse(window.localStorage.getItem(lastKey) ?? "null") as { id?: string; mode?: string; status?: string } | null;
      if (!last) return;
      if (last.id && options.some((o) => o.id === last.id)) setPid(last.id);
      if (last.mode === "all" || last.mode === "missing") setMode(last.mode);
      if (last.status === "new" || last.status === "in_progress" || last.status === "completed") setStatus(last.status);
    } catch {
      /* no storage: defaults */
    }
  }, [lastKey, options]);
  const remember = () => {
    try {
      window.localStorage.setItem(lastKey, JSON.stringify({ id: p?.id, mode, status }));
    } catch {
      /* private mode */
    }
  };
  const [snap, setSnap] = useState<BatchSnapshot | null>(null);
  const runnerRef = useRef<BatchRunner | null>(null);
  const workerRef = useRef<SpawnedWorker | null>(null);

  useEffect(() => {
    if (p && (!label || !allowedLabels.includes(label))) setLabel(defaultLabel(p, project.labels));
  }, [p, label, allowedLabels, project.labels]);

  const scope: BatchScope = useMemo(() => ({ mode, ...(status !== "any" ? { status } : {}) }), [mode, status]);

  // One runner per (pre-labeller, scope): built without starting, so a batch saved before a reload shows up to resume.
  useEffect(() => {
    if (!p) return;
    const client: WorkerClient = {
      init: (...a) => getWorker().client.init(...a),
      task: (...a) => getWorker().client.task(...a),
    };
    function getWorker(): SpawnedWorker {
      workerRef.current ??= spawnPrelabelWorker((msg) => {
        workerRef.current = null;
        runnerRef.current?.halt(`${msg[0]!.toUpperCase()}${msg.slice(1)}. Resume to start a new worker and carry on.`);
      });
      return workerRef.current;
    }
    const env: PrelabelEnv = {
      client,
      backend: readPreference(),
      project,
      getJson: (url) => getJson(url),
      decodeAudio16k: (bytes) => decodeAudio16k(bytes),
      decodeImage,
    };
    let storage: Storage | null = null;
    try {
      storage = window.localStorage;
    } catch {
      storage = null;
    }
    const r = new BatchRunner({ prelabeller: p, env, source: httpSource(project.id), scope, store: storageCursor(storage), label });
    runnerRef.current = r;
    const off = r.subscribe(setSnap);
    return () => {
      off();
      r.halt("Stopped when the page changed. Resume to carry on.");
      if (runnerRef.current === r) runnerRef.current = null;
    };
  }, [p, scope, project, label]);

  useEffect(() => () => {
    workerRef.current?.worker.terminate();
    workerRef.current = null;
  }, []);

  // Refresh the elapsed time / ETA while running.
  const running = snap?.phase === "running" || snap?.phase === "pausing" || snap?.phase === "preparing";
  const [, tick] = useState(0);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [running]);

  // Space pauses / resumes, Esc cancels (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable)) return;
      if (e.key === " " && el?.tagName === "BUTTON") return; // Space presses the focused button itself
      const r = runnerRef.current;
      if (!r) return;
      const ph = r.snapshot().phase;
      if (e.key === " " && !e.ctrlKey && !e.metaKey) {
        if (ph === "running" || ph === "preparing") r.pause();
        else if (ph === "paused" || ph === "pausing") void r.resume();
        else return;
        e.preventDefault();
      } else if (e.key === "Escape" && (ph === "running" || ph === "pausing" || ph === "paused" || ph === "preparing")) {
        e.preventDefault();
        r.cancel();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Leaving mid-run: the browser asks first (the cursor is saved either way).
  useEffect(() => {
    if (!running) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);

  if (!p) {
    return (
      <EmptyState title="No pre-labeller for this project yet">
        Batch pre-labelling is available for image (OCR), audio (speech segments) and text (dictionary) projects. {project.dataType === "video" ? "Video projects have no built-in model yet." : ""}
      </EmptyState>
    );
  }

  const r = runnerRef.current;
  const phase = snap?.phase ?? "idle";
  const busy = phase === "running" || phase === "pausing" || phase === "preparing";
  const started = phase !== "idle";
  const noLabel = p.labelKind !== null && allowedLabels.length === 0;
  const pct = snap && snap.total > 0 ? Math.round((snap.processed / snap.total) * 100) : 0;

  return (
    <div className="grid gap-6 lg:grid-cols-3" data-testid="prelabel-batch" data-phase={phase}>
      <section className={`${card} space-y-5 p-5 lg:col-span-1`} aria-labelledby="setup-h">
        <h2 id="setup-h" className="text-sm font-semibold text-slate-900">
          What to run
        </h2>
        <fieldset disabled={busy || phase === "paused"} className="space-y-4">
          <div>
            <legend className={labelText}>Pre-labeller</legend>
            <div className="mt-2 space-y-2">
              {options.map((o) => (
                <label key={o.id} className={cx("flex cursor-pointer gap-3 rounded-md border p-3 text-sm", o.id === p.id ? "border-indigo-400 bg-indigo-50/60" : "border-slate-200 hover:bg-slate-50")}>
                  <input type="radio" name="prelabeller" className="mt-0.5 accent-indigo-600" checked={o.id === p.id} onChange={() => setPid(o.id)} data-testid={`prelabeller-${o.id}`} />
                  <span>
                    <span className="block font-medium text-slate-900">{o.label}</span>
                    <span className="block text-slate-500">{o.description}</span>
                  </span>
                </label>
              ))}
            </div>
          </div>
          {p.labelKind && (
            <div>
              <label htmlFor="batch-label" className={labelText}>
                Label for the {p.labelKind}s
              </label>
              {noLabel ? (
                <p className="mt-1 text-sm text-rose-700">
                  No label of this project allows {p.labelKind}s.{" "}
                  {canManage ? (
                    <Link className="text-indigo-700 hover:underline" href={`/projects/${project.id}/settings`}>
                      Add one in Settings
                    </Link>
                  ) : (
                    "Ask a manager to add one."
                  )}
                </p>
              ) : (
                <select id="batch-label" className={cx(select, "mt-1 w-full")} value={label ?? ""} onChange={(e) => setLabel(e.target.value)} data-testid="batch-label">
                  {allowedLabels.map((l) => (
                    <option key={l}>{l}</option>
                  ))}
                </select>
              )}
            </div>
          )}
          <div>
            <span className={labelText}>Tasks</span>
            <div className="mt-2 space-y-1.5 text-sm text-slate-700">
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" className="accent-indigo-600" checked={mode === "missing"} onChange={() => setMode("missing")} data-testid="scope-missing" />
                Without predictions from this model version
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="scope" className="accent-indigo-600" checked={mode === "all"} onChange={() => setMode("all")} data-testid="scope-all" />
                All tasks (adds a new run to each)
              </label>
            </div>
            <label htmlFor="batch-status" className="mt-3 block text-xs font-medium text-slate-500">
              Status filter
            </label>
            <select id="batch-status" className={cx(select, "mt-1 w-full")} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              {Object.entries(STATUS_LABEL).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
          {!busy && phase !== "paused" && phase !== "error" && (
            <button type="button" className={btn.primary} disabled={noLabel} onClick={() => {
                remember();
                void r?.start();
              }} data-testid="batch-start">
              {phase === "done" || phase === "cancelled" ? "Run again" : "Start"}
            </button>
          )}
          {(phase === "running" || phase === "preparing") && (
            <button type="button" className={btn.secondary} onClick={() => r?.pause()} data-testid="batch-pause">
              Pause <kbd className={kbd}>Space</kbd>
            </button>
          )}
          {(phase === "paused" || phase === "pausing" || phase === "error") && (
            <button type="button" className={btn.primary} onClick={() => void r?.resume()} data-testid="batch-resume">
              {phase === "error" && !snap?.processed ? "Try again" : "Resume"} {phase !== "error" && <kbd className="inline-flex items-center rounded border border-indigo-300 px-1 font-mono text-[11px] font-medium text-indigo-50">Space</kbd>}
            </button>
          )}
          {(busy || phase === "paused" || phase === "error") && (
            <button type="button" className={btn.ghost} onClick={() => r?.cancel()} data-testid="batch-cancel">
              Cancel <kbd className={kbd}>Esc</kbd>
            </button>
          )}
          {(phase === "paused" || phase === "error") && (
            <button type="button" className={btn.ghost} onClick={() => void r?.start()} data-testid="batch-restart">
              Start over
            </button>
          )}
        </div>
        <p className="text-xs text-slate-500">
          Runs in this browser tab: keep it open. Each task’s predictions are saved as it finishes; pausing, a reload or a closed tab lose at most the task in progress.
        </p>
      </section>

      <section className={`${card} p-5 lg:col-span-2`} aria-labelledby="progress-h">
        <h2 id="progress-h" className="text-sm font-semibold text-slate-900">
          Progress
        </h2>
        {!started || !snap ? (
          <div className="mt-4 rounded-md border border-dashed border-slate-300 px-6 py-10 text-center text-sm text-slate-500" data-testid="batch-empty">
            Pick a pre-labeller and the tasks, then press <strong className="text-slate-700">Start</strong>. Suggestions appear in the editor as predictions to accept or reject; with
            “least confident first” in Settings, annotators get the least certain tasks first.
          </div>
        ) : (
          <div className="mt-4 space-y-4">
            {phase === "paused" && snap.processed > 0 && snap.processed < snap.total && (
              <Notice tone="info">
                Paused after task #{snap.cursor}: {formatNumber(snap.processed)} of {formatNumber(snap.total)} done. Resume continues with the next task.
              </Notice>
            )}
            {phase === "error" && snap.message && <Notice tone="error">{snap.message}</Notice>}
            <div>
              <div className="mb-1.5 flex justify-between text-sm">
                <span className="text-slate-600" data-testid="batch-count">
                  {formatNumber(snap.processed)} of {formatNumber(snap.total)} tasks
                  {phase === "preparing" && " · loading the model…"}
                  {phase === "pausing" && " · pausing after this task…"}
                </span>
                <span className="font-medium tabular-nums text-slate-900">{pct}%</span>
              </div>
              <ProgressBar value={snap.processed} max={snap.total} label="Batch progress" className="h-2.5" />
              {snap.current && (
                <div className="mt-2 flex items-center gap-2 text-xs text-slate-500">
                  <span>
                    Task #{snap.current.taskId}
                  </span>
                  <ProgressBar value={Math.round(snap.current.progress * 100)} max={100} label={`Task ${snap.current.taskId}`} className="h-1 max-w-40" />
                </div>
              )}
            </div>
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
              {[
                { k: "Pre-labelled", v: formatNumber(snap.done), tone: "text-emerald-700", id: "done" },
                { k: "Skipped", v: formatNumber(snap.skipped), tone: "text-slate-700", id: "skipped" },
                { k: "Failed", v: formatNumber(snap.failed), tone: snap.failed ? "text-rose-700" : "text-slate-700", id: "failed" },
                { k: "Suggestions", v: formatNumber(snap.regions), tone: "text-slate-900", id: "regions" },
                { k: busy ? "Time left" : "Elapsed", v: busy ? formatEta(snap.etaSeconds) : formatEta(Math.round(snap.elapsedMs / 1000)), tone: "text-slate-900", id: "eta" },
              ].map((t) => (
                <div key={t.k} className="rounded-md bg-slate-50 px-3 py-2">
                  <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t.k}</dt>
                  <dd className={cx("mt-0.5 text-lg font-semibold tabular-nums", t.tone)} data-testid={`batch-${t.id}`}>
                    {t.v}
                  </dd>
                </div>
              ))}
            </dl>
            {phase === "done" && (
              <Notice tone={snap.failed ? "warning" : "success"}>
                <span data-testid="batch-summary">
                  Finished: {formatNumber(snap.done)} task{snap.done === 1 ? "" : "s"} pre-labelled with {formatNumber(snap.regions)} suggestion{snap.regions === 1 ? "" : "s"}
                  {snap.skipped ? `, ${formatNumber(snap.skipped)} skipped (already pre-labelled)` : ""}
                  {snap.failed ? `, ${formatNumber(snap.failed)} failed (listed below)` : ""} in {formatEta(Math.round(snap.elapsedMs / 1000))}.
                </span>{" "}
                <Link className="font-medium underline" href={`/projects/${project.id}/data?sort=score`}>
                  See the tasks by confidence
                </Link>
              </Notice>
            )}
            {phase === "cancelled" && <Notice tone="info">Cancelled. Predictions saved so far stay on the server.</Notice>}
            {snap.failures.length > 0 && (
              <div>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-rose-700">Failed tasks</h3>
                <ul className="divide-y divide-slate-100 rounded-md border border-rose-200 text-sm" data-testid="batch-failures">
                  {snap.failures.map((f) => (
                    <li key={f.taskId} className="flex gap-3 px-3 py-1.5">
                      <Link className="font-medium text-indigo-700 hover:underline" href={`/tasks/${f.taskId}`}>
                        #{f.taskId}
                      </Link>
                      <span className="text-slate-600">{f.reason}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {snap.recent.length > 0 && (
              <div>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Latest tasks</h3>
                <ul className="max-h-72 divide-y divide-slate-100 overflow-auto rounded-md border border-slate-200 text-sm" data-testid="batch-recent">
                  {snap.recent.map((o, i) => (
                    <li key={`${o.taskId}-${i}`} className="flex items-center gap-3 px-3 py-1.5">
                      <Link className="w-16 font-medium text-indigo-700 hover:underline" href={`/tasks/${o.taskId}`}>
                        #{o.taskId}
                      </Link>
                      <span
                        className={cx(
                          "rounded px-1.5 py-0.5 text-xs font-medium",
                          o.status === "done" ? "bg-emerald-50 text-emerald-700" : o.status === "failed" ? "bg-rose-50 text-rose-700" : "bg-slate-100 text-slate-600",
                        )}
                      >
                        {o.status === "done" ? "pre-labelled" : o.status}
                      </span>
                      <span className="text-slate-600">{o.status === "done" ? `${o.regions} suggestion${o.regions === 1 ? "" : "s"}` : o.reason}</span>
                      {o.ms !== undefined && <span className="ml-auto tabular-nums text-xs text-slate-400">{(o.ms / 1000).toFixed(1)} s</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

"use client";
// "Pre-label with a model" in the image editor: the project's bring-your-own models (Settings →
// Models, ADR 0015) run in the pre-labelling worker (byom-image task, ADR 0016). Detect/segment
// results are added as suggestions (rects / polygons, origin "prediction", model "name@version",
// score) in one undo step and stored on the server as a prediction; the OCR suggestions bar
// (accept / reject / above a threshold) works on them. A classifier's answer is offered as a
// classification to apply (one undo step). Errors become a message; the editor keeps working.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { modelTag, type ModelInfo } from "@/lib/prelabel/byom/descriptor";
import { ensureByomSession, fetchProjectModels, spawnByomWorker, type ByomWorker } from "@/components/prelabel/byom-worker";
import type { ClassificationPrediction } from "@/lib/prelabel/byom/regions";
import { PrelabelError, type Backend } from "@/lib/prelabel/runtime/protocol";
import { imagePixels } from "./worker-client";

export type ModelPhase = "idle" | "loading" | "running" | "done" | "error" | "cancelled";

export interface ModelRunState {
  phase: ModelPhase;
  progress: number;
  backend: Backend | null;
  message: string | null;
  added: number;
  /** A classifier's answer, waiting for Apply. */
  classification: Extract<ClassificationPrediction, { kind: "classification" }> | null;
}

const IDLE: ModelRunState = { phase: "idle", progress: 0, backend: null, message: null, added: 0, classification: null };

function describeError(e: unknown, m: ModelInfo): string {
  const name = `${m.name} v${m.latest.version}`;
  if (e instanceof PrelabelError) {
    if (e.code === "download_failed") return `The model ${name} could not be downloaded (${e.message}).`;
    if (e.code === "invalid_model") return `The model ${name} could not be loaded: ${e.message}`;
    if (e.code === "input_mismatch") return `The model ${name} does not fit its descriptor: ${e.message}. A manager can fix the descriptor in Settings → Models.`;
    if (e.code === "out_of_memory") return `The model ${name} ran out of memory in this browser.`;
    return `${name} failed (${e.code}): ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** What to say when a run added nothing (null when it added something). */
function emptyResult(m: ModelInfo, res: { classification: ClassificationPrediction | null; detections: number }, added: number): string | null {
  if (m.task === "classify") {
    const c = res.classification;
    if (c?.kind === "classification") return null;
    if (c?.kind === "label") return `The model says ${c.label} (${Math.round(c.score * 100)}%). To apply a class here, map it to a classification's choice ("name:choice") in Settings → Models.`;
    return "The classifier gave no class above its threshold (or the class is not mapped).";
  }
  if (added) return null;
  return `${m.name} found nothing on this image${res.detections ? ` that maps to a project label (${res.detections} detections unmapped)` : ""}.`;
}

export function useModelPrelabel({ editor, taskId, projectId, src, readOnly }: { editor: Editor; taskId: number; projectId: number; src: string; readOnly: boolean }) {
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [selected, setSelectedId] = useState<number | null>(null);
  const [state, setState] = useState<ModelRunState>(IDLE);
  const worker = useRef<ByomWorker | null>(null);
  const abort = useRef<AbortController | null>(null);
  const pickKey = `loupe.prelabel.model.${projectId}`;

  useEffect(() => {
    let live = true;
    void fetchProjectModels(projectId, "image").then((mine) => {
      if (!live) return;
      setModels(mine);
      let remembered: number | null = null;
      try {
        remembered = Number(window.localStorage.getItem(pickKey)) || null;
      } catch {
        /* private mode */
      }
      setSelectedId(mine.find((m) => m.id === remembered)?.id ?? mine[0]?.id ?? null);
    });
    return () => {
      live = false;
    };
  }, [projectId, pickKey]);

  useEffect(() => () => {
    abort.current?.abort();
    worker.current?.worker.terminate();
    worker.current = null;
  }, []);

  const select = useCallback((id: number) => {
    setSelectedId(id);
    try {
      window.localStorage.setItem(pickKey, String(id));
    } catch {
      /* private mode */
    }
  }, [pickKey]);

  const run = useCallback(async (id?: number) => {
    const m = models?.find((x) => x.id === (id ?? selected));
    if (readOnly || abort.current || !m) return;
    const v = m.latest;
    const ac = new AbortController();
    abort.current = ac;
    setState({ ...IDLE, phase: "loading", message: `Loading ${m.name} v${v.version}…` });
    try {
      if (!worker.current) {
        const w = spawnByomWorker((msg) => {
          if (worker.current === w) worker.current = null;
          abort.current?.abort();
          setState((s) => ({ ...s, phase: "error", message: `${msg[0]!.toUpperCase()}${msg.slice(1)}. The editor still works; try again.` }));
        });
        worker.current = w;
      }
      const w = worker.current;
      const { session, ready } = ensureByomSession(w, m, { signal: ac.signal, onDownload: (share) => setState((s) => ({ ...s, progress: share })) });
      const [backend, image] = await Promise.all([ready, imagePixels(src)]);
      if (ac.signal.aborted) throw new PrelabelError("cancelled", "cancelled");
      setState((s) => ({ ...s, phase: "running", backend, progress: 0, message: null }));
      const tag = modelTag(m, v);
      const res = await w.client.task({ kind: "byom-image", session, descriptor: v.descriptor, labelMap: v.labelMap, image, model: tag }, { signal: ac.signal, onProgress: (p) => setState((s) => ({ ...s, progress: p })) });
      // Labels the project refuses for this kind (a stale label map) are left out, not fatal.
      const ok = res.regions.filter((r) => editor.canCreate(r.kind, r.label ?? ""));
      const dropped = res.regions.length - ok.length;
      const inputs = ok.map(({ id: _id, ...r }) => r);
      if (inputs.length) editor.createRegions(inputs, "pre-label");
      const c = res.classification?.kind === "classification" ? res.classification : null;
      const nothing = emptyResult(m, res, inputs.length);
      setState((s) => ({
        ...s,
        phase: "done",
        progress: 1,
        added: inputs.length,
        classification: c,
        message: nothing ?? (dropped ? `${dropped} suggestion${dropped === 1 ? "" : "s"} left out: their label does not allow this shape in this project.` : null),
      }));
      if (ok.length || c) {
        const scores = ok.map((r) => r.score ?? 0);
        const stored = await fetch(`/api/v1/tasks/${taskId}/predictions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({
            model: m.name,
            modelVersion: String(v.version),
            score: c ? c.score : scores.reduce((a, b) => a + b, 0) / scores.length,
            document: { version: 1, regions: ok, classifications: c ? { [c.name]: [c.choice] } : {}, relations: [] },
          }),
        }).then((r) => r.ok, () => false);
        if (!stored) setState((s) => ({ ...s, message: "The suggestions are here but could not be stored on the server as a prediction." }));
      }
    } catch (e) {
      if (e instanceof PrelabelError && e.code === "cancelled") setState((s) => ({ ...s, phase: "cancelled", message: "Cancelled." }));
      else setState((s) => ({ ...s, phase: "error", message: describeError(e, m) }));
    } finally {
      if (abort.current === ac) abort.current = null;
    }
  }, [editor, models, readOnly, selected, src, taskId]);

  const applyClassification = useCallback(() => {
    const c = state.classification;
    if (!c) return;
    try {
      editor.setClassification(c.name, [c.choice]);
      setState((s) => ({ ...s, classification: null, message: `Set ${c.name}: ${c.choice}.` }));
    } catch (e) {
      setState((s) => ({ ...s, classification: null, phase: "error", message: `Could not set ${c.name}: ${c.choice} (${e instanceof Error ? e.message : e}).` }));
    }
  }, [editor, state.classification]);

  const cancel = useCallback(() => abort.current?.abort(), []);
  const dismiss = useCallback(() => setState((s) => ({ ...s, message: null, classification: null, phase: s.phase === "running" || s.phase === "loading" ? s.phase : "idle" })), []);
  const busy = state.phase === "loading" || state.phase === "running";
  return { models, selected, select, state, run, cancel, dismiss, applyClassification, busy };
}

export type ModelPrelabel = ReturnType<typeof useModelPrelabel>;

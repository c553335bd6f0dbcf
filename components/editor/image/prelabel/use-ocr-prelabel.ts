"use client";
// "Pre-label text (OCR)" for the image editor: PP-OCRv4 detection + recognition in the
// pre-labelling Web Worker (lib/prelabel/runtime), results added as polygon predictions (origin
// "prediction", model "ppocr-v4", score, attributes.text) in one undo step and stored on the
// server as a prediction. Errors (missing model, worker crash) become a message; the editor
// keeps working. Accept / reject commands are each one undo step.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { PrelabelError, type Backend, type BackendPreference } from "@/lib/prelabel/runtime/protocol";
import { BUILTIN_MODELS, OCR_KEYS_FILE, modelUrl } from "@/lib/prelabel/models";
import { ocrToPolygons } from "@/lib/prelabel/to-regions";
import { imagePixels, readPreference, startPrelabelWorker, writePreference, type PrelabelWorker } from "./worker-client";

export { OCR_MODEL, OCR_MODEL_VERSION } from "@/lib/prelabel/batch/prelabellers/image-ocr";
import { OCR_MODEL, OCR_MODEL_VERSION } from "@/lib/prelabel/batch/prelabellers/image-ocr";

export type OcrPhase = "idle" | "loading" | "running" | "done" | "error" | "cancelled";

export interface OcrState {
  phase: OcrPhase;
  /** Share done in [0, 1] while running. */
  progress: number;
  /** Which backend the sessions run on, once known. */
  backend: Backend | null;
  message: string | null;
  /** How many suggestions the last run added. */
  added: number;
  /** Whether the raw predictions were stored on the server (null: not tried yet). */
  stored: boolean | null;
}

const IDLE: OcrState = { phase: "idle", progress: 0, backend: null, message: null, added: 0, stored: null };

function describeError(e: unknown): string {
  if (e instanceof PrelabelError) {
    if (e.code === "download_failed") return `The OCR model could not be loaded (${e.message}). Ask an admin to run "node scripts/copy-models.mjs".`;
    if (e.code === "out_of_memory") return "The OCR model ran out of memory in this browser.";
    return `OCR failed (${e.code}): ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export function useOcrPrelabel({ editor, taskId, src, readOnly }: { editor: Editor; taskId: number; src: string; readOnly: boolean }) {
  const [state, setState] = useState<OcrState>(IDLE);
  // "auto": the runtime measures WebGPU against wasm once per model and keeps the faster.
  const [preference, setPref] = useState<BackendPreference>("auto");
  useEffect(() => setPref(readPreference()), []);
  const prefRef = useRef(preference);
  prefRef.current = preference;
  const client = useRef<(PrelabelWorker & { ready: Promise<Backend> | null }) | null>(null);
  const abort = useRef<AbortController | null>(null);

  const dispose = useCallback(() => {
    client.current?.worker.terminate();
    client.current = null;
  }, []);
  useEffect(() => () => {
    abort.current?.abort();
    dispose();
  }, [dispose]);

  const getClient = useCallback(() => {
    if (client.current) return client.current;
    // A crashed worker answers nothing: cancel the run, drop the worker, say so.
    const c: PrelabelWorker & { ready: Promise<Backend> | null } = {
      ...startPrelabelWorker((message) => {
        if (client.current === c) client.current = null;
        abort.current?.abort();
        setState((s) => ({ ...s, phase: "error", message }));
      }),
      ready: null,
    };
    client.current = c;
    return c;
  }, []);

  const run = useCallback(
    async (label: string) => {
      if (readOnly || abort.current) return;
      const ac = new AbortController();
      abort.current = ac;
      setState({ ...IDLE, phase: "loading", message: "Loading the OCR models…" });
      try {
        const c = getClient();
        c.ready ??= (async () => {
          const det = BUILTIN_MODELS.ocrDet;
          const rec = BUILTIN_MODELS.ocrRec;
          const backend = prefRef.current;
          const a = await c.client.init("ocr-det", { key: det.name, url: modelUrl(det.file) }, { backend, warmup: det.warmup(), signal: ac.signal });
          await c.client.init("ocr-rec", { key: rec.name, url: modelUrl(rec.file) }, { backend, warmup: rec.warmup(), signal: ac.signal });
          return a.backend;
        })();
        c.ready.catch(() => (c.ready = null)); // a failed or cancelled init is retried next time
        const [backend, image] = await Promise.all([c.ready, imagePixels(src)]);
        if (ac.signal.aborted) throw new PrelabelError("cancelled", "cancelled");
        setState((s) => ({ ...s, phase: "running", backend, message: null }));
        const lines = await c.client.task(
          { kind: "ocr", det: "ocr-det", rec: "ocr-rec", keys: { url: modelUrl(OCR_KEYS_FILE) }, image },
          { signal: ac.signal, onProgress: (p) => setState((s) => ({ ...s, progress: p })) },
        );
        const w = editor.width || image.width;
        const h = editor.height || image.height;
        const clampPt = ([x, y]: [number, number]): [number, number] => [Math.min(w, Math.max(0, x)), Math.min(h, Math.max(0, y))];
        const polys = ocrToPolygons(lines, { label, model: OCR_MODEL }).map((r) => ({ ...r, points: r.points.map(clampPt) }));
        // The editor gives ids; the stored prediction keeps the model's own.
        const inputs = polys.map(({ id: _id, ...r }) => r);
        if (inputs.length) editor.createRegions(inputs, "pre-label");
        setState((s) => ({ ...s, phase: "done", progress: 1, added: inputs.length, message: inputs.length ? null : "No text found on this image." }));
        if (polys.length) {
          const stored = await fetch(`/api/v1/tasks/${taskId}/predictions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            credentials: "same-origin",
            body: JSON.stringify({
              model: OCR_MODEL,
              modelVersion: OCR_MODEL_VERSION,
              score: polys.reduce((a, r) => a + (r.score ?? 0), 0) / polys.length,
              document: { version: 1, regions: polys, classifications: {}, relations: [] },
            }),
          }).then((r) => r.ok, () => false);
          setState((s) => ({ ...s, stored, message: stored ? s.message : "The suggestions are here but could not be stored on the server as predictions." }));
        }
      } catch (e) {
        if (e instanceof PrelabelError && e.code === "cancelled") setState((s) => ({ ...s, phase: "cancelled", message: "OCR cancelled." }));
        else setState((s) => ({ ...s, phase: "error", message: describeError(e) }));
      } finally {
        if (abort.current === ac) abort.current = null;
      }
    },
    [editor, getClient, readOnly, src, taskId],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  /** The user's backend override; the sessions are created again on the next run. */
  const setPreference = useCallback((p: BackendPreference) => {
    setPref(p);
    prefRef.current = p;
    writePreference(p);
    if (client.current && !abort.current) client.current.ready = null;
  }, []);
  const dismiss = useCallback(() => setState((s) => ({ ...s, message: null, phase: s.phase === "error" || s.phase === "cancelled" ? "idle" : s.phase })), []);

  return { state, run, cancel, dismiss, preference, setPreference };
}

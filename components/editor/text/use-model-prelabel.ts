"use client";
// "Pre-label with a model" in the text editor: the project's bring-your-own token classifiers
// (Settings → Models, task "ner") run in the pre-labelling worker (byom-ner: the model's
// tokenizer.json and config.json, windows, BIO merge; ADR 0016). Spans are added as suggestions
// (origin "prediction", model "name@version", score) in one undo step, skipping spans already
// there, and the whole output is stored on the server as a prediction.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { modelTag, type ModelInfo } from "@/lib/prelabel/byom/descriptor";
import { PrelabelError } from "@/lib/prelabel/runtime/protocol";
import { apiFetch } from "@/components/ui/api";
import { ensureByomSession, fetchProjectModels, spawnByomWorker, type ByomWorker } from "@/components/prelabel/byom-worker";
import type { TextPrelabelState } from "./prelabel-bar";

export function useTextModelPrelabel({ editor, taskId, projectId, text, readOnly, setState }: { editor: Editor; taskId: number; projectId: number; text: string; readOnly: boolean; setState(s: TextPrelabelState): void }) {
  const [models, setModels] = useState<ModelInfo[]>([]);
  const worker = useRef<ByomWorker | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    let live = true;
    void fetchProjectModels(projectId, "text").then((m) => live && setModels(m));
    return () => {
      live = false;
      abort.current?.abort();
      worker.current?.worker.terminate();
      worker.current = null;
    };
  }, [projectId]);

  const run = useCallback(async () => {
    const m = models[0];
    if (readOnly || !m || abort.current) return;
    const v = m.latest;
    const ac = new AbortController();
    abort.current = ac;
    setState({ kind: "running" });
    try {
      if (!v.files.tokenizer) throw new Error(`${m.name} v${v.version} has no tokenizer.json; a manager can add one in Settings → Models.`);
      if (!worker.current) {
        const w = spawnByomWorker((msg) => {
          if (worker.current === w) worker.current = null;
          ac.abort();
          setState({ kind: "error", message: `${msg[0]!.toUpperCase()}${msg.slice(1)}. The editor still works; try again.` });
        });
        worker.current = w;
      }
      const { session, ready } = ensureByomSession(worker.current, m, { signal: ac.signal });
      const backend = await ready;
      const tag = modelTag(m, v);
      const res = await worker.current.client.task(
        { kind: "byom-ner", session, descriptor: v.descriptor, labelMap: v.labelMap, tokenizer: { url: v.files.tokenizer }, ...(v.files.config ? { config: { url: v.files.config } } : {}), text, model: tag },
        { signal: ac.signal },
      );
      const fits = res.regions.filter((r) => editor.canCreate("span", r.label ?? ""));
      const have = new Set(editor.getRegions().map((r) => (r.kind === "span" ? `${r.start}:${r.end}:${r.label}` : "")));
      const fresh = fits.filter((r) => !have.has(`${r.start}:${r.end}:${r.label}`)).map(({ id: _id, ...r }) => r);
      if (fresh.length) editor.createRegions(fresh, "pre-label");
      setState({ kind: "done", added: fresh.length, found: fits.length, stored: null, backend });
      if (!fits.length) return;
      const scores = fits.map((r) => r.score ?? 0);
      const saved = await apiFetch(`/api/v1/tasks/${taskId}/predictions`, {
        method: "POST",
        body: { model: m.name, modelVersion: String(v.version), score: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000, document: { version: 1, regions: fits, classifications: {}, relations: [] } },
      });
      setState({ kind: "done", added: fresh.length, found: fits.length, stored: saved.ok, storeError: saved.ok ? undefined : saved.error.message, backend });
    } catch (e) {
      if (e instanceof PrelabelError && e.code === "cancelled") setState({ kind: "idle" });
      else setState({ kind: "error", message: e instanceof PrelabelError ? `${m.name} v${v.version} failed (${e.code}): ${e.message}` : e instanceof Error ? e.message : String(e) });
    } finally {
      if (abort.current === ac) abort.current = null;
    }
  }, [editor, models, projectId, readOnly, setState, taskId, text]);

  return { model: models[0] ?? null, run };
}

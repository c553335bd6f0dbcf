"use client";
// "Pre-label speech": decode the task's audio (the browser resamples to 16 kHz while decoding),
// run Silero VAD in the pre-labelling worker (lib/prelabel/runtime) with progress and cancel, add
// the segments as predictions (one undo step) and store them on the server as the model's output.
// A missing model file or a crashed worker ends in a message; the editor keeps working.
import { useEffect, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { addSpeechPredictions, speechLabel, VAD_MODEL } from "@/lib/annotation/audio/prelabel";
import { BUILTIN_MODELS, modelUrl } from "@/lib/prelabel/models";
import type { PrelabelClient } from "@/lib/prelabel/runtime/client";
import { fetchAudio16k, spawnPrelabelWorker, VAD_RATE } from "@/components/prelabel/worker";
import type { BackendPreference, ReadyMessage } from "@/lib/prelabel/runtime/protocol";
import { DEFAULT_VAD_SETTINGS, type VadSettings } from "@/lib/prelabel/silero-vad/segmenter";
import { apiFetch } from "@/components/ui/api";

export type PrelabelPhase = "decoding" | "loading model" | "detecting" | "saving";
export type PrelabelState =
  | { kind: "idle" }
  | { kind: "running"; phase: PrelabelPhase; progress: number }
  | { kind: "done"; count: number; backend: string; threads: number; chosenBy: string; seconds: number; stored: boolean; storeError?: string }
  | { kind: "error"; message: string };

export interface SpeechPrelabel {
  state: PrelabelState;
  settings: VadSettings;
  setSettings(s: VadSettings): void;
  backend: BackendPreference;
  setBackend(b: BackendPreference): void;
  run(): Promise<void>;
  cancel(): void;
  dismiss(): void;
}

const SETTINGS_KEY = "loupe.prelabel.vad.settings";

export function useSpeechPrelabel(o: { editor: Editor; taskId: number; src: string; labels: readonly string[]; duration: number; onAdded?: (ids: string[]) => void }): SpeechPrelabel {
  const [state, setState] = useState<PrelabelState>({ kind: "idle" });
  const [settings, setSettingsState] = useState<VadSettings>(DEFAULT_VAD_SETTINGS);
  const [backend, setBackend] = useState<BackendPreference>("auto");
  const worker = useRef<{ w: Worker; client: PrelabelClient; ready: ReadyMessage | null; backend: BackendPreference } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const live = useRef(o);
  live.current = o;

  useEffect(() => {
    try {
      const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "null") as Partial<VadSettings> | null;
      if (s) setSettingsState({ ...DEFAULT_VAD_SETTINGS, ...s });
    } catch {
      /* defaults */
    }
    return () => {
      abort.current?.abort();
      worker.current?.w.terminate();
      worker.current = null;
    };
  }, []);

  const setSettings = (s: VadSettings) => {
    setSettingsState(s);
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
    } catch {
      /* private mode */
    }
  };

  function spawn() {
    // A crash (module failed to load, out of memory in the wasm heap) ends the run with a message.
    const entry: { w: Worker; client: PrelabelClient; ready: ReadyMessage | null; backend: BackendPreference } = { w: null!, client: null!, ready: null, backend };
    const { worker: w, client } = spawnPrelabelWorker((msg) => {
      if (worker.current === entry) worker.current = null;
      crashed.current = msg;
      abort.current?.abort();
    });
    entry.w = w;
    entry.client = client;
    return entry;
  }
  const crashed = useRef<string | null>(null);

  async function run() {
    if (state.kind === "running") return;
    const { editor, taskId, src, labels, duration } = live.current;
    const label = speechLabel(editor, labels);
    if (!label) {
      setState({ kind: "error", message: "No label of this project can be used for segments, so there is nothing to put speech predictions under." });
      return;
    }
    const ac = new AbortController();
    abort.current = ac;
    crashed.current = null;
    const t0 = performance.now();
    try {
      setState({ kind: "running", phase: "decoding", progress: 0 });
      const audio = await fetchAudio16k(src, ac.signal);
      if (worker.current && worker.current.backend !== backend) {
        worker.current.w.terminate();
        worker.current = null;
      }
      worker.current ??= spawn();
      const wk = worker.current;
      if (!wk.ready) {
        setState({ kind: "running", phase: "loading model", progress: 0 });
        const m = BUILTIN_MODELS.sileroVad;
        wk.ready = await wk.client.init("vad", { key: m.name, url: modelUrl(m.file) }, {
          backend,
          warmup: m.warmup(),
          signal: ac.signal,
          onProgress: (p) => p.total && setState({ kind: "running", phase: "loading model", progress: p.loaded / p.total }),
        });
      }
      setState({ kind: "running", phase: "detecting", progress: 0 });
      const res = await wk.client.task({ kind: "vad", session: "vad", audio, sampleRate: VAD_RATE, settings }, { signal: ac.signal, onProgress: (d) => setState({ kind: "running", phase: "detecting", progress: d }) });
      const added = addSpeechPredictions(editor, res.segments, { label, duration: duration > 0 ? duration : res.duration });
      live.current.onAdded?.(added.map((r) => r.id));
      setState({ kind: "running", phase: "saving", progress: 1 });
      const mean = added.length ? added.reduce((a, r) => a + (r.score ?? 0), 0) / added.length : undefined;
      const saved = await apiFetch(`/api/v1/tasks/${taskId}/predictions`, {
        method: "POST",
        body: { model: VAD_MODEL, modelVersion: "v5", ...(mean !== undefined ? { score: Math.round(mean * 1000) / 1000 } : {}), document: { version: 1, regions: added, classifications: {}, relations: [] } },
      });
      const ready = wk.ready!;
      setState({
        kind: "done",
        count: added.length,
        backend: ready.backend,
        threads: ready.wasmThreads,
        chosenBy: ready.chosenBy,
        seconds: (performance.now() - t0) / 1000,
        stored: saved.ok,
        storeError: saved.ok ? undefined : saved.error.message,
      });
    } catch (e) {
      const err = e as Error & { code?: string };
      if (crashed.current) setState({ kind: "error", message: `Pre-labelling failed: ${crashed.current}. The editor still works; try again or label by hand.` });
      else if (ac.signal.aborted || err.code === "cancelled" || err.name === "AbortError") setState({ kind: "idle" });
      else if (err.code === "download_failed") setState({ kind: "error", message: `The speech model could not be loaded: ${err.message}. The editor still works.` });
      else setState({ kind: "error", message: `Pre-labelling failed: ${err.message}` });
      if (worker.current && !worker.current.ready) {
        worker.current.w.terminate();
        worker.current = null;
      }
    } finally {
      if (abort.current === ac) abort.current = null;
    }
  }

  return {
    state,
    settings,
    setSettings,
    backend,
    setBackend,
    run,
    cancel: () => abort.current?.abort(),
    dismiss: () => setState({ kind: "idle" }),
  };
}

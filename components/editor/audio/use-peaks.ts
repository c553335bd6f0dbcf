"use client";
// The waveform's peaks, filled in progressively by the peaks worker. WAV streams through the
// worker; anything else (MP3, OGG, FLAC, WebM, or a WAV codec the worker does not read) is
// decoded by the browser here and handed to the worker as mono samples. A file that cannot be
// decoded ends in status "error" with a message for the user, never a blank canvas.
import { useEffect, useRef, useState } from "react";
import { PeakPyramid, mixToMono } from "@/lib/annotation/audio/peaks";
import type { FromWorker, ToWorker } from "./peaks-protocol";

export type PeaksStatus = "loading" | "streaming" | "done" | "error";

export interface PeaksState {
  status: PeaksStatus;
  pyramid: PeakPyramid | null;
  /** Bumps on every update (the canvas redraws). */
  version: number;
  /** 0..1 of the file folded into peaks. */
  progress: number;
  error: string | null;
  source: "wav-stream" | "decoded" | null;
  /** performance.now() when the first peaks and all of them arrived (for the bench). */
  firstAt: number | null;
  doneAt: number | null;
}

/** Decoding sample rate for the fallback path: peaks need no more, and memory is 4 B/sample. */
const DECODE_RATE = 22_050;

export type Spectro = { t0: number; t1: number; columns: number; bins: number; sampleRate: number; data: Uint8Array } | { reason: string };

export function usePeaks(url: string): PeaksState & { focus(t0: number, t1: number): void; spectro: Spectro | null; requestSpectrogram(t0: number, t1: number, columns: number): void } {
  const [state, setState] = useState<PeaksState>({ status: "loading", pyramid: null, version: 0, progress: 0, error: null, source: null, firstAt: null, doneAt: null });
  const worker = useRef<Worker | null>(null);
  const [spectro, setSpectro] = useState<Spectro | null>(null);
  const spectroId = useRef(0);

  useEffect(() => {
    let live = true;
    let pyramid: PeakPyramid | null = null;
    let first: number | null = null;
    const w = new Worker(new URL("./peaks.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    const send = (m: ToWorker, transfer: Transferable[] = []) => w.postMessage(m, transfer);
    const fail = (message: string) => live && setState((s) => ({ ...s, status: "error", error: message }));

    async function decode(reason: string) {
      try {
        const res = await fetch(url, { credentials: "same-origin" });
        if (!res.ok) return fail(`The audio file could not be downloaded (HTTP ${res.status}).`);
        const bytes = await res.arrayBuffer();
        if (!live) return;
        if (bytes.byteLength === 0) return fail("The audio file is empty (0 bytes).");
        const ctx = new OfflineAudioContext(1, 1, DECODE_RATE);
        let buf: AudioBuffer;
        try {
          buf = await ctx.decodeAudioData(bytes);
        } catch (e) {
          return fail(`Your browser could not decode this audio${reason ? ` (${reason})` : ""}: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (!live) return;
        if (buf.length === 0) return fail("The audio decodes to no samples (zero length).");
        const chans = Array.from({ length: buf.numberOfChannels }, (_, c) => buf.getChannelData(c));
        const mono = chans.length === 1 ? chans[0]!.slice() : mixToMono(chans);
        send({ type: "samples", sampleRate: buf.sampleRate, samples: mono }, [mono.buffer]);
      } catch (e) {
        fail(`The audio could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
      }
    }

    w.onmessage = (e: MessageEvent<FromWorker>) => {
      if (!live) return;
      const m = e.data;
      if (m.type === "info") {
        if (m.frames === 0) return fail("The audio file has no samples (zero length).");
        pyramid = new PeakPyramid(m.frames, m.spb, m.sampleRate);
        setState((s) => ({ ...s, status: "streaming", pyramid, source: m.source, version: s.version + 1 }));
      } else if (m.type === "peaks" && pyramid) {
        pyramid.set(m.from, m.min, m.max);
        first ??= performance.now();
        const progress = Math.min(1, m.framesDone / pyramid.totalFrames);
        setState((s) => ({ ...s, progress, firstAt: first, version: s.version + 1 }));
      } else if (m.type === "done") {
        setState((s) => ({ ...s, status: "done", progress: 1, doneAt: performance.now(), version: s.version + 1 }));
      } else if (m.type === "unsupported") {
        void decode(m.reason);
      } else if (m.type === "error") {
        fail(m.message);
      } else if (m.type === "spectrogram") {
        if (m.id === spectroId.current) setSpectro({ t0: m.t0, t1: m.t1, columns: m.columns, bins: m.bins, sampleRate: m.sampleRate, data: m.data });
      } else if (m.type === "spectrogram-unavailable") {
        if (m.id === spectroId.current) setSpectro({ reason: m.reason });
      }
    };
    w.onerror = (e) => fail(`The waveform worker failed: ${e.message}`);
    send({ type: "wav", url });
    return () => {
      live = false;
      w.terminate();
      worker.current = null;
    };
  }, [url]);

  return {
    ...state,
    focus: (t0, t1) => worker.current?.postMessage({ type: "focus", t0, t1 } satisfies ToWorker),
    spectro,
    requestSpectrogram: (t0, t1, columns) => worker.current?.postMessage({ type: "spectrogram", id: ++spectroId.current, t0, t1, columns } satisfies ToWorker),
  };
}

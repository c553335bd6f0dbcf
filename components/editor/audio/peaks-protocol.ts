// Messages between the waveform and its peaks worker (peaks.worker.ts). Times in seconds,
// peaks as base-level buckets (lib/annotation/audio/peaks.ts).
export type ToWorker =
  /** Stream a WAV file and compute peaks as the bytes arrive. */
  | { type: "wav"; url: string }
  /** Peaks of already decoded mono samples (compressed formats, decoded on the main thread). */
  | { type: "samples"; sampleRate: number; samples: Float32Array }
  /** The viewport: fetch this range first (HTTP Range) if the stream has not got there yet. */
  | { type: "focus"; t0: number; t1: number }
  /** A spectrogram of [t0, t1] with one column per screen column (the viewport). */
  | { type: "spectrogram"; id: number; t0: number; t1: number; columns: number };

export type FromWorker =
  | { type: "info"; sampleRate: number; frames: number; spb: number; channels: number; source: "wav-stream" | "decoded" }
  | { type: "peaks"; from: number; min: Float32Array; max: Float32Array; framesDone: number }
  | { type: "done"; ms: number }
  /** Not a WAV the worker can stream: the main thread decodes it with the browser's decoder. */
  | { type: "unsupported"; reason: string }
  | { type: "error"; message: string }
  | { type: "spectrogram"; id: number; t0: number; t1: number; columns: number; bins: number; sampleRate: number; data: Uint8Array }
  | { type: "spectrogram-unavailable"; id: number; reason: string };

/** Longest stretch the spectrogram is computed for (it needs the samples, not just peaks). */
export const SPECTROGRAM_MAX_SECONDS = 180;

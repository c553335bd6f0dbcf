// Silero VAD v5 driven frame by frame: 16 kHz mono, 512 new samples per frame preceded by the
// last 64 samples of the previous frame (v5/v6 return no speech without that context), the
// recurrent state fed back, then the hysteresis segmenter. Pure: takes an injected RunFn.
import { f32, outputF32, PrelabelModelError, type RunFn, type TensorData } from "../tensor";
import { resample } from "./resample";
import { segmentSpeech, type SpeechSegment, type VadSettings } from "./segmenter";

export const SILERO_RATE = 16000;
export const SILERO_FRAME = 512;
export const SILERO_CONTEXT = 64;
const STATE_DIMS = [2, 1, 128];

export interface VadOptions {
  settings?: Partial<VadSettings>;
  /** Called with the share done in [0, 1], at most every `progressEvery` frames. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
  signal?: AbortSignal;
}

export interface VadResult {
  segments: SpeechSegment[];
  /** Speech probability per 32 ms frame (for a UI curve or re-segmenting with other settings). */
  probs: Float32Array;
  frameSeconds: number;
  duration: number;
}

/** Speech probability per frame of 16 kHz mono audio. */
export async function speechProbabilities(run: RunFn, audio16k: Float32Array, opts: VadOptions = {}): Promise<Float32Array> {
  const frames = Math.ceil(audio16k.length / SILERO_FRAME);
  const probs = new Float32Array(frames);
  let state: Float32Array = new Float32Array(2 * 128);
  const sr: TensorData = { type: "int64", data: BigInt64Array.of(BigInt(SILERO_RATE)), dims: [] };
  const every = opts.progressEvery ?? 256;
  for (let f = 0; f < frames; f++) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException("aborted", "AbortError");
    const input = new Float32Array(SILERO_CONTEXT + SILERO_FRAME); // zero-padded at both ends
    const s0 = f * SILERO_FRAME;
    const ctx0 = s0 - SILERO_CONTEXT;
    for (let i = Math.max(0, -ctx0); i < input.length && ctx0 + i < audio16k.length; i++) input[i] = audio16k[ctx0 + i]!;
    const out = await run({ input: f32(input, [1, input.length]), state: f32(state, STATE_DIMS), sr });
    const p = outputF32(out, "output").data[0];
    if (p === undefined) throw new PrelabelModelError("silero output is empty");
    probs[f] = p;
    state = outputF32(out, "stateN").data;
    if (opts.onProgress && (f % every === every - 1 || f === frames - 1)) opts.onProgress((f + 1) / frames);
  }
  return probs;
}

/** Audio at any rate (mono) -> speech segments in seconds. */
export async function detectSpeech(run: RunFn, audio: Float32Array, sampleRate: number, opts: VadOptions = {}): Promise<VadResult> {
  const mono16k = resample(audio, sampleRate, SILERO_RATE);
  const probs = await speechProbabilities(run, mono16k, opts);
  const frameSeconds = SILERO_FRAME / SILERO_RATE;
  const duration = audio.length / sampleRate;
  return { segments: segmentSpeech(probs, frameSeconds, duration, opts.settings), probs, frameSeconds, duration };
}

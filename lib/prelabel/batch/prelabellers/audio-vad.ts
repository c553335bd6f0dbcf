// Audio -> speech segments: Silero VAD v5 in the pre-labelling worker (the same pipeline as the
// audio editor's "Pre-label speech").
import { BUILTIN_MODELS, modelUrl } from "../../models";
import { speechToSegments } from "../../to-regions";
import { DEFAULT_VAD_SETTINGS } from "../../silero-vad/segmenter";
import type { Prelabeller } from "../types";

import { VAD_MODEL } from "../../../annotation/audio/prelabel";
export { VAD_MODEL };
export const VAD_MODEL_VERSION = "v5";
const RATE = 16000;

export const audioVad: Prelabeller<null> = {
  id: "silero-vad",
  label: "Speech segments (Silero VAD v5)",
  description: "Finds where people speak and adds one segment per utterance.",
  dataType: "audio",
  model: VAD_MODEL,
  modelVersion: VAD_MODEL_VERSION,
  input: "media",
  labelKind: "segment",
  async prepare(env, o) {
    const m = BUILTIN_MODELS.sileroVad;
    await env.client.init("vad", { key: m.name, url: modelUrl(m.file) }, { backend: env.backend, warmup: m.warmup(), signal: o.signal });
    return null;
  },
  async run(input, _p, env, o) {
    if (!input.media) throw new Error("the task has no audio file");
    if (!input.label) throw new Error("no label for speech segments");
    const audio = await env.decodeAudio16k(await input.media.arrayBuffer(), o.signal);
    const res = await env.client.task({ kind: "vad", session: "vad", audio, sampleRate: RATE, settings: DEFAULT_VAD_SETTINGS }, { signal: o.signal, onProgress: o.onProgress });
    const max = input.task.media?.duration && input.task.media.duration > 0 ? input.task.media.duration : Infinity;
    const clamped = res.segments.map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(max, s.end) }));
    return speechToSegments(clamped, { label: input.label, model: VAD_MODEL });
  },
};

// Whole pipelines run inside the worker (one request instead of one round trip per inference,
// and the post-processing of big maps and masks stays off the page's main thread). Each task
// only combines the pure pipelines with RunFns bound to the worker's sessions.
import type { RgbaImage } from "../image";
import type { RunFn } from "../tensor";
import { detectSpeech, type VadResult } from "../silero-vad/vad";
import type { VadSettings } from "../silero-vad/segmenter";
import { recognizeText, type OcrLine } from "../ppocr/ocr";
import type { DetSettings } from "../ppocr/det";
import { SamSegmenter, type SamResult } from "../sam/sam";
import type { SamPrompt } from "../sam/preprocess";
import type { PolygonOptions } from "../sam/mask";

export type TaskSpec =
  | { kind: "vad"; session: string; audio: Float32Array; sampleRate: number; settings?: Partial<VadSettings> }
  | { kind: "ocr"; det: string; rec: string; keys: { url: string } | { text: string }; image: RgbaImage; settings?: Partial<DetSettings>; minConfidence?: number }
  | { kind: "sam"; encoder: string; decoder: string; imageId: string; image?: RgbaImage; prompt?: SamPrompt; polygon?: PolygonOptions };

export interface TaskResults {
  vad: VadResult;
  ocr: OcrLine[];
  /** `null` when the request had no prompt (it only computed and cached the embedding). */
  sam: SamResult | null;
}

export type TaskResult = TaskResults[keyof TaskResults];

export interface TaskContext {
  runner(session: string): RunFn;
  keys(src: { url: string } | { text: string }): Promise<string[]>;
  sam(encoder: string, decoder: string): SamSegmenter;
  signal: AbortSignal;
  onProgress(done: number): void;
}

export class TaskInputError extends Error {}

export async function runTask(spec: TaskSpec, ctx: TaskContext): Promise<TaskResult> {
  switch (spec.kind) {
    case "vad":
      return detectSpeech(ctx.runner(spec.session), spec.audio, spec.sampleRate, { settings: spec.settings, signal: ctx.signal, onProgress: ctx.onProgress });
    case "ocr": {
      const classes = await ctx.keys(spec.keys);
      return recognizeText({ det: ctx.runner(spec.det), rec: ctx.runner(spec.rec), classes }, spec.image, { det: spec.settings, minConfidence: spec.minConfidence, signal: ctx.signal, onProgress: ctx.onProgress });
    }
    case "sam": {
      const sam = ctx.sam(spec.encoder, spec.decoder);
      if (!spec.image && !sam.isCached(spec.imageId)) throw new TaskInputError(`no embedding cached for image "${spec.imageId}": send the image`);
      if (!spec.prompt) {
        await sam.embed(spec.imageId, spec.image!);
        ctx.onProgress(1);
        return null;
      }
      const img = spec.image ?? { width: 0, height: 0, data: new Uint8ClampedArray(0) }; // unused when cached
      const res = await sam.segment(spec.imageId, img, spec.prompt, spec.polygon);
      ctx.onProgress(1);
      return res;
    }
  }
}

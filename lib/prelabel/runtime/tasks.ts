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
import { LruCache } from "../lru";
import { descriptorSchema, labelMapSchema, type DescriptorInput, type LabelMap } from "../byom/descriptor";
import { runByomImage, runByomNer, type ByomImageResult, type ByomNerResult } from "../byom/pipeline";
import { TokenizerError, tokenizerFromJson } from "../byom/tokenizer";
import { id2labelFromConfig } from "../byom/ner";

/** A text file for a BYOM task: fetched by the worker (same origin, cached per URL) or given inline. */
export type TextSource = { url: string } | { json: string };

export type TaskSpec =
  | { kind: "vad"; session: string; audio: Float32Array; sampleRate: number; settings?: Partial<VadSettings> }
  | { kind: "ocr"; det: string; rec: string; keys: { url: string } | { text: string }; image: RgbaImage; settings?: Partial<DetSettings>; minConfidence?: number }
  | { kind: "sam"; encoder: string; decoder: string; imageId: string; image?: RgbaImage; prompt?: SamPrompt; polygon?: PolygonOptions }
  /** A bring-your-own detect / segment / classify model on an image (lib/prelabel/byom). `model` = modelTag(m, v). */
  | { kind: "byom-image"; session: string; descriptor: DescriptorInput; labelMap: LabelMap; image: RgbaImage; model: string }
  /** A bring-your-own token classifier on a text; `config` gives id2label (else the descriptor's labels). */
  | { kind: "byom-ner"; session: string; descriptor: DescriptorInput; labelMap: LabelMap; tokenizer: TextSource; config?: TextSource; text: string; model: string; overlap?: number };

export interface TaskResults {
  vad: VadResult;
  ocr: OcrLine[];
  /** `null` when the request had no prompt (it only computed and cached the embedding). */
  sam: SamResult | null;
  "byom-image": ByomImageResult;
  "byom-ner": ByomNerResult;
}

export type TaskResult = TaskResults[keyof TaskResults];

export interface TaskContext {
  runner(session: string): RunFn;
  keys(src: { url: string } | { text: string }): Promise<string[]>;
  sam(encoder: string, decoder: string): SamSegmenter;
  /** Fetch a text file (BYOM tokenizer.json / config.json); default: global fetch. */
  fetchText?(url: string): Promise<string>;
  signal: AbortSignal;
  onProgress(done: number): void;
}

export class TaskInputError extends Error {}

// Parsed tokenizers / configs per URL (or inline text), shared by the worker's BYOM requests.
const textCache = new LruCache<string, Promise<unknown>>(8);

function cachedText<T>(src: TextSource, what: string, parse: (text: string) => T, ctx: TaskContext, variant = ""): Promise<T> {
  const key = "url" in src ? `${what}${variant}\u0000url:${src.url}` : `${what}${variant}\u0000json:${src.json.length}:${src.json.slice(0, 256)}:${src.json.slice(-256)}`;
  let p = textCache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = (async () => {
      let text: string;
      if ("url" in src) {
        const fetchText = ctx.fetchText ?? (async (url: string) => {
          const res = await fetch(url);
          if (!res.ok) throw new TaskInputError(`${what} ${url}: HTTP ${res.status}`);
          return res.text();
        });
        text = await fetchText(src.url);
      } else text = src.json;
      try {
        return parse(text);
      } catch (e) {
        throw new TaskInputError(`${what}: ${e instanceof Error ? e.message : e}`);
      }
    })();
    textCache.set(key, p);
    p.catch(() => textCache.delete(key));
  }
  return p;
}

function parseDescriptor(spec: { descriptor: DescriptorInput; labelMap: LabelMap }) {
  const d = descriptorSchema.safeParse(spec.descriptor);
  if (!d.success) throw new TaskInputError(`invalid model descriptor: ${d.error.issues.map((i) => `${i.path.join(".") || "descriptor"}: ${i.message}`).join("; ")}`);
  const m = labelMapSchema.safeParse(spec.labelMap ?? {});
  if (!m.success) throw new TaskInputError(`invalid label map: ${m.error.issues[0]?.message}`);
  return { descriptor: d.data, labelMap: m.data };
}

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
    case "byom-image": {
      const { descriptor, labelMap } = parseDescriptor(spec);
      return runByomImage(ctx.runner(spec.session), descriptor, labelMap, spec.image, { model: spec.model, signal: ctx.signal, onProgress: ctx.onProgress });
    }
    case "byom-ner": {
      const { descriptor, labelMap } = parseDescriptor(spec);
      if (typeof spec.text !== "string") throw new TaskInputError("byom-ner needs a text");
      const tok = await cachedText(spec.tokenizer, "tokenizer.json", (t) => {
        try {
          return tokenizerFromJson(t, { lowercase: descriptor.text?.lowercase });
        } catch (e) {
          throw e instanceof TokenizerError ? new TaskInputError(e.message) : e;
        }
      }, ctx, `:lc=${descriptor.text?.lowercase}`);
      const labels = spec.config ? await cachedText(spec.config, "config.json", (t) => id2labelFromConfig(JSON.parse(t)), ctx) : null;
      return runByomNer(ctx.runner(spec.session), descriptor, labelMap, tok, labels, spec.text, { model: spec.model, overlap: spec.overlap, signal: ctx.signal, onProgress: ctx.onProgress });
    }
  }
}

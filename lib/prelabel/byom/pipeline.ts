// The BYOM pipelines end to end: descriptor + label map + input -> prediction regions. What the
// worker tasks (runtime/tasks.ts "byom-image", "byom-ner") run; also usable on the page or in
// Node with any RunFn. Pure apart from the injected RunFn.
import type { RgbaImage } from "../image";
import { outputF32, PrelabelModelError, type RunFn } from "../tensor";
import type { PolygonRegion } from "../../annotation/regions/polygon";
import type { RectRegion } from "../../annotation/regions/rect";
import type { Descriptor, LabelMap } from "./descriptor";
import { toNaturalBoxes } from "./boxes";
import { preprocessImage } from "./preprocess";
import { decodeYolov8 } from "./yolov8";
import { decodeYolov5 } from "./yolov5";
import { decodeYoloE2E } from "./yolo-e2e";
import { decodeYolov8Seg } from "./yolov8-seg";
import { decodeProbs, type ClassScore } from "./probs";
import { recognizeEntities, type EntitySpan } from "./ner";
import type { Tokenizer } from "./tokenizer";
import { classToPrediction, detectionsToRects, entitiesToSpans, segmentsToPolygons, type ClassificationPrediction, type SpanRegion } from "./regions";

export interface ByomImageResult {
  /** detect: rects; segment: polygons; classify: none. Natural-image pixels. */
  regions: Array<RectRegion | PolygonRegion>;
  /** classify only: the best mapped class (null when every class is dropped or below conf). */
  classification: ClassificationPrediction | null;
  /** classify only: all classes, best first (for a "top 5" display). */
  scores?: Array<ClassScore & { label: string }>;
  /** Detections before the label map (how many the model found). */
  detections: number;
}

export interface ByomRunOptions {
  /** modelTag(model, version). */
  model: string;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

export async function runByomImage(run: RunFn, d: Descriptor, map: LabelMap, img: RgbaImage, o: ByomRunOptions): Promise<ByomImageResult> {
  if (!d.input) throw new PrelabelModelError(`a ${d.task} model needs an image input description`);
  if (d.task === "ner") throw new PrelabelModelError("a ner model runs on text (byom-ner), not on an image");
  const { feeds, transform } = preprocessImage(img, d.input);
  const out = await run(feeds, d.output.names);
  if (o.signal?.aborted) throw o.signal.reason ?? new Error("aborted");
  const nc = d.labels.length;
  const th = d.thresholds;
  const main = outputF32(out, d.output.names[0]!);
  let result: ByomImageResult;
  switch (d.output.format) {
    case "yolov8":
    case "yolov5":
    case "yolo-e2e": {
      const dets = d.output.format === "yolov8" ? decodeYolov8(main.data, main.dims, nc, th, d.output.names[0])
        : d.output.format === "yolov5" ? decodeYolov5(main.data, main.dims, nc, th, d.output.names[0])
        : decodeYoloE2E(main.data, main.dims, nc, th, d.output.names[0]);
      const nat = toNaturalBoxes(dets, transform);
      result = { regions: detectionsToRects(nat, d.labels, map, o), classification: null, detections: nat.length };
      break;
    }
    case "yolov8-seg": {
      const protoName = d.output.names[1];
      if (!protoName) throw new PrelabelModelError("yolov8-seg needs two outputs: detections and mask prototypes");
      const protos = outputF32(out, protoName);
      const dets = decodeYolov8Seg(main, protos, nc, transform, th, [d.output.names[0]!, protoName]);
      result = { regions: segmentsToPolygons(dets, d.labels, map, o), classification: null, detections: dets.length };
      break;
    }
    case "probs": {
      const scores = decodeProbs(main.data, main.dims, nc, { softmax: d.output.softmax }, d.output.names[0]);
      result = {
        regions: [],
        classification: classToPrediction(scores, d.labels, map, { model: o.model, minScore: th.conf }),
        scores: scores.map((s) => ({ ...s, label: d.labels[s.cls]! })),
        detections: scores[0] && scores[0].score >= th.conf ? 1 : 0,
      };
      break;
    }
    default:
      throw new PrelabelModelError(`output format "${d.output.format}" is not an image format`);
  }
  o.onProgress?.(1);
  return result;
}

export interface ByomNerResult {
  regions: SpanRegion[];
  /** Entities before the label map. */
  entities: EntitySpan[];
}

/**
 * `labels`: the model's tag names by id (config.json id2label via id2labelFromConfig; the
 * descriptor's labels when no config is given).
 */
export async function runByomNer(run: RunFn, d: Descriptor, map: LabelMap, tok: Tokenizer, labels: readonly string[] | null, text: string, o: ByomRunOptions & { overlap?: number }): Promise<ByomNerResult> {
  if (d.task !== "ner" || !d.text) throw new PrelabelModelError(`a ${d.task} model runs on images (byom-image), not on text`);
  const tags = labels ?? d.labels;
  const entities = await recognizeEntities(run, tok, tags, text, {
    maxLength: d.text.maxLength,
    overlap: o.overlap,
    tokenTypeIds: d.text.tokenTypeIds,
    outputName: d.output.names[0],
    signal: o.signal,
    onProgress: o.onProgress,
  });
  return { regions: entitiesToSpans(entities, map, o), entities };
}

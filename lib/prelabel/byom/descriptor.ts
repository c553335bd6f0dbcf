// The bring-your-own-model descriptor: what Loupe needs to know to run an uploaded ONNX model in
// the browser and turn its outputs into regions. Shared by the server (validation on upload and
// edit), the settings UI (form, prefill from the model's own metadata) and the worker pipelines
// (lib/prelabel/byom/*). Framework-free. ADR 0015.
import { z } from "zod";

export const BYOM_TASKS = ["detect", "segment", "classify", "ner"] as const;
export type ByomTask = (typeof BYOM_TASKS)[number];

/** The data type a task runs on (the project's data type must match). */
export const TASK_DATA_TYPE: Record<ByomTask, "image" | "text"> = { detect: "image", segment: "image", classify: "image", ner: "text" };

/**
 * How the raw output tensor is laid out.
 * - `yolov8`: [1, 4+nc, N] (cx, cy, w, h, class scores; v8/v11 Ultralytics export), N ≫ 4+nc
 * - `yolov5`: [1, N, 5+nc] (cx, cy, w, h, objectness, class scores)
 * - `yolo-e2e`: [1, N, 6] (x1, y1, x2, y2, score, class; nms=True, v10, YOLO26)
 * - `yolov8-seg`: output0 [1, 4+nc+32, N] + output1 prototypes [1, 32, mh, mw]
 * - `probs`: [1, nc] class probabilities (or logits with `softmax: true`)
 * - `token-logits`: [1, seq, L] per-token logits (Hugging Face token classification)
 */
export const OUTPUT_FORMATS = ["yolov8", "yolov5", "yolo-e2e", "yolov8-seg", "probs", "token-logits"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const num = z.number().finite();

export const imageInputSchema = z.object({
  /** The model's image input name, e.g. "images". */
  name: z.string().min(1),
  layout: z.enum(["NCHW", "NHWC"]).default("NCHW"),
  /** [height, width] the image is resized to. */
  size: z.tuple([z.number().int().min(8).max(4096), z.number().int().min(8).max(4096)]),
  color: z.enum(["RGB", "BGR"]).default("RGB"),
  /** Pixel value multiplier before mean/std, e.g. 1/255. */
  scale: num.positive().default(1 / 255),
  mean: z.tuple([num, num, num]).default([0, 0, 0]),
  std: z.tuple([num.positive(), num.positive(), num.positive()]).default([1, 1, 1]),
  resize: z.enum(["letterbox", "stretch"]).default("letterbox"),
  /** Letterbox padding value (0-255). */
  pad: z.number().int().min(0).max(255).default(114),
});

export const textInputSchema = z.object({
  /** Maximum tokens per window (longer texts are split into overlapping windows). */
  maxLength: z.number().int().min(8).max(4096).default(512),
  /** Whether the model takes `token_type_ids` (read from the model's inputs). */
  tokenTypeIds: z.boolean().default(false),
  lowercase: z.boolean().optional(),
});

export const outputSchema = z.object({
  /** Output tensor names: [main] or [main, prototypes] for yolov8-seg. */
  names: z.array(z.string().min(1)).min(1).max(2),
  format: z.enum(OUTPUT_FORMATS),
  /** `probs` only: apply softmax first (the output is logits). */
  softmax: z.boolean().default(false),
});

export const thresholdsSchema = z.object({
  /** Minimum score kept. */
  conf: num.min(0).max(1).default(0.25),
  /** NMS IoU threshold (class-aware). */
  iou: num.min(0).max(1).default(0.45),
  maxDet: z.number().int().min(1).max(10000).default(300),
  /** `segment`: mask logit threshold after sigmoid. */
  mask: num.min(0).max(1).default(0.5),
});

export const descriptorSchema = z
  .object({
    task: z.enum(BYOM_TASKS),
    /** Image tasks. */
    input: imageInputSchema.optional(),
    /** `ner`. */
    text: textInputSchema.optional(),
    output: outputSchema,
    /** The model's class names, index = class id. */
    labels: z.array(z.string().min(1).max(200)).min(1).max(10000),
    thresholds: thresholdsSchema.default({ conf: 0.25, iou: 0.45, maxDet: 300, mask: 0.5 }),
  })
  .superRefine((d, ctx) => {
    const image = d.task !== "ner";
    if (image && !d.input) ctx.addIssue({ code: "custom", path: ["input"], message: `a ${d.task} model needs an image input description` });
    if (!image && !d.text) ctx.addIssue({ code: "custom", path: ["text"], message: "a ner model needs a text input description" });
    const ok: Record<ByomTask, OutputFormat[]> = {
      detect: ["yolov8", "yolov5", "yolo-e2e"],
      segment: ["yolov8-seg"],
      classify: ["probs"],
      ner: ["token-logits"],
    };
    if (!ok[d.task].includes(d.output.format))
      ctx.addIssue({ code: "custom", path: ["output", "format"], message: `output format "${d.output.format}" does not fit task "${d.task}" (use ${ok[d.task].join(" or ")})` });
    if (d.output.format === "yolov8-seg" && d.output.names.length !== 2)
      ctx.addIssue({ code: "custom", path: ["output", "names"], message: "yolov8-seg needs two outputs: detections and mask prototypes" });
  });

export type Descriptor = z.output<typeof descriptorSchema>;
export type DescriptorInput = z.input<typeof descriptorSchema>;

/**
 * Model label -> project label. A model label mapped to null (or absent) is dropped from the
 * predictions. For `classify` the targets are choices of a project classification, written as
 * "classificationName:choice"; for the others, project label names.
 */
export const labelMapSchema = z.record(z.string(), z.string().min(1).nullable());
export type LabelMap = z.output<typeof labelMapSchema>;

/** A model version as the editors receive it (GET /api/v1/projects/:id/models). */
export interface ModelVersionInfo {
  id: number;
  version: number;
  sha256: string;
  size: number;
  descriptor: Descriptor;
  labelMap: LabelMap;
  /** Same-origin URLs the browser fetches (session cookie or token). */
  files: { model: string; tokenizer?: string; config?: string };
  createdAt: number;
}

export interface ModelInfo {
  id: number;
  projectId: number;
  name: string;
  task: ByomTask;
  /** The newest version (what the editors run). */
  latest: ModelVersionInfo;
  versionCount: number;
  createdAt: number;
}

/** The `model` string stored on predictions and regions: "name@version". */
export const modelTag = (m: { name: string }, v: { version: number }) => `${m.name}@${v.version}`;

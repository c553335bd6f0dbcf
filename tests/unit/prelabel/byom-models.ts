// Tiny ONNX models shaped like the exports Loupe accepts (Ultralytics YOLO v8/v5/e2e/seg/cls,
// Hugging Face token classification), built with onnx-proto. Signatures and metadata only: the
// graph is one Identity node, so they are a few hundred bytes (plus an optional big initializer).
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
const FLOAT = 1;
const INT64 = 7;
type D = number | string;

const vi = (name: string, dims: D[], elemType = FLOAT) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

export interface Spec {
  inputs: Array<{ name: string; dims: D[]; int64?: boolean }>;
  outputs: Array<{ name: string; dims: D[] }>;
  metadata?: Record<string, string>;
  /** Bytes of a float initializer stored as raw_data (weights the Node path must not read). */
  initializerBytes?: number;
  /** Old-style export: the initializer is also listed as a graph input. */
  initializerAsInput?: boolean;
  /** An initializer whose weights live in a separate file (data_location = EXTERNAL). */
  externalData?: boolean;
}

export function buildModel(s: Spec): Uint8Array {
  const initializer = s.initializerBytes
    ? [{ name: "weights", dataType: FLOAT, dims: [s.initializerBytes / 4], rawData: new Uint8Array(s.initializerBytes).fill(7) }]
    : [];
  if (s.externalData) {
    initializer.push({ name: "ext", dataType: FLOAT, dims: [1000], dataLocation: 1, externalData: [{ key: "location", value: "model.onnx.data" }, { key: "length", value: "4000" }] } as never);
  }
  const inputs = s.inputs.map((i) => vi(i.name, i.dims, i.int64 ? INT64 : FLOAT));
  if (s.initializerAsInput && s.initializerBytes) inputs.push(vi("weights", [s.initializerBytes / 4]));
  const m = onnx.ModelProto.create({
    irVersion: 9,
    producerName: "pytorch",
    producerVersion: "2.4.0",
    opsetImport: [{ domain: "", version: 17 }],
    metadataProps: Object.entries(s.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: "main_graph",
      node: s.outputs.map((o) => ({ opType: "Identity", input: [s.inputs[0]!.name], output: [o.name] })),
      initializer,
      input: inputs,
      output: s.outputs.map((o) => vi(o.name, o.dims)),
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

const names = (labels: string[]) => `{${labels.map((l, i) => `${i}: '${l}'`).join(", ")}}`;

export const yoloMeta = (labels: string[], task = "detect", imgsz = 640) => ({
  description: "Ultralytics YOLO11n model",
  author: "Ultralytics",
  task,
  stride: "32",
  batch: "1",
  imgsz: `[${imgsz}, ${imgsz}]`,
  names: names(labels),
});

export const yolov8 = (labels = ["person", "car", "dog"], size = 640, extra: Partial<Spec> = {}) =>
  buildModel({
    inputs: [{ name: "images", dims: [1, 3, size, size] }],
    outputs: [{ name: "output0", dims: [1, 4 + labels.length, 8400] }],
    metadata: yoloMeta(labels, "detect", size),
    ...extra,
  });

export const yolov5 = (nc = 2) =>
  buildModel({ inputs: [{ name: "images", dims: [1, 3, 320, 320] }], outputs: [{ name: "output", dims: [1, 6300, 5 + nc] }] });

export const yoloE2e = (labels = ["a", "b"]) =>
  buildModel({ inputs: [{ name: "images", dims: [1, 3, 640, 640] }], outputs: [{ name: "output0", dims: [1, 300, 6] }], metadata: yoloMeta(labels) });

export const yoloSeg = (labels = ["person", "car"]) =>
  buildModel({
    inputs: [{ name: "images", dims: [1, 3, 640, 640] }],
    outputs: [
      { name: "output0", dims: [1, 4 + labels.length + 32, 8400] },
      { name: "output1", dims: [1, 32, 160, 160] },
    ],
    metadata: yoloMeta(labels, "segment"),
  });

export const yoloCls = (labels = ["cat", "dog", "bird"]) =>
  buildModel({ inputs: [{ name: "images", dims: [1, 3, 224, 224] }], outputs: [{ name: "output0", dims: [1, labels.length] }], metadata: yoloMeta(labels, "classify", 224) });

export const dynamicYolo = () =>
  buildModel({
    inputs: [{ name: "images", dims: ["batch", 3, "height", "width"] }],
    outputs: [{ name: "output0", dims: ["batch", 6, "anchors"] }],
  });

export const nerModel = (nl = 5, tokenTypes = true) =>
  buildModel({
    inputs: [
      { name: "input_ids", dims: ["batch_size", "sequence_length"], int64: true },
      { name: "attention_mask", dims: ["batch_size", "sequence_length"], int64: true },
      ...(tokenTypes ? [{ name: "token_type_ids", dims: ["batch_size", "sequence_length"], int64: true }] : []),
    ],
    outputs: [{ name: "logits", dims: ["batch_size", "sequence_length", nl] }],
  });

export const nerConfig = (labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]) => ({
  architectures: ["BertForTokenClassification"],
  id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
  label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
});

export const tokenizerJson = () => ({ version: "1.0", model: { type: "WordPiece", vocab: { "[UNK]": 0, "[CLS]": 1, "[SEP]": 2 } } });

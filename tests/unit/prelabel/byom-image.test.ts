// BYOM image pipelines end to end on tiny ONNX stand-ins with known outputs (onnx-proto), through
// onnxruntime-node: YOLOv8 (NMS, class-aware, low score, letterbox undo, clip), YOLOv5, end-to-end,
// segmentation (known prototypes -> known polygon), classification (a real computation on the
// pixels: channel means), plus the pure pieces (preprocessing, NMS, format detection).
import { describe, expect, it } from "vitest";
import { descriptorSchema, type DescriptorInput } from "@/lib/prelabel/byom/descriptor";
import { runByomImage } from "@/lib/prelabel/byom/pipeline";
import { letterboxGeometry, preprocessImage, toNatural } from "@/lib/prelabel/byom/preprocess";
import { nms, type Detection } from "@/lib/prelabel/byom/boxes";
import { decodeYolov8 } from "@/lib/prelabel/byom/yolov8";
import { guessOutput, prefillDescriptor } from "@/lib/prelabel/byom/prefill";
import { decodeProbs } from "@/lib/prelabel/byom/probs";
import type { RgbaImage } from "@/lib/prelabel/image";
import { bytesSource, OnnxParseError, parsePythonNames, readOnnxInfo, type OnnxTensorInfo } from "@/lib/prelabel/byom/onnx-info";
import { channelMeanModel, constantOutputsModel, gatherNerModel } from "./tiny-onnx";
import { nodeSessionFromBytes } from "./helpers";

const solid = (width: number, height: number, rgb: [number, number, number]): RgbaImage => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return { width, height, data };
};

/** [1, C, N] data from candidate rows (each row C values). */
const channelsFirst = (rows: number[][]): Float32Array => {
  const C = rows[0]!.length, N = rows.length;
  const out = new Float32Array(C * N);
  rows.forEach((r, n) => r.forEach((v, c) => (out[c * N + n] = v)));
  return out;
};

const desc = (d: Partial<DescriptorInput> & Pick<DescriptorInput, "task" | "output" | "labels">) =>
  descriptorSchema.parse({ input: { name: "images", size: [64, 64] }, ...d });

// YOLOv8 stand-in: 64x64 input, classes cat/dog. Rows: cx, cy, w, h, cat, dog (input pixels).
const V8_ROWS = [
  [20, 30, 10, 10, 0.9, 0.05], // cat, kept
  [21, 30, 10, 10, 0.8, 0.1], // duplicate cat (IoU 0.82): suppressed
  [21, 31, 10, 10, 0.1, 0.7], // dog over the cat: a different class, kept
  [45, 40, 8, 8, 0.1, 0.05], // low score: dropped
  [60, 30, 10, 6, 0.02, 0.6], // dog running off the right edge: clipped
];

describe("BYOM detection (onnxruntime-node)", () => {
  it("YOLOv8: class-aware NMS, low score dropped, letterbox undone on a 128x64 image, clipped, label map applied", async () => {
    const run = await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 6, 5], data: channelsFirst(V8_ROWS) }]));
    const d = desc({ task: "detect", output: { names: ["output0"], format: "yolov8" }, labels: ["cat", "dog"] });
    // 128x64 -> scale 0.5 -> 64x32 centred: 16 px of padding above and below.
    const res = await runByomImage(run, d, { cat: "Cat", dog: "Dog" }, solid(128, 64, [10, 20, 30]), { model: "pets@2" });
    expect(res.detections).toBe(3);
    expect(res.regions.map((r) => ({ ...r, id: undefined }))).toEqual([
      { id: undefined, kind: "rect", label: "Cat", x: 30, y: 18, width: 20, height: 20, rotation: 0, attributes: { modelLabel: "cat" }, origin: "prediction", model: "pets@2", score: 0.9 },
      { id: undefined, kind: "rect", label: "Dog", x: 32, y: 20, width: 20, height: 20, rotation: 0, attributes: { modelLabel: "dog" }, origin: "prediction", model: "pets@2", score: 0.7 },
      { id: undefined, kind: "rect", label: "Dog", x: 110, y: 22, width: 18, height: 12, rotation: 0, attributes: { modelLabel: "dog" }, origin: "prediction", model: "pets@2", score: 0.6 },
    ]);
    expect(res.regions.map((r) => r.id)).toEqual(["pets@2-0", "pets@2-1", "pets@2-2"]);
    // An absent or null mapping drops the class; maxDet keeps the best.
    const cats = await runByomImage(run, d, { cat: "Cat", dog: null }, solid(128, 64, [0, 0, 0]), { model: "pets@2" });
    expect(cats.regions.map((r) => r.label)).toEqual(["Cat"]);
    const one = await runByomImage(run, { ...d, thresholds: { ...d.thresholds, maxDet: 1 } }, { cat: "Cat", dog: "Dog" }, solid(128, 64, [0, 0, 0]), { model: "m@1" });
    expect(one.regions).toHaveLength(1);
    // A higher IoU threshold keeps the duplicate too; a higher conf drops the 0.6 dog.
    const loose = await runByomImage(run, { ...d, thresholds: { ...d.thresholds, iou: 0.9, conf: 0.65 } }, { cat: "Cat", dog: "Dog" }, solid(128, 64, [0, 0, 0]), { model: "m@1" });
    expect(loose.regions.map((r) => [r.label, r.score])).toEqual([["Cat", 0.9], ["Cat", 0.8], ["Dog", 0.7]]);
  });

  it("YOLOv8 transposed [1, N, 4+nc] decodes the same", () => {
    const rowsFirst = new Float32Array(V8_ROWS.flat());
    const a = decodeYolov8(channelsFirst(V8_ROWS), [1, 6, 5], 2, { conf: 0.25, iou: 0.45, maxDet: 300 });
    const b = decodeYolov8(rowsFirst, [1, 5, 6], 2, { conf: 0.25, iou: 0.45, maxDet: 300 });
    expect(b).toEqual(a);
    expect(() => decodeYolov8(rowsFirst, [1, 5, 6], 3, { conf: 0.25, iou: 0.45, maxDet: 300 })).toThrow(/neither axis is 7/);
  });

  it("YOLOv5: objectness × class score, NMS, stretch undone on a 32x16 image", async () => {
    // Rows: cx, cy, w, h, obj, cat, dog.
    const rows = [
      [15, 20, 10, 20, 0.9, 1.0, 0.0], // cat 0.9
      [16, 20, 10, 20, 0.95, 0.8, 0.2], // cat 0.76, duplicate: suppressed
      [15, 21, 10, 20, 0.5, 0.1, 0.9], // dog 0.45 over the cat: kept
      [40, 40, 10, 10, 0.3, 0.5, 0.5], // 0.15: dropped
      [40, 40, 10, 10, 0.2, 1.0, 1.0], // objectness below conf: dropped
    ];
    const run = await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 5, 7], data: new Float32Array(rows.flat()) }]));
    const d = desc({ task: "detect", input: { name: "images", size: [64, 64], resize: "stretch" }, output: { names: ["output0"], format: "yolov5" }, labels: ["cat", "dog"] });
    const res = await runByomImage(run, d, { cat: "Cat", dog: "Dog" }, solid(32, 16, [1, 2, 3]), { model: "v5@1" });
    // sx = 64/32 = 2, sy = 64/16 = 4: input (10,10)-(20,30) -> natural (5,2.5)-(10,7.5).
    expect(res.regions.map((r) => r.kind === "rect" && [r.label, r.x, r.y, r.width, r.height, r.score])).toEqual([
      ["Cat", 5, 2.5, 5, 5, 0.9],
      ["Dog", 5, 2.75, 5, 5, 0.45],
    ]);
  });

  it("end-to-end [1, N, 6] (NHWC input): threshold and maxDet only, no second NMS", async () => {
    const rows = [
      [10, 10, 20, 20, 0.9, 0],
      [10, 10, 20, 20, 0.85, 0], // the model's NMS kept it: so do we
      [0, 0, 5, 5, 0.1, 1], // low
      [30, 30, 40, 40, 0.5, 1],
    ];
    const run = await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 64, 64, 3] }, [{ name: "output0", dims: [1, 4, 6], data: new Float32Array(rows.flat()) }]));
    const d = desc({ task: "detect", input: { name: "images", size: [64, 64], layout: "NHWC" }, output: { names: ["output0"], format: "yolo-e2e" }, labels: ["a", "b"] });
    const res = await runByomImage(run, d, { a: "A", b: "B" }, solid(64, 64, [0, 0, 0]), { model: "e2e@1" });
    expect(res.regions.map((r) => r.kind === "rect" && [r.label, r.x, r.y, r.width, r.height, r.score])).toEqual([
      ["A", 10, 10, 10, 10, 0.9],
      ["A", 10, 10, 10, 10, 0.85],
      ["B", 30, 30, 10, 10, 0.5],
    ]);
    const two = await runByomImage(run, { ...d, thresholds: { ...d.thresholds, maxDet: 2 } }, { a: "A", b: "B" }, solid(64, 64, [0, 0, 0]), { model: "e2e@1" });
    expect(two.regions.map((r) => r.score)).toEqual([0.9, 0.85]);
  });

  it("a model whose class count does not match the labels fails with a clear message", async () => {
    const run = await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 6, 5], data: channelsFirst(V8_ROWS) }]));
    const d = desc({ task: "detect", output: { names: ["output0"], format: "yolov8" }, labels: ["cat", "dog", "bird"] });
    await expect(runByomImage(run, d, {}, solid(8, 8, [0, 0, 0]), { model: "m@1" })).rejects.toThrow(/neither axis is 7 \(4 box values \+ 3 class scores/);
  });
});

describe("BYOM segmentation (onnxruntime-node)", () => {
  it("mask = sigmoid(coeffs · protos), cropped to the box, upsampled, traced: a known rectangle in natural pixels", async () => {
    // Prototypes [1, 2, 16, 16] for a 64x64 input (4 input px per proto px). Bilinear upsampling
    // rounds corners where two soft edges meet, so each corner here has one edge from the box crop.
    const protos = new Float32Array(2 * 16 * 16);
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) {
      protos[y * 16 + x] = x < 14 ? 10 : -10; // proto 0 alone: positive up to input x 56 (past the box)
      protos[256 + y * 16 + x] = x >= 10 ? -40 : 0; // proto 1 (coefficient 0.5) pulls the edge in to input x 40
    }
    // output0 [1, 4+1+2, 2]: cx, cy, w, h, score, c0, c1.
    const out0 = channelsFirst([
      [32, 28, 32, 24, 0.9, 1, 0.5], // box input (16,16)-(48,40)
      [32, 32, 32, 32, 0.1, 1, 0], // low score
    ]);
    const run = await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [
      { name: "output0", dims: [1, 7, 2], data: out0 },
      { name: "output1", dims: [1, 2, 16, 16], data: protos },
    ]));
    const d = desc({ task: "segment", output: { names: ["output0", "output1"], format: "yolov8-seg" }, labels: ["blob"] });
    // 128x64 image: scale 0.5, 16 px padding on top. Mask in input px: x 16..40 (the soft edge of
    // 10 - 0.5 * 40 at proto x 9.5 -> input x 40), y 16..40 (the box crop).
    const res = await runByomImage(run, d, { blob: "Blob" }, solid(128, 64, [50, 50, 50]), { model: "seg@1" });
    expect(res.regions).toHaveLength(1);
    const r = res.regions[0]!;
    expect(r).toMatchObject({ kind: "polygon", label: "Blob", origin: "prediction", model: "seg@1", score: 0.9 });
    // natural = ((x - 0) / 0.5, (y - 16) / 0.5)
    expect(r.kind === "polygon" && r.points).toEqual([[32, 0], [80, 0], [80, 48], [32, 48]]);
    // Without proto 1's contribution the mask would reach the box's right edge (input 48 -> 96).
    const alone = await runByomImage(await nodeSessionFromBytes(constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [
      { name: "output0", dims: [1, 7, 2], data: channelsFirst([[32, 28, 32, 24, 0.9, 1, 0], [0, 0, 1, 1, 0, 0, 0]]) },
      { name: "output1", dims: [1, 2, 16, 16], data: protos },
    ])), d, { blob: "Blob" }, solid(128, 64, [0, 0, 0]), { model: "seg@1" });
    expect(alone.regions[0]!.kind === "polygon" && alone.regions[0]!.points).toEqual([[32, 0], [96, 0], [96, 48], [32, 48]]);
  });
});

describe("BYOM classification (onnxruntime-node)", () => {
  const mapping = { red: "colour:red", green: "colour:green", blue: "Blue" };

  it("RGB NCHW: the red image's top class is red; softmax gives its probability; a colon target is a document classification", async () => {
    const run = await nodeSessionFromBytes(channelMeanModel("images", [1, 3, 32, 32], "NCHW"));
    const d = desc({ task: "classify", input: { name: "images", size: [32, 32], resize: "stretch" }, output: { names: ["output0"], format: "probs", softmax: true }, labels: ["red", "green", "blue"] });
    const res = await runByomImage(run, d, mapping, solid(40, 20, [255, 0, 0]), { model: "colours@1" });
    const p = Math.E / (Math.E + 2); // softmax([1, 0, 0])
    expect(res.regions).toEqual([]);
    expect(res.classification).toEqual({ kind: "classification", name: "colour", choice: "red", score: Math.round(p * 1e4) / 1e4, modelLabel: "red", model: "colours@1" });
    expect(res.scores![0]).toMatchObject({ label: "red" });
    expect(res.scores![0]!.score).toBeCloseTo(p, 5);
  });

  it("BGR NHWC swaps the channels: red pixels read as the third class; a target without a colon is a label", async () => {
    const run = await nodeSessionFromBytes(channelMeanModel("images", [1, 32, 32, 3], "NHWC"));
    const d = desc({ task: "classify", input: { name: "images", size: [32, 32], resize: "stretch", layout: "NHWC", color: "BGR" }, output: { names: ["output0"], format: "probs" }, labels: ["red", "green", "blue"] });
    const res = await runByomImage(run, d, mapping, solid(40, 20, [255, 0, 0]), { model: "colours@1" });
    expect(res.classification).toMatchObject({ kind: "label", label: "Blue", modelLabel: "blue" });
    expect(res.classification!.score).toBeCloseTo(1, 5);
  });

  it("a class mapped to null is skipped for the next mapped one above conf", () => {
    const scores = decodeProbs(new Float32Array([0.6, 0.3, 0.1]), [1, 3], 3, { softmax: false });
    expect(scores.map((s) => s.cls)).toEqual([0, 1, 2]);
    expect(() => decodeProbs(new Float32Array([0.6, 0.3]), [1, 2], 3, { softmax: false })).toThrow(/expected \[1, 3\]/);
  });
});

describe("BYOM pure pieces", () => {
  it("letterbox: scale to fit, centred, pad normalised per channel; the transform maps input px back", () => {
    expect(letterboxGeometry(128, 64, 64, 64)).toEqual({ w: 64, h: 32, left: 0, top: 16 });
    expect(letterboxGeometry(30, 90, 64, 64)).toEqual({ w: 21, h: 64, left: 21, top: 0 });
    // 5 * 6.5 = 32.5 rounds to even (32) as Python's round() does; pad (64 - 32) / 2 = 16.
    expect(letterboxGeometry(5, 10, 64, 65)).toEqual({ w: 32, h: 65, left: 16, top: 0 });
    const input = descriptorSchema.parse({ task: "detect", input: { name: "x", size: [8, 8], mean: [0.5, 0, 0], std: [0.5, 1, 1] }, output: { names: ["y"], format: "yolov8" }, labels: ["a"] }).input!;
    const { tensor, transform } = preprocessImage(solid(8, 4, [255, 0, 255]), input);
    expect(tensor.dims).toEqual([1, 3, 8, 8]);
    const at = (c: number, y: number, x: number) => (tensor.data as Float32Array)[c * 64 + y * 8 + x]!;
    const pad0 = (114 / 255 - 0.5) / 0.5;
    expect(at(0, 0, 0)).toBeCloseTo(pad0, 6); // padding row, channel 0 with its mean/std
    expect(at(1, 0, 0)).toBeCloseTo(114 / 255, 6);
    expect(at(0, 2, 3)).toBeCloseTo(1, 6); // image rows 2..5: (1 - 0.5) / 0.5
    expect(at(2, 5, 7)).toBeCloseTo(1, 6);
    expect(at(1, 6, 0)).toBeCloseTo(114 / 255, 6);
    expect(transform).toMatchObject({ sx: 1, sy: 1, dx: 0, dy: 2 });
    expect(toNatural(transform, 4, 6)).toEqual([4, 4]);
  });

  it("NMS is class-aware and keeps the best of each overlapping group", () => {
    const box = (x: number, score: number, cls: number, index: number): Detection => ({ x1: x, y1: 0, x2: x + 10, y2: 10, score, cls, index });
    const kept = nms([box(0, 0.5, 0, 0), box(1, 0.9, 0, 1), box(1, 0.8, 1, 2), box(30, 0.3, 0, 3)], 0.45, 10);
    expect(kept.map((k) => k.index)).toEqual([1, 2, 3]);
    expect(nms([box(0, 0.5, 0, 0), box(1, 0.9, 0, 1)], 0.9, 10).map((k) => k.index)).toEqual([1, 0]);
  });

  it("auto-detects the format from output dims", () => {
    const o = (name: string, dims: Array<number | string>): OnnxTensorInfo => ({ name, elemType: "float32", dims });
    expect(guessOutput([o("output0", [1, 84, 8400])])).toEqual({ format: "yolov8", names: ["output0"], nc: 80 });
    expect(guessOutput([o("output0", [1, 25200, 85])])).toEqual({ format: "yolov5", names: ["output0"], nc: 80 });
    expect(guessOutput([o("output0", [1, 300, 6])])).toMatchObject({ format: "yolo-e2e", nc: null });
    expect(guessOutput([o("output0", [1, 116, 8400]), o("output1", [1, 32, 160, 160])])).toEqual({ format: "yolov8-seg", names: ["output0", "output1"], nc: 80 });
    expect(guessOutput([o("output0", [1, 1000])])).toMatchObject({ format: "probs", nc: 1000 });
    expect(guessOutput([o("output0", [1, 84, "anchors"])])).toMatchObject({ format: "yolov8", nc: 80 });
    expect(guessOutput([o("y", [2, 3, 4, 5, 6])])).toBeNull();
  });

  it("reads Ultralytics `names` metadata (Python dict repr)", () => {
    expect(parsePythonNames("{0: 'person', 1: 'bicycle', 2: \"it's\"}")).toEqual(["person", "bicycle", "it's"]);
    expect(parsePythonNames("{0: 'a', 2: 'c'}")).toEqual(["a", "class1", "c"]); // a gap gets a placeholder
    expect(parsePythonNames("nonsense")).toBeNull();
  });
});

describe("reading a model file for the settings UI", () => {
  it("gives inputs, outputs, Ultralytics metadata, and a descriptor draft that validates and runs", async () => {
    // Candidates must outnumber channels for the [1, C, N] reading (real heads: 8400 vs 84): pad with empty rows.
    const rows = [...V8_ROWS, ...Array.from({ length: 5 }, () => [0, 0, 0, 0, 0, 0])];
    const bytes = constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 6, 10], data: channelsFirst(rows) }], { names: "{0: 'cat', 1: 'dog'}", imgsz: "[64, 64]", task: "detect" });
    const info = await readOnnxInfo(bytesSource(bytes));
    expect(info.inputs).toEqual([{ name: "images", dims: [1, 3, 64, 64], elemType: "float32" }]); // initializers are not inputs
    expect(info.outputs).toEqual([{ name: "output0", dims: [1, 6, 10], elemType: "float32" }]);
    expect(info.metadata).toEqual({ names: "{0: 'cat', 1: 'dog'}", imgsz: "[64, 64]", task: "detect" });
    expect(info.opset).toBe(13);
    const { descriptor, warnings } = prefillDescriptor(info);
    expect(warnings).toEqual([]);
    const d = descriptorSchema.parse(descriptor);
    expect(d).toMatchObject({ task: "detect", labels: ["cat", "dog"], output: { format: "yolov8" }, input: { name: "images", size: [64, 64], layout: "NCHW", resize: "letterbox" } });
    const res = await runByomImage(await nodeSessionFromBytes(bytes), d, { cat: "Cat", dog: "Dog" }, solid(128, 64, [0, 0, 0]), { model: "m@1" });
    expect(res.regions).toHaveLength(3);
  });

  it("a token classifier reads as ner with symbolic dims; junk is a clear error", async () => {
    const info = await readOnnxInfo(bytesSource(gatherNerModel(new Float32Array(10), 5, 2)));
    expect(info.inputs.map((i) => [i.name, i.elemType, i.dims])).toEqual([["input_ids", "int64", ["batch", "seq"]], ["attention_mask", "int64", ["batch", "seq"]]]);
    const { descriptor, warnings } = prefillDescriptor(info);
    expect(descriptor).toMatchObject({ task: "ner", output: { names: ["logits"], format: "token-logits" }, text: { tokenTypeIds: false } });
    expect(warnings.join(" ")).toMatch(/config.json/);
    await expect(readOnnxInfo(bytesSource(new TextEncoder().encode("not a model at all")))).rejects.toThrow(OnnxParseError);
  });
});


import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { blobSource, bytesSource, OnnxParseError, parseImgsz, parsePythonNames, readOnnxInfo } from "@/lib/prelabel/byom/onnx-info";
import { checkAgainstModel, prefillDescriptor } from "@/lib/prelabel/byom/prefill";
import { descriptorSchema } from "@/lib/prelabel/byom/descriptor";
import { onnxInfoOfFile } from "@/lib/server/model-files";
import { buildModel, dynamicYolo, nerConfig, nerModel, yoloCls, yoloE2e, yoloSeg, yolov5, yolov8 } from "./byom-models";

const info = (b: Uint8Array) => readOnnxInfo(bytesSource(b));

describe("onnx-info", () => {
  it("reads versions, producer, signature and Ultralytics metadata", async () => {
    const i = await info(yolov8(["person", "car", "dog"]));
    expect(i.irVersion).toBe(9);
    expect(i.opset).toBe(17);
    expect(i.producer).toBe("pytorch");
    expect(i.producerVersion).toBe("2.4.0");
    expect(i.graphName).toBe("main_graph");
    expect(i.inputs).toEqual([{ name: "images", elemType: "float32", dims: [1, 3, 640, 640] }]);
    expect(i.outputs).toEqual([{ name: "output0", elemType: "float32", dims: [1, 7, 8400] }]);
    expect(i.metadata.task).toBe("detect");
    expect(parsePythonNames(i.metadata.names)).toEqual(["person", "car", "dog"]);
    expect(parseImgsz(i.metadata.imgsz)).toEqual([640, 640]);
  });

  it("keeps symbolic dims and int64 inputs", async () => {
    const i = await info(nerModel(5));
    expect(i.inputs.map((x) => x.name)).toEqual(["input_ids", "attention_mask", "token_type_ids"]);
    expect(i.inputs[0]).toEqual({ name: "input_ids", elemType: "int64", dims: ["batch_size", "sequence_length"] });
    expect(i.outputs[0]!.dims).toEqual(["batch_size", "sequence_length", 5]);
  });

  it("reads -1 dims as negative numbers", async () => {
    const i = await info(buildModel({ inputs: [{ name: "x", dims: [-1, 3] }], outputs: [{ name: "y", dims: [-1, 3] }] }));
    expect(i.inputs[0]!.dims).toEqual([-1, 3]);
  });

  it("leaves initializers listed as inputs out of the inputs", async () => {
    const i = await info(yolov8(["a"], 64, { initializerBytes: 4096, initializerAsInput: true }));
    expect(i.inputs.map((x) => x.name)).toEqual(["images"]);
    expect(i.initializerCount).toBe(1);
  });

  it("flags weights kept in external files", async () => {
    expect((await info(yolov8(["a"]))).externalData).toBe(false);
    expect((await info(yolov8(["a"], 640, { externalData: true }))).externalData).toBe(true);
  });

  it("refuses garbage, truncated files, other formats and empty files", async () => {
    const good = yolov8();
    const bad: Array<[string, Uint8Array]> = [
      ["empty", new Uint8Array(0)],
      ["text", new TextEncoder().encode("this is not a model at all, just some text\n".repeat(20))],
      ["png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(100).fill(0)])],
      ["zeros", new Uint8Array(1000)],
      ["random", Uint8Array.from({ length: 5000 }, (_, k) => (k * 2654435761) >>> 24)],
      ["truncated", good.subarray(0, good.length - 10)],
      ["half", good.subarray(0, good.length >> 1)],
      ["json", new TextEncoder().encode(JSON.stringify({ model: "yolo", names: ["a"] }))],
    ];
    for (const [what, b] of bad) {
      await expect(info(b), what).rejects.toBeInstanceOf(OnnxParseError);
    }
  });

  it("reads a Blob by slices", async () => {
    const b = yoloSeg();
    const i = await readOnnxInfo(blobSource(new Blob([new Uint8Array(b)])));
    expect(i.outputs.map((o) => o.name)).toEqual(["output0", "output1"]);
  });

  it("reads a file on disk with positional reads and skips a big initializer", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onnx-info-"));
    const file = path.join(dir, "big.onnx");
    const bytes = yolov8(["person", "car"], 640, { initializerBytes: 24 * 1024 * 1024 });
    fs.writeFileSync(file, bytes);
    const i = await onnxInfoOfFile(file);
    expect(i.inputs[0]!.dims).toEqual([1, 3, 640, 640]);
    expect(parsePythonNames(i.metadata.names)).toEqual(["person", "car"]);
    expect(i.initializerCount).toBe(1);
    // Headers only: far less than the 24 MiB of weights.
    expect(i.bytesRead).toBeLessThan(512 * 1024);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("parsePythonNames / parseImgsz", () => {
  it("parses dict reprs with quotes and escapes", () => {
    expect(parsePythonNames(`{0: 'person', 1: "traffic light", 2: 'it\\'s'}`)).toEqual(["person", "traffic light", "it's"]);
    expect(parsePythonNames("{}")).toBeNull();
    expect(parsePythonNames("nonsense")).toBeNull();
    expect(parsePythonNames("{1: 'b'}")).toEqual(["class0", "b"]);
    expect(parseImgsz("640")).toEqual([640, 640]);
    expect(parseImgsz("[480, 640]")).toEqual([480, 640]);
    expect(parseImgsz("x")).toBeNull();
  });
});

describe("prefillDescriptor", () => {
  it("yolov8: task, input, format, labels from metadata", async () => {
    const p = prefillDescriptor(await info(yolov8(["person", "car", "dog"], 320)));
    expect(p.descriptor).toMatchObject({ task: "detect", input: { name: "images", size: [320, 320], layout: "NCHW" }, output: { names: ["output0"], format: "yolov8" }, labels: ["person", "car", "dog"] });
    expect(p.warnings).toEqual([]);
    expect(descriptorSchema.safeParse(p.descriptor).success).toBe(true);
  });
  it("yolov5 [1,N,5+nc] without metadata: placeholder labels with a warning", async () => {
    const p = prefillDescriptor(await info(yolov5(2)));
    expect(p.descriptor).toMatchObject({ task: "detect", input: { size: [320, 320] }, output: { format: "yolov5" }, labels: ["class0", "class1"] });
    expect(p.warnings.join()).toMatch(/placeholders/);
  });
  it("end-to-end [1,N,6]", async () => {
    const p = prefillDescriptor(await info(yoloE2e(["a", "b"])));
    expect(p.descriptor).toMatchObject({ task: "detect", output: { format: "yolo-e2e" }, labels: ["a", "b"] });
  });
  it("segmentation with prototypes", async () => {
    const p = prefillDescriptor(await info(yoloSeg(["person", "car"])));
    expect(p.descriptor).toMatchObject({ task: "segment", output: { format: "yolov8-seg", names: ["output0", "output1"] }, labels: ["person", "car"] });
    expect(p.warnings).toEqual([]);
  });
  it("classification [1,nc]", async () => {
    const p = prefillDescriptor(await info(yoloCls(["cat", "dog", "bird"])));
    expect(p.descriptor).toMatchObject({ task: "classify", input: { size: [224, 224] }, output: { format: "probs" }, labels: ["cat", "dog", "bird"] });
  });
  it("dynamic input size without imgsz: 640 with a warning", async () => {
    const p = prefillDescriptor(await info(dynamicYolo()));
    expect(p.descriptor.input!.size).toEqual([640, 640]);
    expect(p.warnings.join()).toMatch(/dynamic size/);
  });
  it("ner from input_ids with config.json id2label", async () => {
    const p = prefillDescriptor(await info(nerModel(5)), { config: nerConfig() });
    expect(p.descriptor).toMatchObject({ task: "ner", text: { tokenTypeIds: true, maxLength: 512 }, output: { format: "token-logits", names: ["logits"] }, labels: ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"] });
    expect(descriptorSchema.safeParse(p.descriptor).success).toBe(true);
    const noCfg = prefillDescriptor(await info(nerModel(3, false)));
    expect(noCfg.descriptor.labels).toEqual(["LABEL_0", "LABEL_1", "LABEL_2"]);
    expect(noCfg.descriptor.text!.tokenTypeIds).toBe(false);
  });
});

describe("checkAgainstModel", () => {
  it("accepts the prefill and names the field of each mismatch", async () => {
    const i = await info(yolov8(["person", "car", "dog"]));
    const d = descriptorSchema.parse(prefillDescriptor(i).descriptor);
    expect(checkAgainstModel(d, i)).toEqual([]);
    const small = { ...d, input: { ...d.input!, size: [320, 320] as [number, number] } };
    expect(checkAgainstModel(small, i)).toEqual([{ field: "descriptor.input.size", message: "input images is [1,3,640,640] but the descriptor says 320×320" }]);
    expect(checkAgainstModel({ ...d, labels: ["a", "b"] }, i)[0]!.field).toBe("descriptor.labels");
    expect(checkAgainstModel({ ...d, input: { ...d.input!, name: "pixels" } }, i)[0]!.field).toBe("descriptor.input.name");
    expect(checkAgainstModel({ ...d, output: { ...d.output, names: ["nope"] } }, i)[0]!.field).toBe("descriptor.output.names.0");
    expect(checkAgainstModel({ ...d, input: { ...d.input!, layout: "NHWC" } }, i).map((x) => x.field)).toContain("descriptor.input.size");
    expect(checkAgainstModel({ ...d, output: { ...d.output, format: "probs" } }, i)[0]!.field).toBe("descriptor.output.names.0");
  });
  it("dynamic dims accept any size; ner checks token_type_ids", async () => {
    const dyn = await info(dynamicYolo());
    const d = descriptorSchema.parse(prefillDescriptor(dyn).descriptor);
    expect(checkAgainstModel({ ...d, input: { ...d.input!, size: [512, 512] } }, dyn)).toEqual([]);
    const ner = await info(nerModel(5));
    const nd = descriptorSchema.parse(prefillDescriptor(ner, { config: nerConfig() }).descriptor);
    expect(checkAgainstModel(nd, ner)).toEqual([]);
    expect(checkAgainstModel({ ...nd, text: { ...nd.text!, tokenTypeIds: false } }, ner)[0]!.field).toBe("descriptor.text.tokenTypeIds");
    expect(checkAgainstModel({ ...nd, labels: ["O"] }, ner)[0]!.field).toBe("descriptor.labels");
  });
});

describe("autoMap", () => {
  it("matches by case-insensitive name, classification choices by their choice, and keeps earlier picks", async () => {
    const { autoMap } = await import("@/lib/prelabel/byom/prefill");
    expect(autoMap(["person", "CAR", "dog"], ["Person", "Car"])).toEqual({ person: "Person", CAR: "Car", dog: null });
    expect(autoMap(["cat", "bird"], ["animal:Cat", "animal:Dog"])).toEqual({ cat: "animal:Cat", bird: null });
    expect(autoMap(["person", "dog"], ["Person", "Car"], { person: "Car", dog: "Gone" })).toEqual({ person: "Car", dog: null });
    expect(autoMap(["person"], ["Person"], { person: null })).toEqual({ person: null });
  });
});

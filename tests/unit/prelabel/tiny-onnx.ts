// Tiny ONNX models built in the test with onnx-proto (no weights, a few hundred bytes), for the
// runtime's failure paths: a model that throws at run time, and one with a fixed input shape.
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
const FLOAT = 1;
const INT64 = 7;

const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

function encode(graph: Record<string, unknown>, metadata?: Record<string, string>): Uint8Array {
  const metadataProps = metadata ? Object.entries(metadata).map(([key, value]) => ({ key, value })) : undefined;
  const m = onnx.ModelProto.create({ irVersion: 7, producerName: "loupe-tests", opsetImport: [{ version: 13 }], graph, metadataProps });
  return onnx.ModelProto.encode(m).finish();
}

/** y = reshape(x, [7]): any input whose size is not 7 fails inside onnxruntime at run time. */
export function reshapeTo7Model(): Uint8Array {
  return encode({
    name: "reshape7",
    node: [{ opType: "Reshape", input: ["x", "shape"], output: ["y"] }],
    initializer: [{ name: "shape", dataType: INT64, dims: [1], int64Data: [7] }],
    input: [valueInfo("x", ["n"])],
    output: [valueInfo("y", [7])],
  });
}

/** y = x + x with x fixed at [1, 4]. */
export function fixedShapeModel(): Uint8Array {
  return encode({
    name: "double",
    node: [{ opType: "Add", input: ["x", "x"], output: ["y"] }],
    input: [valueInfo("x", [1, 4])],
    output: [valueInfo("y", [1, 4])],
  });
}

// --- BYOM stand-ins (tests/unit/prelabel/byom*.test.ts) ---

const INT = 2; // AttributeProto.INTS is 7, INT is 2
const INTS = 7;
const intAttr = (name: string, i: number) => ({ name, type: INT, i });
const intsAttr = (name: string, ints: number[]) => ({ name, type: INTS, ints });

const tensorInit = (name: string, dims: number[], data: Float32Array) => ({ name, dataType: FLOAT, dims, floatData: Array.from(data) });
const valueInfoT = (name: string, elemType: number, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

/**
 * A model with a fixed image input whose outputs are known constants (a YOLO head stand-in):
 * out_k = table_k + 0 * max(input). The input shape is checked by onnxruntime, so the pipeline's
 * tensor (NCHW/NHWC, size) must match.
 */
export function constantOutputsModel(input: { name: string; dims: number[] }, outputs: Array<{ name: string; dims: number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  const nodes: Record<string, unknown>[] = [
    { opType: "ReduceMax", input: [input.name], output: ["m"], attribute: [intAttr("keepdims", 0)] },
    { opType: "Mul", input: ["m", "zero"], output: ["z"] },
  ];
  const init: Record<string, unknown>[] = [tensorInit("zero", [], new Float32Array([0]))];
  for (const o of outputs) {
    if (o.data.length !== o.dims.reduce((a, b) => a * b, 1)) throw new Error(`${o.name}: ${o.data.length} values for [${o.dims}]`);
    init.push(tensorInit(`${o.name}_table`, o.dims, o.data));
    nodes.push({ opType: "Add", input: [`${o.name}_table`, "z"], output: [o.name] });
  }
  return encode({ name: "constant-head", node: nodes, initializer: init, input: [valueInfo(input.name, input.dims)], output: outputs.map((o) => valueInfo(o.name, o.dims)) }, metadata);
}

/** A "classifier" whose logits are the mean of each input channel: [1,3,H,W] (or NHWC) -> [1, 3]. */
export function channelMeanModel(name: string, dims: number[], layout: "NCHW" | "NHWC"): Uint8Array {
  return encode({
    name: "channel-mean",
    node: [{ opType: "ReduceMean", input: [name], output: ["output0"], attribute: [intsAttr("axes", layout === "NCHW" ? [2, 3] : [1, 2]), intAttr("keepdims", 0)] }],
    input: [valueInfo(name, dims)],
    output: [valueInfo("output0", [1, 3])],
  });
}

/**
 * A fake token classifier: logits[b, s, :] = table[input_ids[b, s], :] * attention_mask[b, s]
 * (Gather + Cast + Unsqueeze + Mul), dynamic batch and sequence.
 */
export function gatherNerModel(table: Float32Array, vocabSize: number, labels: number): Uint8Array {
  return encode({
    name: "gather-ner",
    node: [
      { opType: "Gather", input: ["table", "input_ids"], output: ["g"], attribute: [intAttr("axis", 0)] },
      { opType: "Cast", input: ["attention_mask"], output: ["mf"], attribute: [intAttr("to", FLOAT)] },
      { opType: "Unsqueeze", input: ["mf", "axes"], output: ["m3"] },
      { opType: "Mul", input: ["g", "m3"], output: ["logits"] },
    ],
    initializer: [tensorInit("table", [vocabSize, labels], table), { name: "axes", dataType: INT64, dims: [1], int64Data: [2] }],
    input: [valueInfoT("input_ids", INT64, ["batch", "seq"]), valueInfoT("attention_mask", INT64, ["batch", "seq"])],
    output: [valueInfo("logits", ["batch", "seq", labels])],
  });
}

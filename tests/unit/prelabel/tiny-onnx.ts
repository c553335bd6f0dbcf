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

function encode(graph: Record<string, unknown>): Uint8Array {
  const m = onnx.ModelProto.create({ irVersion: 7, producerName: "loupe-tests", opsetImport: [{ version: 13 }], graph });
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

// Plain tensors passed between model code, the worker protocol and onnxruntime (web or node).
// Model code only sees these, never an onnxruntime class, so it runs unchanged in a Web Worker
// (onnxruntime-web), in tests (onnxruntime-node) and in the bench. Typed arrays are transferable.

export type TensorType = "float32" | "int64" | "int32" | "uint8" | "bool";

export type TensorData =
  | { type: "float32"; data: Float32Array; dims: number[] }
  | { type: "int64"; data: BigInt64Array; dims: number[] }
  | { type: "int32"; data: Int32Array; dims: number[] }
  | { type: "uint8" | "bool"; data: Uint8Array; dims: number[] };

export type Feeds = Record<string, TensorData>;
export type Outputs = Record<string, TensorData>;

/** The one thing model code needs from a runtime: run a session on feeds, get named outputs. */
export type RunFn = (feeds: Feeds, outputNames?: string[]) => Promise<Outputs>;

export const f32 = (data: Float32Array, dims: number[]): TensorData => ({ type: "float32", data, dims });
export const i64 = (values: ArrayLike<number | bigint>, dims: number[]): TensorData => ({
  type: "int64",
  data: BigInt64Array.from(Array.from(values, (v) => BigInt(v))),
  dims,
});

export function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The named output as float32, with a clear error naming what the model returned instead. */
export function outputF32(outputs: Outputs, name: string): { data: Float32Array; dims: number[] } {
  const t = outputs[name];
  if (!t) throw new PrelabelModelError(`model output "${name}" missing (got ${Object.keys(outputs).join(", ") || "none"})`);
  if (t.type !== "float32") throw new PrelabelModelError(`model output "${name}" is ${t.type}, expected float32`);
  return { data: t.data, dims: t.dims };
}

/** A model that does not match what the pipeline expects (wrong outputs, shapes). */
export class PrelabelModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PrelabelModelError";
  }
}

// Binds an onnxruntime InferenceSession (onnxruntime-web or onnxruntime-node: both implement the
// onnxruntime-common interfaces) to the plain RunFn that model code takes. Structural types, so
// this file imports neither package and works with whichever the caller loaded.
import type { Feeds, Outputs, RunFn, TensorData, TensorType } from "../tensor";

export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}

export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>, fetches?: readonly string[]): Promise<Record<string, OrtTensorLike>>;
  release?(): Promise<void>;
}

export interface OrtLike {
  Tensor: new (type: TensorType, data: TensorData["data"], dims: readonly number[]) => OrtTensorLike;
}

const OK = new Set(["float32", "int64", "int32", "uint8", "bool"]);

export function toTensorData(t: OrtTensorLike, name: string): TensorData {
  if (!OK.has(t.type)) throw new Error(`output "${name}" has unsupported type ${t.type}`);
  return { type: t.type, data: t.data, dims: [...t.dims] } as TensorData;
}

export function ortRunner(ort: OrtLike, session: OrtSessionLike): RunFn {
  return async (feeds: Feeds, outputNames?: string[]): Promise<Outputs> => {
    const inputs: Record<string, OrtTensorLike> = {};
    for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor(v.type, v.data, v.dims);
    const res = outputNames ? await session.run(inputs, outputNames) : await session.run(inputs);
    const out: Outputs = {};
    for (const [k, v] of Object.entries(res)) {
      out[k] = toTensorData(v, k);
    }
    return out;
  };
}

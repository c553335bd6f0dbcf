// Image classification output: [1, nc] probabilities (or logits with `softmax`). Pure.
import { PrelabelModelError } from "../tensor";

export interface ClassScore {
  cls: number;
  score: number;
}

export function softmax(x: ArrayLike<number>, from = 0, to = x.length): Float32Array {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (x[i]! > max) max = x[i]!;
  const out = new Float32Array(to - from);
  let sum = 0;
  for (let i = from; i < to; i++) sum += out[i - from] = Math.exp(x[i]! - max);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / sum;
  return out;
}

/** Classes sorted by score, best first (at most `k`). */
export function decodeProbs(data: Float32Array, dims: readonly number[], nc: number, o: { softmax: boolean; k?: number }, name = "output0"): ClassScore[] {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== nc || dims[dims.length - 1] !== nc) throw new PrelabelModelError(`model output "${name}" has dims [${dims.join(", ")}], expected [1, ${nc}] (one score per descriptor label)`);
  const p = o.softmax ? softmax(data, 0, nc) : data;
  const all: ClassScore[] = Array.from({ length: nc }, (_, cls) => ({ cls, score: p[cls]! }));
  return all.sort((a, b) => b.score - a.score || a.cls - b.cls).slice(0, o.k ?? nc);
}

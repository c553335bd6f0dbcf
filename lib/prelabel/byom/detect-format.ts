// Guess a model's output format from its output dims (the settings UI prefills the descriptor
// with it; the user can override). notes: [1, C, N] with N ≫ C is YOLOv8-style, [1, N, 5+nc] is
// YOLOv5, a last dim of 6 is end-to-end (NMS included), two outputs with a 4-D second one is
// yolov8-seg, [1, nc] is class probabilities, [1, seq, L] with int64 token inputs is token logits.
// Pure.
import type { ByomTask, OutputFormat } from "./descriptor";

export interface IoShape {
  name: string;
  /** Dims; symbolic or unknown dims as strings or -1. */
  dims: ReadonlyArray<number | string>;
  /** Element type if known ("float32", "int64", ...). */
  type?: string;
}

export interface FormatGuess {
  task: ByomTask;
  format: OutputFormat;
  /** Output names in descriptor order. */
  outputs: string[];
  /** Number of classes implied by the dims, when they say. */
  classes: number | null;
  /** Mask coefficients (yolov8-seg). */
  maskDims?: number;
  /** Why, in words, for the UI. */
  reason: string;
}

const known = (d: number | string | undefined): d is number => typeof d === "number" && d > 0;

/** null when the outputs fit no supported format (the UI then asks the user). */
export function detectOutputFormat(outputs: readonly IoShape[], inputs: readonly IoShape[] = []): FormatGuess | null {
  if (outputs.length === 0) return null;
  const textInputs = inputs.some((i) => /input_ids/.test(i.name)) || (inputs.length > 0 && inputs.every((i) => i.type === "int64" || i.type === "int32"));
  const [o0, o1] = outputs;
  const d = o0!.dims;
  if (outputs.length >= 2 && o1!.dims.length === 4 && d.length === 3) {
    const nm = o1!.dims[1];
    const [, a, b] = d;
    if (known(nm)) {
      const c = known(a) && known(b) ? Math.min(a, b) : known(a) ? a : null;
      return { task: "segment", format: "yolov8-seg", outputs: [o0!.name, o1!.name], classes: c !== null ? c - 4 - nm : null, maskDims: nm, reason: `two outputs, prototypes [${o1!.dims.join(", ")}]: YOLOv8 segmentation` };
    }
  }
  if (d.length === 3 && textInputs) {
    return { task: "ner", format: "token-logits", outputs: [o0!.name], classes: known(d[2]) ? d[2] : null, reason: "token inputs and a [batch, sequence, labels] output: token classification" };
  }
  if (d.length === 2 || (d.length === 4 && d[2] === 1 && d[3] === 1)) {
    return { task: "classify", format: "probs", outputs: [o0!.name], classes: known(d[1]) ? d[1] : null, reason: `[${d.join(", ")}]: one score per class` };
  }
  if (d.length === 3) {
    const [, a, b] = d;
    if (b === 6) return { task: "detect", format: "yolo-e2e", outputs: [o0!.name], classes: null, reason: "last dim 6: x1, y1, x2, y2, score, class (NMS inside the model)" };
    if (known(a) && known(b)) {
      if (b > a) return { task: "detect", format: "yolov8", outputs: [o0!.name], classes: a - 4, reason: `[1, ${a}, ${b}]: ${b} candidates of 4 box values + ${a - 4} class scores (YOLOv8/11)` };
      if (a > b && b > 5) return { task: "detect", format: "yolov5", outputs: [o0!.name], classes: b - 5, reason: `[1, ${a}, ${b}]: ${a} candidates of 4 box values + objectness + ${b - 5} class scores (YOLOv5)` };
    }
    if (known(a) && !known(b)) return { task: "detect", format: "yolov8", outputs: [o0!.name], classes: a - 4, reason: `[1, ${a}, N]: YOLOv8/11 with a dynamic candidate count` };
    if (!known(a) && known(b) && b > 5) return { task: "detect", format: "yolov5", outputs: [o0!.name], classes: b - 5, reason: `[1, N, ${b}]: YOLOv5 with a dynamic candidate count` };
  }
  return null;
}

/**
 * Class names from Ultralytics metadata (`names` is a Python dict repr such as
 * "{0: 'person', 1: "it's"}"), or a JSON object/array. null when it cannot be read.
 */
export function parseUltralyticsNames(s: string): string[] | null {
  try {
    const j: unknown = JSON.parse(s);
    if (Array.isArray(j) && j.every((x) => typeof x === "string")) return j;
    if (j && typeof j === "object") return fromPairs(Object.entries(j as Record<string, unknown>).map(([k, v]) => [Number(k), String(v)]));
  } catch {
    /* not JSON: a Python repr */
  }
  const pairs: Array<[number, string]> = [];
  const re = /(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (let m = re.exec(s); m; m = re.exec(s)) pairs.push([Number(m[1]), (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1")]);
  return pairs.length ? fromPairs(pairs) : null;
}

function fromPairs(pairs: Array<[number, string]>): string[] | null {
  const out: string[] = [];
  for (const [k, v] of pairs) {
    if (!Number.isInteger(k) || k < 0 || k > 100000) return null;
    out[k] = v;
  }
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) return null;
  return out;
}

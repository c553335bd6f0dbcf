// Read what the settings UI needs to prefill a descriptor straight from the .onnx bytes, without
// onnxruntime or a protobuf library: graph inputs/outputs (name, element type, dims) and
// metadata_props (Ultralytics writes `names`, `imgsz`, `task`, `stride` there). A minimal
// protobuf walker that skips everything else (initializers are skipped by length, not parsed).
// Framework-free: runs in the browser on the picked file and on the server on the upload.
import { detectOutputFormat, parseUltralyticsNames, type FormatGuess, type IoShape } from "./detect-format";
import type { DescriptorInput } from "./descriptor";

export interface OnnxInfo {
  inputs: IoShape[];
  outputs: IoShape[];
  metadata: Record<string, string>;
  producer: string;
  opset: number | null;
}

export class OnnxInfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnnxInfoError";
  }
}

// TensorProto.DataType -> onnxruntime type names.
const ELEM: Record<number, string> = { 1: "float32", 2: "uint8", 3: "int8", 5: "int16", 6: "int32", 7: "int64", 9: "bool", 10: "float16", 11: "float64" };

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, start = 0, readonly end = b.length) {
    this.pos = start;
  }
  done() {
    return this.pos >= this.end;
  }
  varint(): number {
    let x = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxInfoError("truncated ONNX file (varint)");
      const c = this.b[this.pos++]!;
      x += (c & 0x7f) * mul;
      if (c < 0x80) return x;
      mul *= 128;
    }
    throw new OnnxInfoError("bad varint in ONNX file");
  }
  /** [field, wire type] */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }
  bytes(): Reader {
    const n = this.varint();
    if (this.pos + n > this.end) throw new OnnxInfoError("truncated ONNX file (length-delimited field)");
    const r = new Reader(this.b, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  string(): string {
    const r = this.bytes();
    return new TextDecoder().decode(this.b.subarray(r.pos, r.end));
  }
  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new OnnxInfoError(`unsupported protobuf wire type ${wire}: not an ONNX model`);
  }
}

function valueInfo(r: Reader): IoShape {
  let name = "";
  let type: string | undefined;
  const dims: Array<number | string> = [];
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) name = r.string();
    else if (f === 2 && w === 2) {
      const t = r.bytes(); // TypeProto
      while (!t.done()) {
        const [tf, tw] = t.tag();
        if (tf !== 1 || tw !== 2) { t.skip(tw); continue; }
        const tt = t.bytes(); // TypeProto.Tensor
        while (!tt.done()) {
          const [f2, w2] = tt.tag();
          if (f2 === 1 && w2 === 0) type = ELEM[tt.varint()] ?? "unknown";
          else if (f2 === 2 && w2 === 2) {
            const sh = tt.bytes(); // TensorShapeProto
            while (!sh.done()) {
              const [sf, sw] = sh.tag();
              if (sf !== 1 || sw !== 2) { sh.skip(sw); continue; }
              const d = sh.bytes(); // Dimension
              let dim: number | string = -1;
              while (!d.done()) {
                const [df, dw] = d.tag();
                if (df === 1 && dw === 0) dim = d.varint();
                else if (df === 2 && dw === 2) dim = d.string();
                else d.skip(dw);
              }
              dims.push(dim);
            }
          } else tt.skip(w2);
        }
      }
    } else r.skip(w);
  }
  return { name, dims, type };
}

/** Inputs (without initializers listed as inputs, as old exporters did), outputs, metadata. */
export function readOnnxInfo(bytes: Uint8Array): OnnxInfo {
  const r = new Reader(bytes);
  const info: OnnxInfo = { inputs: [], outputs: [], metadata: {}, producer: "", opset: null };
  let sawGraph = false;
  const initNames = new Set<string>();
  while (!r.done()) {
    const [f, w] = r.tag();
    if (f === 7 && w === 2) {
      sawGraph = true;
      const g = r.bytes();
      while (!g.done()) {
        const [gf, gw] = g.tag();
        if (gf === 11 && gw === 2) info.inputs.push(valueInfo(g.bytes()));
        else if (gf === 12 && gw === 2) info.outputs.push(valueInfo(g.bytes()));
        else if (gf === 5 && gw === 2) {
          const t = g.bytes(); // TensorProto: only its name (field 8)
          while (!t.done()) {
            const [tf, tw] = t.tag();
            if (tf === 8 && tw === 2) initNames.add(t.string());
            else t.skip(tw);
          }
        } else g.skip(gw);
      }
    } else if (f === 14 && w === 2) {
      const e = r.bytes();
      let k = "", v = "";
      while (!e.done()) {
        const [ef, ew] = e.tag();
        if (ef === 1 && ew === 2) k = e.string();
        else if (ef === 2 && ew === 2) v = e.string();
        else e.skip(ew);
      }
      if (k) info.metadata[k] = v;
    } else if (f === 2 && w === 2) info.producer = r.string();
    else if (f === 8 && w === 2) {
      const o = r.bytes(); // OperatorSetIdProto: domain 1, version 2
      let domain = "", version = 0;
      while (!o.done()) {
        const [of, ow] = o.tag();
        if (of === 1 && ow === 2) domain = o.string();
        else if (of === 2 && ow === 0) version = o.varint();
        else o.skip(ow);
      }
      if (domain === "" || domain === "ai.onnx") info.opset = version;
    } else r.skip(w);
  }
  if (!sawGraph || info.outputs.length === 0) throw new OnnxInfoError("not an ONNX model: no graph with outputs");
  info.inputs = info.inputs.filter((i) => !initNames.has(i.name));
  return info;
}

/**
 * A descriptor draft from the file alone (the UI shows it for the manager to check): format from
 * the output dims, input name/size/layout from the first input, labels from Ultralytics `names`
 * (or `class_0`… placeholders of the right count). null format -> `guess` is null.
 */
export function draftDescriptor(info: OnnxInfo): { guess: FormatGuess | null; descriptor: Partial<DescriptorInput>; notes: string[] } {
  const notes: string[] = [];
  const guess = detectOutputFormat(info.outputs, info.inputs);
  if (!guess) return { guess, descriptor: {}, notes: ["the output dims fit no supported format: choose it by hand"] };
  const names = info.metadata.names ? parseUltralyticsNames(info.metadata.names) : null;
  let labels = names ?? (guess.classes ? Array.from({ length: guess.classes }, (_, i) => `class_${i}`) : []);
  if (names && guess.classes !== null && names.length !== guess.classes) {
    notes.push(`the model's metadata names ${names.length} classes but its output has ${guess.classes}`);
    labels = names;
  }
  if (!names && labels.length) notes.push("no class names in the model's metadata: rename the placeholders");
  const descriptor: Partial<DescriptorInput> = { task: guess.task, output: { names: guess.outputs, format: guess.format }, labels };
  if (guess.task === "ner") {
    descriptor.text = { maxLength: 512, tokenTypeIds: info.inputs.some((i) => i.name === "token_type_ids") };
    notes.push("upload the model's tokenizer.json and config.json (id2label)");
  } else {
    const inp = info.inputs[0];
    const d = inp?.dims ?? [];
    const nhwc = d.length === 4 && d[3] === 3 && d[1] !== 3;
    const hw = nhwc ? [d[1], d[2]] : [d[2], d[3]];
    let size: [number, number] | null = typeof hw[0] === "number" && hw[0] > 0 && typeof hw[1] === "number" && hw[1] > 0 ? [hw[0], hw[1]] : null;
    if (!size && info.metadata.imgsz) {
      const m = /(\d+)\D+(\d+)/.exec(info.metadata.imgsz);
      if (m) size = [Number(m[1]), Number(m[2])];
    }
    if (!size) { size = [640, 640]; notes.push("the input size is dynamic: 640x640 assumed"); }
    descriptor.input = { name: inp?.name ?? "images", layout: nhwc ? "NHWC" : "NCHW", size, resize: guess.task === "classify" ? "stretch" : "letterbox" };
  }
  return { guess, descriptor, notes };
}

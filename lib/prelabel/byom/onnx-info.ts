// What an .onnx file says about itself, read without onnxruntime and without loading weights:
// a tiny protobuf walker over ModelProto that reads only the small fields (versions, opsets,
// producer, metadata, graph inputs/outputs) and skips nodes and initializers by their length
// prefix. Works on any random-access byte source: a Uint8Array, a browser Blob/File (slices),
// or a Node file handle (positional reads; see lib/server/model-files.ts). Framework-free.
// ADR 0015.

/** Random access to the file's bytes. `read` may return fewer bytes only at the end of the file. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export const bytesSource = (u8: Uint8Array): ByteSource => ({
  size: u8.byteLength,
  read: async (o, n) => u8.subarray(o, Math.min(u8.byteLength, o + n)),
});

/** A Blob or File (browser or Node 20): only the sliced ranges are read. */
export const blobSource = (b: Blob): ByteSource => ({
  size: b.size,
  read: async (o, n) => new Uint8Array(await b.slice(o, Math.min(b.size, o + n)).arrayBuffer()),
});

export type Dim = number | string | null;

export interface OnnxTensorInfo {
  name: string;
  /** "float32", "int64", ... or "unknown" (non-tensor types: "sequence", "map"). */
  elemType: string;
  /** null when the shape is not given; a dim is a number, a symbolic name, or null (unknown). */
  dims: Dim[] | null;
}

export interface OnnxInfo {
  irVersion: number;
  /** The default ("ai.onnx") domain's opset version, if imported. */
  opset: number | null;
  opsets: Array<{ domain: string; version: number }>;
  producer: string;
  producerVersion: string;
  graphName: string;
  /** Real inputs (initializers listed as inputs by old exporters are left out). */
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  metadata: Record<string, string>;
  nodeCount: number;
  initializerCount: number;
  /** Some initializer keeps its weights in a separate file (data_location = EXTERNAL). */
  externalData: boolean;
}

export class OnnxParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnnxParseError";
  }
}

const ELEM_TYPES: Record<number, string> = {
  1: "float32", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool",
  10: "float16", 11: "float64", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
  17: "float8e4m3fn", 18: "float8e4m3fnuz", 19: "float8e5m2", 20: "float8e5m2fnuz", 21: "uint4", 22: "int4",
};

/** Small fields are read whole; anything larger than this is refused (no real one comes close). */
const MAX_SMALL_FIELD = 64 * 1024 * 1024;
const WINDOW = 64 * 1024;
/** Initializer names are looked for in this much of each initializer (the name precedes raw_data). */
const INIT_NAME_PREFIX = 4096;

const fail = (msg: string): never => {
  throw new OnnxParseError(msg);
};

/** A buffered positional reader: headers are read through a 64 KiB window. */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private bufAt = 0;
  reads = 0;
  constructor(private src: ByteSource) {}

  async bytes(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.src.size) fail("the file is truncated");
    if (offset >= this.bufAt && offset + length <= this.bufAt + this.buf.byteLength) {
      return this.buf.subarray(offset - this.bufAt, offset - this.bufAt + length);
    }
    this.reads++;
    if (length > WINDOW) {
      const out = await this.src.read(offset, length);
      if (out.byteLength < length) fail("the file is truncated");
      return out;
    }
    const n = Math.min(WINDOW, this.src.size - offset);
    this.buf = await this.src.read(offset, n);
    this.bufAt = offset;
    if (this.buf.byteLength < length) fail("the file is truncated");
    return this.buf.subarray(0, length);
  }

  /** A varint at `pos` as [value, next position]; int64 values may be negative (two's complement). */
  async varint(pos: number, end: number): Promise<[number, number]> {
    const head = await this.bytes(pos, Math.min(10, end - pos));
    return decodeVarint(head, 0, pos);
  }
}

function decodeVarint(b: Uint8Array, i: number, base: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let k = 0; k < 10; k++) {
    if (i + k >= b.byteLength) fail("the file is truncated (in a varint)");
    const byte = b[i + k]!;
    if (k === 9) {
      if (byte > 1) fail("malformed varint");
      if (byte === 1) {
        // Tenth byte set: a negative int64 (e.g. a -1 dim). Recompute exactly with BigInt.
        let x = 0n;
        for (let j = 0; j <= 9; j++) x |= BigInt(b[i + j]! & 0x7f) << BigInt(7 * j);
        return [Number(BigInt.asIntN(64, x)), base + i + 10];
      }
    }
    v += (byte & 0x7f) * mul;
    mul *= 128;
    if (!(byte & 0x80)) return [v, base + i + k + 1];
  }
  return fail("malformed varint");
}

interface Field {
  num: number;
  wire: number;
  /** varint value (wire 0) */
  value: number;
  /** payload start/end (wire 2) */
  start: number;
  end: number;
}

/** Iterates the fields of a message occupying [pos, end) without reading their payloads. */
async function* fields(c: Cursor, pos: number, end: number): AsyncGenerator<Field> {
  while (pos < end) {
    const [key, p1] = await c.varint(pos, end);
    const num = Math.floor(key / 8);
    const wire = key & 7;
    if (num < 1) fail(`malformed protobuf (field number ${num} at byte ${pos})`);
    let start = p1;
    let next: number;
    let value = 0;
    switch (wire) {
      case 0: {
        [value, next] = await c.varint(p1, end);
        start = p1;
        break;
      }
      case 1:
        next = p1 + 8;
        break;
      case 5:
        next = p1 + 4;
        break;
      case 2: {
        const [len, p2] = await c.varint(p1, end);
        if (len < 0) fail(`malformed protobuf (negative length at byte ${p1})`);
        start = p2;
        next = p2 + len;
        break;
      }
      default:
        return fail(`malformed protobuf (wire type ${wire} at byte ${pos})`);
    }
    if (next > end) fail(`the file is truncated or not an ONNX model (a field at byte ${pos} runs past its end)`);
    yield { num, wire, value, start, end: next };
    pos = next;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

async function small(c: Cursor, f: Field, what: string): Promise<Uint8Array> {
  if (f.wire !== 2) fail(`malformed ${what}`);
  if (f.end - f.start > MAX_SMALL_FIELD) fail(`${what} is implausibly large`);
  return c.bytes(f.start, f.end - f.start);
}

async function str(c: Cursor, f: Field, what: string): Promise<string> {
  return utf8.decode(await small(c, f, what));
}

/** Sub-message fields from an in-memory buffer (small messages: value infos, opsets, metadata). */
function* memFields(b: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < b.byteLength) {
    const [key, p1] = decodeVarint(b, pos, 0);
    const num = Math.floor(key / 8);
    const wire = key & 7;
    if (num < 1) fail("malformed protobuf");
    let start = p1;
    let next: number;
    let value = 0;
    if (wire === 0) [value, next] = decodeVarint(b, p1, 0);
    else if (wire === 1) next = p1 + 8;
    else if (wire === 5) next = p1 + 4;
    else if (wire === 2) {
      const [len, p2] = decodeVarint(b, p1, 0);
      if (len < 0) fail("malformed protobuf");
      start = p2;
      next = p2 + len;
    } else return fail(`malformed protobuf (wire type ${wire})`);
    if (next > b.byteLength) fail("malformed protobuf (a field runs past its message)");
    yield { num, wire, value, start, end: next };
    pos = next;
  }
}

const sub = (b: Uint8Array, f: Field) => {
  if (f.wire !== 2) fail("malformed protobuf (expected a message)");
  return b.subarray(f.start, f.end);
};

function parseValueInfo(b: Uint8Array): OnnxTensorInfo {
  let name = "";
  let elemType = "unknown";
  let dims: Dim[] | null = null;
  for (const f of memFields(b)) {
    if (f.num === 1) name = utf8.decode(sub(b, f));
    else if (f.num === 2) {
      const type = sub(b, f);
      for (const t of memFields(type)) {
        if (t.num === 1 || t.num === 8) {
          // tensor_type / sparse_tensor_type: elem_type = 1, shape = 2
          const tt = sub(type, t);
          for (const x of memFields(tt)) {
            if (x.num === 1 && x.wire === 0) elemType = ELEM_TYPES[x.value] ?? `type${x.value}`;
            else if (x.num === 2) {
              dims = [];
              const shape = sub(tt, x);
              for (const d of memFields(shape)) {
                if (d.num !== 1) continue;
                let dim: Dim = null;
                const db = sub(shape, d);
                for (const y of memFields(db)) {
                  if (y.num === 1 && y.wire === 0) dim = y.value;
                  else if (y.num === 2) dim = utf8.decode(sub(db, y)) || null;
                }
                dims.push(dim);
              }
            }
          }
        } else if (t.num === 4) elemType = "sequence";
        else if (t.num === 5) elemType = "map";
        else if (t.num === 9) elemType = "optional";
      }
    }
  }
  return { name, elemType, dims };
}

/**
 * Reads an ONNX ModelProto's header fields and graph signature. Throws OnnxParseError when the
 * bytes are not a well-formed ModelProto with a graph (truncated, garbage, another format).
 */
export async function readOnnxInfo(src: ByteSource): Promise<OnnxInfo & { reads: number }> {
  if (src.size < 8) fail("the file is too small to be an ONNX model");
  const c = new Cursor(src);
  const info: OnnxInfo = {
    irVersion: 0, opset: null, opsets: [], producer: "", producerVersion: "", graphName: "",
    inputs: [], outputs: [], metadata: {}, nodeCount: 0, initializerCount: 0, externalData: false,
  };
  let graph: Field | null = null;
  let sawIr = false;
  for await (const f of fields(c, 0, src.size)) {
    switch (f.num) {
      case 1:
        if (f.wire !== 0) fail("not an ONNX model (ir_version is not a number)");
        info.irVersion = f.value;
        sawIr = true;
        break;
      case 2:
        info.producer = await str(c, f, "producer_name");
        break;
      case 3:
        info.producerVersion = await str(c, f, "producer_version");
        break;
      case 7:
        if (f.wire !== 2) fail("not an ONNX model (graph is not a message)");
        graph = f;
        break;
      case 8: {
        const b = await small(c, f, "opset_import");
        let domain = "";
        let version = 0;
        for (const x of memFields(b)) {
          if (x.num === 1) domain = utf8.decode(sub(b, x));
          else if (x.num === 2 && x.wire === 0) version = x.value;
        }
        info.opsets.push({ domain, version });
        break;
      }
      case 14: {
        const b = await small(c, f, "metadata_props");
        let key = "";
        let value = "";
        for (const x of memFields(b)) {
          if (x.num === 1) key = utf8.decode(sub(b, x));
          else if (x.num === 2) value = utf8.decode(sub(b, x));
        }
        if (key) info.metadata[key] = value;
        break;
      }
      default:
        break; // doc_string, domain, model_version, training_info, functions, unknown: skipped
    }
  }
  if (!sawIr || info.irVersion < 1 || info.irVersion > 100) fail("not an ONNX model (no valid ir_version)");
  if (!graph) fail("not an ONNX model (no graph)");
  const g = graph!;
  const initNames = new Set<string>();
  const rawInputs: OnnxTensorInfo[] = [];
  for await (const f of fields(c, g.start, g.end)) {
    if (f.num === 1) info.nodeCount++;
    else if (f.num === 2) info.graphName = await str(c, f, "graph name");
    else if (f.num === 5) {
      info.initializerCount++;
      // TensorProto.name (field 8) comes before raw_data (9) in every serializer; look only at a prefix.
      const b = await c.bytes(f.start, Math.min(INIT_NAME_PREFIX, f.end - f.start));
      try {
        for (const x of memFields(b)) {
          if (x.num === 8) initNames.add(utf8.decode(sub(b, x)));
          // data_location (14) = EXTERNAL: such tensors carry no raw_data, so the prefix holds it.
          else if (x.num === 14 && x.wire === 0 && x.value === 1) info.externalData = true;
          else if (x.num === 9) break;
        }
      } catch {
        // The prefix cut a field in half before the name: fine, the name is only a filter.
      }
    } else if (f.num === 11) rawInputs.push(parseValueInfo(await small(c, f, "graph input")));
    else if (f.num === 12) info.outputs.push(parseValueInfo(await small(c, f, "graph output")));
  }
  info.inputs = rawInputs.filter((i) => !initNames.has(i.name));
  info.opset = info.opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? null;
  if (!info.inputs.length || !info.outputs.length) fail("not a usable ONNX model (the graph has no inputs or no outputs)");
  return { ...info, reads: c.reads };
}

// ---------------------------------------------------------------------------------------------
// Ultralytics metadata: `names` is a Python dict repr, `imgsz` a list repr.

/** `{0: 'person', 1: "car's"}` -> ["person", "car's"] (index = class id); null if it does not parse. */
export function parsePythonNames(s: string | undefined): string[] | null {
  if (!s) return null;
  const re = /(\d+)\s*:\s*('((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  let max = -1;
  while ((m = re.exec(s))) {
    const id = Number(m[1]);
    if (id > 100_000) return null;
    const raw = m[3] ?? m[4] ?? "";
    out[id] = raw.replace(/\\(.)/g, "$1");
    max = Math.max(max, id);
  }
  if (max < 0) return null;
  for (let i = 0; i <= max; i++) if (out[i] === undefined) out[i] = `class${i}`;
  return out;
}

/** "[640, 640]" or "640" -> [h, w]; null otherwise. */
export function parseImgsz(s: string | undefined): [number, number] | null {
  if (!s) return null;
  const nums = s.match(/\d+/g)?.map(Number) ?? [];
  if (nums.length === 1) return [nums[0]!, nums[0]!];
  if (nums.length === 2) return [nums[0]!, nums[1]!];
  return null;
}

/** "[1, 3, 640, 640]" for messages. */
export const formatDims = (dims: Dim[] | null) => (dims ? `[${dims.map((d) => (d === null ? "?" : d)).join(",")}]` : "[?]");

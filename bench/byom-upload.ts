// Bring-your-own model upload: a 200 MB .onnx (a real ModelProto whose graph holds one big
// initializer) streamed through POST /projects/:id/models/uploads in-process, as the route
// handler runs it: wall time, throughput to disk, peak RSS (the file must never sit in memory),
// and how many bytes the ONNX sniffing read. Run: npx tsx bench/byom-upload.ts [--mb 200]
// (`--write FILE` only writes the model, for a curl upload to a running server).
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { NextRequest } from "next/server";
import { freshDataDir, call, userWithToken } from "../tests/integration/harness";
import * as projects from "../app/api/v1/projects/route";
import * as uploads from "../app/api/v1/projects/[id]/models/uploads/route";
import { buildModel } from "../tests/unit/prelabel/byom-models";
import { onnxInfoOfFile } from "../lib/server/model-files";

const mbArg = process.argv.indexOf("--mb");
const MB = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 200;
const bigBytes = MB * 1024 * 1024;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** The model as chunks: header + graph prefix, then the initializer's raw_data in 1 MiB zeros. */
function* modelChunks(): Generator<Uint8Array> {
  const small = buildModel({ inputs: [{ name: "images", dims: [1, 3, 640, 640] }], outputs: [{ name: "output0", dims: [1, 84, 8400] }], metadata: { names: "{0: 'person'}" } });
  // Split the small model into [everything before graph] + graph payload, then re-emit the graph
  // with the big initializer appended (field 5 of GraphProto).
  let pos = 0;
  const pre: number[] = [];
  let graph: Uint8Array | null = null;
  const post: number[] = [];
  while (pos < small.length) {
    const start = pos;
    let key = 0, mul = 1, b: number;
    do { b = small[pos++]!; key += (b & 127) * mul; mul *= 128; } while (b & 128);
    const wire = key & 7;
    if (wire === 0) { do { b = small[pos++]!; } while (b & 128); }
    else if (wire === 2) {
      let len = 0; mul = 1;
      do { b = small[pos++]!; len += (b & 127) * mul; mul *= 128; } while (b & 128);
      if (key >> 3 === 7) { graph = small.subarray(pos, pos + len); pos += len; continue; }
      pos += len;
    } else throw new Error("unexpected wire type");
    (graph ? post : pre).push(...small.subarray(start, pos));
  }
  const name = new TextEncoder().encode("weights");
  const tensorHead = [0x08, ...varint(bigBytes / 4), 0x10, 0x01, 0x42, name.length, ...name, 0x4a, ...varint(bigBytes)];
  const tensorLen = tensorHead.length + bigBytes;
  const initField = [0x2a, ...varint(tensorLen)];
  const graphLen = graph!.length + initField.length + tensorLen;
  yield Uint8Array.from([...pre, 0x3a, ...varint(graphLen), ...graph!, ...initField, ...tensorHead]);
  const chunk = new Uint8Array(1024 * 1024);
  for (let left = bigBytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  if (post.length) yield Uint8Array.from(post);
}

async function main() {
  const w = process.argv.indexOf("--write");
  if (w > 0) {
    // Write the model to a file (for an upload over HTTP to a running server with curl).
    const fd = fs.openSync(process.argv[w + 1]!, "w");
    for (const c of modelChunks()) fs.writeSync(fd, c);
    fs.closeSync(fd);
    return;
  }
  const dir = freshDataDir();
  const mgr = await userWithToken("bench@models.test");
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Bench", dataType: "image", schema: { labels: [{ name: "person" }] } } });
  let total = 0;
  for (const c of modelChunks()) total += c.length;
  const it = modelChunks();
  const body = new ReadableStream<Uint8Array>({
    pull(ctl) {
      const n = it.next();
      if (n.done) ctl.close();
      else ctl.enqueue(n.value.slice());
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const req = new NextRequest("http://localhost:3000/x?kind=model", {
    method: "POST",
    headers: { authorization: `Bearer ${mgr.token}`, "content-type": "application/octet-stream", "content-length": String(total) },
    body,
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
  const res = await uploads.POST(req, { params: Promise.resolve({ id: String(p.json.id) }) });
  const out = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(out)}`);
  const file = `${dir}/models/${out.sha256.slice(0, 2)}/${out.sha256.slice(2, 4)}/${out.sha256}`;
  const sniff0 = performance.now();
  const info = await onnxInfoOfFile(file);
  const sniffMs = performance.now() - sniff0;
  const peak = process.resourceUsage().maxRSS * 1024;
  const rows = {
    "file size (MB)": (total / 1e6).toFixed(1),
    "upload to disk + sha256 + sniff (ms)": ms.toFixed(0),
    "throughput (MB/s)": (total / 1e6 / (ms / 1000)).toFixed(0),
    "RSS before (MB)": (rssBefore / 1e6).toFixed(0),
    "peak RSS (MB)": (peak / 1e6).toFixed(0),
    "sniff alone (ms)": sniffMs.toFixed(1),
    "sniff bytes read (KB)": (info.bytesRead / 1024).toFixed(0),
    "load average (1 min)": os.loadavg()[0]!.toFixed(2),
  };
  console.table(rows);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();

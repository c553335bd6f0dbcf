// A small deterministic, streaming ZIP writer. Same entries in -> same bytes out: fixed timestamps
// (1980-01-01 00:00, the DOS epoch), fixed permissions, fixed deflate level, entries in the order
// given. Entry data is streamed through CRC-32 (and deflate) with a data descriptor after it, so a
// multi-gigabyte media file never sits in memory; only the central directory (~60 bytes + name per
// entry) does. ZIP64 records are written when there are more than 65,535 entries or the archive
// passes 4 GiB; a single entry of 4 GiB or more is refused.
import zlib, { createDeflateRaw, deflateRawSync } from "node:zlib";
import { isSafeArchivePath } from "./paths";
import type { ArchiveEntry, ByteSource } from "./types";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Table-driven CRC-32 (IEEE), the fallback where zlib has no crc32 (Node before 20.15 / 22.2). */
export function crc32Table(bytes: Uint8Array, prev = 0): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Running CRC-32 (IEEE): pass the previous value (0 to start). zlib's native one when Node has it. */
export const crc32: (bytes: Uint8Array, prev?: number) => number = nativeCrc ? (b, prev = 0) => nativeCrc(b, prev) : crc32Table;

const encoder = new TextEncoder();
const toBytes = (c: Uint8Array | string): Uint8Array => (typeof c === "string" ? Buffer.from(c, "utf8") : c);

const BATCH = 64 * 1024;

/**
 * The entry's bytes in batches of about 64 KiB: exporters yield one short string per JSON object,
 * and pushing each through the deflate stream on its own cost more than the compression itself.
 * Strings are joined first and encoded once per batch.
 */
async function* chunksOf(data: ArchiveEntry["data"]): AsyncGenerator<Uint8Array> {
  const src: ByteSource = typeof data === "function" ? data() : data;
  const v = await src;
  if (typeof v === "string" || v instanceof Uint8Array) {
    yield toBytes(v);
    return;
  }
  let parts: Array<Uint8Array | string> = [];
  let size = 0;
  let allStrings = true;
  const flush = (): Uint8Array => {
    let out: Uint8Array;
    if (allStrings) out = Buffer.from((parts as string[]).join(""), "utf8");
    else if (parts.length === 1) out = toBytes(parts[0]!);
    else out = Buffer.concat(parts.map(toBytes));
    parts = [];
    size = 0;
    allStrings = true;
    return out;
  };
  for await (const c of v as AsyncIterable<Uint8Array | string>) {
    if (c.length === 0) continue;
    if (typeof c !== "string") {
      if (c.length >= BATCH && size === 0) { yield c; continue; }
      allStrings = false;
    }
    parts.push(c);
    // String length undercounts UTF-8 bytes; batches only need to be roughly 64 KiB.
    size += c.length;
    if (size >= BATCH) yield flush();
  }
  if (size > 0) yield flush();
}

/**
 * Raw deflate of a byte stream, double-buffered: zlib compresses one batch on the thread pool
 * while this thread produces the next (the exporters' JSON), instead of the two taking turns.
 * The output bytes depend only on the input bytes, not on how they were batched or timed.
 */
async function* deflatePipelined(src: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const d = createDeflateRaw({ level, chunkSize: 64 * 1024 });
  const out: Buffer[] = [];
  let failed: Error | null = null;
  d.on("data", (b: Buffer) => out.push(b));
  d.on("error", (e) => { failed = e; });
  const write = (b: Uint8Array) => new Promise<void>((resolve, reject) => d.write(b, (e) => (e ? reject(e) : resolve())));
  let pending: Promise<void> | null = null;
  try {
    for await (const b of src) {
      if (pending) await pending;
      if (failed) throw failed;
      pending = write(b);
      // Awaited on the next turn; if the source throws first, destroy() fails this write and
      // that must not surface as an unhandled rejection.
      pending.catch(() => {});
      while (out.length > 0) yield out.shift()!;
    }
    if (pending) await pending;
    await new Promise<void>((resolve, reject) => {
      d.once("end", resolve);
      d.once("error", reject);
      d.end();
    });
    if (failed) throw failed;
    while (out.length > 0) yield out.shift()!;
  } finally {
    d.destroy();
  }
}

const LIMIT32 = 0xffffffff;
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const FLAGS = 0x0008 | 0x0800; // data descriptor follows; names are UTF-8
const MADE_BY = (3 << 8) | 45; // Unix, spec 4.5
const FILE_MODE = (0o100644 << 16) >>> 0;

/** Little-endian header builder over a growable byte buffer (headers are small; data never goes through it). */
class Buf {
  private b = new Uint8Array(64);
  private n = 0;
  private room(k: number) {
    if (this.n + k <= this.b.length) return;
    const next = new Uint8Array(Math.max(this.b.length * 2, this.n + k));
    next.set(this.b.subarray(0, this.n));
    this.b = next;
  }
  u16(v: number) { this.room(2); this.b[this.n++] = v & 0xff; this.b[this.n++] = (v >>> 8) & 0xff; return this; }
  u32(v: number) { this.room(4); for (let k = 0; k < 4; k++) this.b[this.n++] = Math.floor(v / 2 ** (8 * k)) & 0xff; return this; }
  u64(v: number) { return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32)); }
  bytes(x: Uint8Array) { this.room(x.length); this.b.set(x, this.n); this.n += x.length; return this; }
  done() { return this.b.slice(0, this.n); }
}

interface CentralRecord { name: Uint8Array; method: number; crc: number; csize: number; usize: number; offset: number }

export interface ZipOptions {
  /** Deflate level for compressible entries (default 6). 0 stores everything. */
  level?: number;
}

/** Streams a ZIP archive of the entries, in their order. Duplicate or unsafe paths throw. */
export async function* zipStream(entries: Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>, options: ZipOptions = {}): AsyncGenerator<Uint8Array> {
  const level = options.level ?? 6;
  const central: CentralRecord[] = [];
  const seen = new Set<string>();
  let offset = 0;

  for await (const entry of entries) {
    if (!isSafeArchivePath(entry.path)) throw new Error(`unsafe archive path: ${JSON.stringify(entry.path)}`);
    if (seen.has(entry.path)) throw new Error(`duplicate archive path: ${entry.path}`);
    seen.add(entry.path);
    const name = encoder.encode(entry.path);
    const method = level > 0 && entry.compress !== false ? 8 : 0;
    const local = new Buf()
      .u32(0x04034b50).u16(20).u16(FLAGS).u16(method).u16(DOS_TIME).u16(DOS_DATE)
      .u32(0).u32(0).u32(0) // crc and sizes come in the data descriptor
      .u16(name.length).u16(0).bytes(name).done();
    const start = offset;
    yield local;
    offset += local.length;

    let crc = 0, usize = 0, csize = 0;
    const counted = async function* () {
      for await (const b of chunksOf(entry.data)) {
        crc = crc32(b, crc);
        usize += b.length;
        yield b;
      }
    };
    if (method === 8 && typeof entry.data !== "function") {
      // Small in-memory entries (a label file per image): one synchronous call, no stream set-up.
      const bytes = toBytes(entry.data);
      crc = crc32(bytes);
      usize = bytes.length;
      const out = deflateRawSync(bytes, { level });
      csize = out.length;
      yield new Uint8Array(out.buffer, out.byteOffset, out.length);
    } else if (method === 8) {
      for await (const out of deflatePipelined(counted(), level)) {
        csize += out.length;
        yield out;
      }
    } else {
      for await (const b of counted()) {
        csize += b.length;
        yield b;
      }
    }
    if (usize >= LIMIT32 || csize >= LIMIT32) throw new Error(`entry ${entry.path} is 4 GiB or larger; not supported`);
    const desc = new Buf().u32(0x08074b50).u32(crc).u32(csize).u32(usize).done();
    yield desc;
    offset += csize + desc.length;
    central.push({ name, method, crc, csize, usize, offset: start });
  }

  const cdStart = offset;
  for (const r of central) {
    const big = r.offset >= LIMIT32;
    const extra = big ? new Buf().u16(0x0001).u16(8).u64(r.offset).done() : new Uint8Array(0);
    const rec = new Buf()
      .u32(0x02014b50).u16(MADE_BY).u16(big ? 45 : 20).u16(FLAGS).u16(r.method).u16(DOS_TIME).u16(DOS_DATE)
      .u32(r.crc).u32(r.csize).u32(r.usize)
      .u16(r.name.length).u16(extra.length).u16(0).u16(0).u16(0).u32(FILE_MODE)
      .u32(big ? LIMIT32 : r.offset).bytes(r.name).bytes(extra).done();
    yield rec;
    offset += rec.length;
  }
  const cdSize = offset - cdStart;
  const n = central.length;
  if (n > 0xffff || cdStart >= LIMIT32 || cdSize >= LIMIT32) {
    const zip64End = offset;
    yield new Buf()
      .u32(0x06064b50).u64(44).u16(MADE_BY).u16(45).u32(0).u32(0)
      .u64(n).u64(n).u64(cdSize).u64(cdStart).done();
    yield new Buf().u32(0x07064b50).u32(0).u64(zip64End).u32(1).done();
  }
  yield new Buf()
    .u32(0x06054b50).u16(0).u16(0).u16(Math.min(n, 0xffff)).u16(Math.min(n, 0xffff))
    .u32(Math.min(cdSize, LIMIT32)).u32(Math.min(cdStart, LIMIT32)).u16(0).done();
}

/** Collects a stream into one buffer (tests and small archives). */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) { parts.push(c); n += c.length; }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// A small, defensive ZIP reader for archives Loupe downloads (`loupe pull`). It reads the central
// directory (ZIP64 included), inflates stored and deflated entries with node:zlib, checks each
// entry's CRC-32 and size, and refuses anything that could write outside the output directory:
// absolute paths, "..", drive letters, backslashes, control characters, symlinks, duplicates.
// Extraction streams entry by entry, so memory stays flat however large the media is.
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { createInflateRaw, inflateRawSync } from "node:zlib";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32 } from "../exporters/zip";

export class UnzipError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "UnzipError";
    this.code = code;
  }
}

export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  isDir: boolean;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOC = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, b, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  if (got < len) throw new UnzipError("truncated", `archive is truncated (wanted ${len} bytes at offset ${pos})`);
  return b;
}

const u64 = (b: Buffer, o: number): number => b.readUInt32LE(o) + b.readUInt32LE(o + 4) * 2 ** 32;

/**
 * Why a name is unsafe to extract, or null when it is a plain relative "/"-separated path.
 * Directory entries end in "/" and are allowed.
 */
export function unsafeEntryName(name: string): string | null {
  if (name.length === 0) return "empty name";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "control character in name";
  if (name.includes("\\")) return "backslash in name";
  if (name.startsWith("/")) return "absolute path";
  if (/^[a-zA-Z]:/.test(name)) return "drive letter";
  const parts = name.replace(/\/$/, "").split("/");
  for (const p of parts) {
    if (p === "..") return '".." in path';
    if (p === "" || p === ".") return "empty or \".\" path segment";
  }
  return null;
}

/** The central directory: every entry's name, sizes, CRC and where its local header is. */
export function listZip(file: string): ZipEntryInfo[] {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 22) throw new UnzipError("not_zip", "not a ZIP archive (too short)");
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLen, tailLen);
    let e = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_EOCD) { e = i; break; }
    }
    if (e < 0) throw new UnzipError("not_zip", "not a ZIP archive (no end of central directory)");
    let count = tail.readUInt16LE(e + 10);
    let cdSize = tail.readUInt32LE(e + 12);
    let cdOffset = tail.readUInt32LE(e + 16);
    const eocdPos = size - tailLen + e;
    if (eocdPos >= 20) {
      const loc = readAt(fd, eocdPos - 20, 20);
      if (loc.readUInt32LE(0) === SIG_EOCD64_LOC) {
        const rec = readAt(fd, u64(loc, 8), 56);
        if (rec.readUInt32LE(0) !== SIG_EOCD64) throw new UnzipError("corrupt", "bad ZIP64 end of central directory");
        count = u64(rec, 32);
        cdSize = u64(rec, 40);
        cdOffset = u64(rec, 48);
      }
    }
    if (cdOffset + cdSize > size) throw new UnzipError("corrupt", "central directory lies outside the archive");
    const cd = readAt(fd, cdOffset, cdSize);
    const out: ZipEntryInfo[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw new UnzipError("corrupt", `bad central directory record ${i}`);
      const madeBy = cd.readUInt16LE(p + 4);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let csize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nlen = cd.readUInt16LE(p + 28), xlen = cd.readUInt16LE(p + 30), clen = cd.readUInt16LE(p + 32);
      const external = cd.readUInt32LE(p + 38);
      let offset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nlen).toString("utf8");
      // ZIP64 extended information: only the fields whose 32-bit value is 0xffffffff, in this order.
      let x = p + 46 + nlen;
      const xend = x + xlen;
      while (x + 4 <= xend) {
        const id = cd.readUInt16LE(x), len = cd.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (usize === 0xffffffff) { usize = u64(cd, q); q += 8; }
          if (csize === 0xffffffff) { csize = u64(cd, q); q += 8; }
          if (offset === 0xffffffff) { offset = u64(cd, q); q += 8; }
        }
        x += 4 + len;
      }
      p = xend + clen;
      const why = unsafeEntryName(name);
      if (why) throw new UnzipError("unsafe_path", `refusing entry ${JSON.stringify(name)}: ${why}`);
      if (flags & 0x0001) throw new UnzipError("unsupported", `entry ${name} is encrypted`);
      if (madeBy >> 8 === 3 && ((external >>> 16) & S_IFMT) === S_IFLNK) {
        throw new UnzipError("unsafe_path", `refusing entry ${JSON.stringify(name)}: symbolic link`);
      }
      if (method !== 0 && method !== 8) throw new UnzipError("unsupported", `entry ${name} uses compression method ${method}`);
      out.push({ name, method, crc, compressedSize: csize, size: usize, localOffset: offset, isDir: name.endsWith("/") });
    }
    // Case-insensitive file systems would fold "A" and "a" into one file: refuse both kinds of duplicate.
    const seen = new Set<string>();
    for (const en of out) {
      const k = en.name.replace(/\/$/, "").toLowerCase();
      if (seen.has(k)) throw new UnzipError("unsafe_path", `refusing duplicate entry ${JSON.stringify(en.name)}`);
      seen.add(k);
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** Counts, CRCs, hashes and caps what flows through (a lying size header cannot inflate forever). */
class Check extends Transform {
  crc = 0;
  n = 0;
  readonly md5 = createHash("md5");
  constructor(private readonly max: number, private readonly name: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.n += chunk.length;
    if (this.n > this.max) return cb(new UnzipError("corrupt", `entry ${this.name} is larger than its header says`));
    this.crc = crc32(chunk, this.crc);
    this.md5.update(chunk);
    cb(null, chunk);
  }
}

export interface ExtractedFile {
  /** Relative "/"-separated path inside the output directory. */
  path: string;
  size: number;
  md5: string;
}

/**
 * Extracts every entry into `outDir` (created if missing). Files are created exclusively: an
 * existing file or symlink at a target path is an error, never followed. Throws UnzipError on an
 * unsafe name, a CRC or size mismatch, or a truncated archive; what was written stays for the
 * caller to remove (extract into a fresh temporary directory).
 */
export async function unzipTo(
  file: string,
  outDir: string,
  onEntry?: (done: number, total: number) => void,
  opts: { maxTotalBytes?: number } = {},
): Promise<ExtractedFile[]> {
  const entries = listZip(file);
  // Declared sizes are enforced while inflating, so capping their sum caps what can be written.
  const total = entries.reduce((n, e) => n + e.size, 0);
  if (opts.maxTotalBytes !== undefined && total > opts.maxTotalBytes) {
    throw new UnzipError("too_large", `archive unpacks to ${total} bytes, more than the ${opts.maxTotalBytes} allowed`);
  }
  const root = path.resolve(outDir);
  fs.mkdirSync(root, { recursive: true });
  const out: ExtractedFile[] = [];
  const made = new Set<string>([root]);
  const fd = fs.openSync(file, "r");
  try {
    let i = 0;
    for (const en of entries) {
      const dest = path.resolve(root, ...en.name.replace(/\/$/, "").split("/"));
      if (dest !== root && !dest.startsWith(root + path.sep)) throw new UnzipError("unsafe_path", `refusing entry ${JSON.stringify(en.name)}: escapes the output directory`);
      if (en.isDir) {
        fs.mkdirSync(dest, { recursive: true });
        onEntry?.(++i, entries.length);
        continue;
      }
      const lh = readAt(fd, en.localOffset, 30);
      if (lh.readUInt32LE(0) !== SIG_LOCAL) throw new UnzipError("corrupt", `bad local header for ${en.name}`);
      const start = en.localOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const parent = path.dirname(dest);
      if (!made.has(parent)) {
        fs.mkdirSync(parent, { recursive: true });
        made.add(parent);
      }
      const r = (en.size <= SMALL && en.compressedSize <= SMALL) || en.compressedSize === 0 ? extractSmall(fd, en, start, dest) : await extractStreaming(file, en, start, dest);
      out.push({ path: en.name, size: r.size, md5: r.md5 });
      onEntry?.(++i, entries.length);
    }
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Entries up to this size are read, inflated and written synchronously: a YOLO export has one tiny label file per image. */
const SMALL = 4 * 1024 * 1024;

function fail(en: ZipEntryInfo, e: unknown): never {
  if (e instanceof UnzipError) throw e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === "EEXIST") throw new UnzipError("unsafe_path", `refusing entry ${JSON.stringify(en.name)}: target already exists`);
  if (err.code?.startsWith("Z_") || err.code === "ERR_BUFFER_TOO_LARGE" || /invalid|incorrect|unexpected end|too large/i.test(err.message)) {
    throw new UnzipError("corrupt", `entry ${en.name} does not inflate: ${err.message}`);
  }
  throw e;
}

function verified(en: ZipEntryInfo, n: number, crc: number): void {
  if (n !== en.size) throw new UnzipError("corrupt", `entry ${en.name} is ${n} bytes, header says ${en.size}`);
  if (crc >>> 0 !== en.crc >>> 0) throw new UnzipError("crc_mismatch", `entry ${en.name} fails its CRC-32 check (archive corrupted)`);
}

function extractSmall(fd: number, en: ZipEntryInfo, start: number, dest: string): { size: number; md5: string } {
  let data: Buffer;
  try {
    const raw = en.compressedSize > 0 ? readAt(fd, start, en.compressedSize) : Buffer.alloc(0);
    // maxOutputLength one past the declared size: a lying header is caught without inflating on.
    data = en.method === 8 ? inflateRawSync(raw, { maxOutputLength: en.size + 1 }) : raw;
  } catch (e) {
    fail(en, e);
  }
  verified(en, data.length, crc32(data));
  try {
    fs.writeFileSync(dest, data, { flag: "wx" });
  } catch (e) {
    fail(en, e);
  }
  return { size: data.length, md5: createHash("md5").update(data).digest("hex") };
}

async function extractStreaming(file: string, en: ZipEntryInfo, start: number, dest: string): Promise<{ size: number; md5: string }> {
  const check = new Check(en.size, en.name);
  const src = fs.createReadStream(file, { start, end: start + en.compressedSize - 1 });
  const sink = fs.createWriteStream(dest, { flags: "wx" });
  try {
    if (en.method === 8) await pipeline(src, createInflateRaw(), check, sink);
    else await pipeline(src, check, sink);
  } catch (e) {
    fail(en, e);
  }
  verified(en, check.n, check.crc);
  return { size: check.n, md5: check.md5.digest("hex") };
}

// Video (and MP4/Matroska audio) duration and frame size from container headers, without
// ffmpeg. Returns what it can find; malformed structure ends the walk instead of throwing.
import type { RandomAccessFile } from "./file-reader";

export interface AvInfo {
  width?: number;
  height?: number;
  duration?: number;
}

const MAX_HOPS = 100_000;
// moov of a multi-hour video is a few MiB; anything near this is not a file we want to parse.
const MAX_MOOV = 64 * 1024 * 1024;
const MAX_EBML_MASTER = 8 * 1024 * 1024;

interface Box {
  type: string;
  start: number; // first byte of the body
  end: number;
}

function* boxes(buf: Buffer, from: number, to: number): Generator<Box> {
  let off = from;
  while (off + 8 <= to) {
    let size = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    let hdr = 8;
    if (size === 1) {
      if (off + 16 > to) return;
      size = Number(buf.readBigUInt64BE(off + 8));
      hdr = 16;
    } else if (size === 0) {
      size = to - off;
    }
    if (size < hdr || off + size > to) return;
    yield { type, start: off + hdr, end: off + size };
    off += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.start, parent.end)) if (b.type === type) return b;
  return undefined;
}

function trackSize(buf: Buffer, trak: Box): { width: number; height: number } | undefined {
  const mdia = child(buf, trak, "mdia");
  const hdlr = mdia && child(buf, mdia, "hdlr");
  if (!hdlr || buf.toString("latin1", hdlr.start + 8, hdlr.start + 12) !== "vide") return undefined;
  const tkhd = child(buf, trak, "tkhd");
  let width = 0;
  let height = 0;
  let quarterTurn = false;
  if (tkhd) {
    const v1 = buf[tkhd.start] === 1;
    const matrix = tkhd.start + (v1 ? 52 : 40);
    if (matrix + 44 <= tkhd.end) {
      width = buf.readUInt32BE(matrix + 36) / 65536;
      height = buf.readUInt32BE(matrix + 40) / 65536;
      // Phones record portrait video as rotated landscape; browsers show it turned.
      quarterTurn = buf.readInt32BE(matrix) === 0 && buf.readInt32BE(matrix + 16) === 0;
    }
  }
  if (!width || !height) {
    // Fall back to the coded size in the first visual sample entry.
    const minf = child(buf, mdia, "minf");
    const stbl = minf && child(buf, minf, "stbl");
    const stsd = stbl && child(buf, stbl, "stsd");
    const entry = stsd ? stsd.start + 8 : -1;
    if (stsd && entry + 36 <= stsd.end) {
      width = buf.readUInt16BE(entry + 32);
      height = buf.readUInt16BE(entry + 34);
    }
  }
  if (!width || !height) return undefined;
  width = Math.round(width);
  height = Math.round(height);
  return quarterTurn ? { width: height, height: width } : { width, height };
}

function parseMoov(buf: Buffer): AvInfo {
  const moov: Box = { type: "moov", start: 0, end: buf.length };
  const info: AvInfo = {};
  let timescale = 0;
  let duration = 0;
  for (const b of boxes(buf, moov.start, moov.end)) {
    if (b.type === "mvhd" && b.end - b.start >= 20) {
      const v1 = buf[b.start] === 1;
      if (v1 && b.end - b.start >= 32) {
        timescale = buf.readUInt32BE(b.start + 20);
        duration = Number(buf.readBigUInt64BE(b.start + 24));
      } else if (!v1) {
        timescale = buf.readUInt32BE(b.start + 12);
        duration = buf.readUInt32BE(b.start + 16);
        if (duration === 0xffffffff) duration = 0;
      }
    } else if (b.type === "mvex" && !duration) {
      // Fragmented MP4 keeps the overall length in mehd.
      const mehd = child(buf, b, "mehd");
      if (mehd) duration = buf[mehd.start] === 1 ? Number(buf.readBigUInt64BE(mehd.start + 4)) : buf.readUInt32BE(mehd.start + 4);
    } else if (b.type === "trak" && info.width === undefined) {
      const size = trackSize(buf, b);
      if (size) Object.assign(info, size);
    }
  }
  if (timescale && duration) info.duration = duration / timescale;
  return info;
}

/** ISO BMFF (MP4, MOV, M4A): moov/mvhd duration over timescale, first video track's size. */
export async function mp4Info(f: RandomAccessFile): Promise<AvInfo> {
  let off = 0;
  for (let hop = 0; hop < MAX_HOPS && off + 8 <= f.size; hop++) {
    const h = await f.read(off, 16);
    let size = h.readUInt32BE(0);
    const type = h.toString("latin1", 4, 8);
    let hdr = 8;
    if (size === 1 && h.length >= 16) {
      size = Number(h.readBigUInt64BE(8));
      hdr = 16;
    } else if (size === 0) {
      size = f.size - off;
    }
    if (size < hdr) return {};
    if (type === "moov") {
      if (size > MAX_MOOV) return {};
      return parseMoov(await f.read(off + hdr, size - hdr));
    }
    off += size;
  }
  return {};
}

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** EBML variable-length integer; IDs keep their marker bit, sizes drop it. */
function vint(buf: Buffer, at: number, keepMarker: boolean): Vint | undefined {
  const first = buf[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > buf.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + buf[at + i]!;
    if (buf[at + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

interface Element {
  id: number;
  start: number;
  end: number;
}

function* elements(buf: Buffer, from: number, to: number): Generator<Element> {
  let off = from;
  while (off < to) {
    const id = vint(buf, off, true);
    const size = id && vint(buf, off + id.length, false);
    if (!id || !size) return;
    const start = off + id.length + size.length;
    const end = size.unknown ? to : Math.min(to, start + size.value);
    yield { id: id.value, start, end };
    off = end;
  }
}

function uint(buf: Buffer, e: Element): number {
  let v = 0;
  for (let i = e.start; i < e.end; i++) v = v * 256 + buf[i]!;
  return v;
}

function float(buf: Buffer, e: Element): number | undefined {
  const len = e.end - e.start;
  if (len === 4) return buf.readFloatBE(e.start);
  if (len === 8) return buf.readDoubleBE(e.start);
  return undefined;
}

const EBML_ID = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TRACKS = 0x1654ae6b;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACK_ENTRY = 0xae;
const TRACK_TYPE = 0x83;
const VIDEO = 0xe0;
const PIXEL_WIDTH = 0xb0;
const PIXEL_HEIGHT = 0xba;

function parseInfo(buf: Buffer, info: AvInfo): void {
  let scale = 1_000_000; // nanoseconds per tick, the Matroska default
  let ticks: number | undefined;
  for (const e of elements(buf, 0, buf.length)) {
    if (e.id === TIMECODE_SCALE) scale = uint(buf, e) || scale;
    else if (e.id === DURATION) ticks = float(buf, e);
  }
  if (ticks !== undefined && Number.isFinite(ticks) && ticks > 0) info.duration = (ticks * scale) / 1e9;
}

function parseTracks(buf: Buffer, info: AvInfo): void {
  for (const entry of elements(buf, 0, buf.length)) {
    if (entry.id !== TRACK_ENTRY) continue;
    let type = 0;
    let width = 0;
    let height = 0;
    for (const e of elements(buf, entry.start, entry.end)) {
      if (e.id === TRACK_TYPE) type = uint(buf, e);
      else if (e.id === VIDEO) {
        for (const v of elements(buf, e.start, e.end)) {
          if (v.id === PIXEL_WIDTH) width = uint(buf, v);
          else if (v.id === PIXEL_HEIGHT) height = uint(buf, v);
        }
      }
    }
    if (type === 1 && width && height) {
      info.width = width;
      info.height = height;
      return;
    }
  }
}

/** Matroska/WebM: Segment/Info Duration × TimecodeScale, and the first video track's size. */
export async function matroskaInfo(f: RandomAccessFile): Promise<AvInfo> {
  const info: AvInfo = {};
  const head = await f.read(0, 16);
  const ebmlId = vint(head, 0, true);
  const ebmlSize = ebmlId && vint(head, ebmlId.length, false);
  if (!ebmlId || ebmlId.value !== EBML_ID || !ebmlSize || ebmlSize.unknown) return info;
  const segOff = ebmlId.length + ebmlSize.length + ebmlSize.value;
  const segHead = await f.read(segOff, 16);
  const segId = vint(segHead, 0, true);
  const segSize = segId && vint(segHead, segId.length, false);
  if (!segId || segId.value !== SEGMENT || !segSize) return info;
  let off = segOff + segId.length + segSize.length;
  let seenInfo = false;
  let seenTracks = false;
  for (let hop = 0; hop < MAX_HOPS && off < f.size && !(seenInfo && seenTracks); hop++) {
    const h = await f.read(off, 16);
    const id = vint(h, 0, true);
    const size = id && vint(h, id.length, false);
    if (!id || !size || size.unknown) break; // an unknown-size cluster cannot be skipped
    const bodyStart = off + id.length + size.length;
    if ((id.value === INFO || id.value === TRACKS) && size.value <= MAX_EBML_MASTER) {
      const body = await f.read(bodyStart, size.value);
      if (id.value === INFO) {
        parseInfo(body, info);
        seenInfo = true;
      } else {
        parseTracks(body, info);
        seenTracks = true;
      }
    }
    off = bodyStart + size.value;
  }
  return info;
}

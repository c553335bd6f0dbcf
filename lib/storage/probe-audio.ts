// Audio durations from container headers, so the server needs no ffmpeg. Each parser returns
// undefined rather than throwing when a header is not what it expects: a missing duration is
// shown as unknown, and whether the file plays is the browser's call.
import type { RandomAccessFile } from "./file-reader";

const MAX_CHUNKS = 10_000;

function finite(n: number): number | undefined {
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** RIFF/WAVE: length of the data chunk over the byte rate in the fmt chunk. */
export async function wavDuration(f: RandomAccessFile): Promise<number | undefined> {
  const riff = await f.read(0, 12);
  if (riff.length < 12 || riff.toString("latin1", 0, 4) !== "RIFF" || riff.toString("latin1", 8, 12) !== "WAVE") {
    return undefined;
  }
  let off = 12;
  let byteRate: number | undefined;
  let dataSize: number | undefined;
  for (let i = 0; i < MAX_CHUNKS && off + 8 <= f.size; i++) {
    const h = await f.read(off, 8);
    const id = h.toString("latin1", 0, 4);
    const len = h.readUInt32LE(4);
    if (id === "fmt ") {
      const body = await f.read(off + 8, Math.min(len, 16));
      if (body.length >= 12) byteRate = body.readUInt32LE(8);
    } else if (id === "data") {
      // Streamed WAVs leave the size at 0 or 0xFFFFFFFF; the data then runs to end of file.
      const rest = f.size - off - 8;
      dataSize = len === 0 || len === 0xffffffff || len > rest ? rest : len;
      if (byteRate !== undefined) break;
    }
    off += 8 + len + (len & 1);
  }
  if (!byteRate || dataSize === undefined) return undefined;
  return finite(dataSize / byteRate);
}

// Ogg pages carry a CRC-32 (polynomial 0x04C11DB7, unreflected); checking it lets us scan
// backwards for the last page without mistaking "OggS" inside packet data for a header.
const OGG_CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggCrc(page: Buffer): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const b = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  }
  return crc;
}

/** Length of a valid page starting at `at` in `buf`, or 0. */
function oggPageLength(buf: Buffer, at: number): number {
  if (at + 27 > buf.length || buf.toString("latin1", at, at + 4) !== "OggS" || buf[at + 4] !== 0) return 0;
  const nsegs = buf[at + 26]!;
  if (at + 27 + nsegs > buf.length) return 0;
  let len = 27 + nsegs;
  for (let i = 0; i < nsegs; i++) len += buf[at + 27 + i]!;
  if (at + len > buf.length) return 0;
  const page = buf.subarray(at, at + len);
  return oggCrc(page) === page.readUInt32LE(22) ? len : 0;
}

interface OggCodec {
  rate: number;
  preSkip: number;
}

function oggCodec(packet: Buffer): OggCodec | undefined {
  const sig = packet.toString("latin1", 0, 8);
  if (packet[0] === 1 && sig.slice(1, 7) === "vorbis" && packet.length >= 16) {
    return { rate: packet.readUInt32LE(12), preSkip: 0 };
  }
  if (sig === "OpusHead" && packet.length >= 12) {
    // Opus granule positions always count 48 kHz samples, whatever the input rate was.
    return { rate: 48000, preSkip: packet.readUInt16LE(10) };
  }
  if (packet[0] === 0x7f && sig.slice(1, 5) === "FLAC" && packet.length >= 30) {
    const p = 17 + 10; // mapping header (13) + metadata block header (4) + offset in STREAMINFO
    return { rate: (packet[p]! << 12) | (packet[p + 1]! << 4) | (packet[p + 2]! >> 4), preSkip: 0 };
  }
  if (sig === "Speex   " && packet.length >= 40) return { rate: packet.readUInt32LE(36), preSkip: 0 };
  return undefined;
}

/** Ogg (Vorbis, Opus, FLAC, Speex): last page's granule position over the sample rate. */
export async function oggDuration(f: RandomAccessFile): Promise<number | undefined> {
  const first = await f.read(0, 65536 + 27 + 255);
  const firstLen = oggPageLength(first, 0);
  if (!firstLen) return undefined;
  const serial = first.readUInt32LE(14);
  const nsegs = first[26]!;
  let packetLen = 0;
  for (let i = 0; i < nsegs; i++) {
    packetLen += first[27 + i]!;
    if (first[27 + i]! < 255) break;
  }
  const codec = oggCodec(first.subarray(27 + nsegs, 27 + nsegs + packetLen));
  if (!codec || !codec.rate) return undefined;

  // A page is at most 65307 bytes, so the last complete one starts within this window.
  const window = Math.min(f.size, 2 * 65536);
  const tailStart = f.size - window;
  const tail = await f.read(tailStart, window);
  for (let at = tail.lastIndexOf("OggS"); at >= 0; at = at > 0 ? tail.lastIndexOf("OggS", at - 1) : -1) {
    if (!oggPageLength(tail, at) || tail.readUInt32LE(at + 14) !== serial) continue;
    const granule = tail.readBigInt64LE(at + 6);
    if (granule < 0n) continue; // -1: no packet ends on this page
    return finite(Math.max(0, Number(granule) - codec.preSkip) / codec.rate);
  }
  return undefined;
}

function id3v2Size(h: Buffer): number {
  if (h.length < 10 || h.toString("latin1", 0, 3) !== "ID3") return 0;
  const size = ((h[6]! & 0x7f) << 21) | ((h[7]! & 0x7f) << 14) | ((h[8]! & 0x7f) << 7) | (h[9]! & 0x7f);
  return 10 + size + (h[5]! & 0x10 ? 10 : 0);
}

/** FLAC: total samples over sample rate from STREAMINFO (always the first metadata block). */
export async function flacDuration(f: RandomAccessFile): Promise<number | undefined> {
  const start = id3v2Size(await f.read(0, 10));
  const h = await f.read(start, 4 + 4 + 34);
  if (h.length < 42 || h.toString("latin1", 0, 4) !== "fLaC" || (h[4]! & 0x7f) !== 0) return undefined;
  const s = 8; // STREAMINFO body
  const rate = (h[s + 10]! << 12) | (h[s + 11]! << 4) | (h[s + 12]! >> 4);
  const total = (h[s + 13]! & 0x0f) * 2 ** 32 + h.readUInt32BE(s + 14);
  if (!rate || !total) return undefined;
  return finite(total / rate);
}

const MP3_BITRATES: Record<string, readonly number[]> = {
  "1-1": [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES = [44100, 48000, 32000];

/**
 * MP3: exact from a Xing/Info or VBRI frame count when the encoder wrote one, else an
 * estimate from the first frame's bitrate (right for constant-bitrate files).
 */
export async function mp3Duration(f: RandomAccessFile): Promise<number | undefined> {
  const skip = id3v2Size(await f.read(0, 10));
  const buf = await f.read(skip, 65536);
  let at = -1;
  for (let i = 0; i + 4 <= buf.length; i++) {
    if (buf[i] === 0xff && (buf[i + 1]! & 0xe0) === 0xe0) {
      const b1 = buf[i + 1]!;
      const b2 = buf[i + 2]!;
      if (((b1 >> 3) & 3) !== 1 && ((b1 >> 1) & 3) !== 0 && b2 >> 4 !== 0 && b2 >> 4 !== 15 && ((b2 >> 2) & 3) !== 3) {
        at = i;
        break;
      }
    }
  }
  if (at < 0) return undefined;
  const b1 = buf[at + 1]!;
  const b2 = buf[at + 2]!;
  const b3 = buf[at + 3]!;
  const versionBits = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = 4 - ((b1 >> 1) & 3);
  const v1 = versionBits === 3;
  const rate = MP3_RATES[(b2 >> 2) & 3]! / (v1 ? 1 : versionBits === 2 ? 2 : 4);
  const kbps = MP3_BITRATES[`${v1 ? 1 : 2}-${layer}`]?.[b2 >> 4] ?? 0;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && !v1 ? 576 : 1152;
  const mono = b3 >> 6 === 3;
  const sideInfo = v1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const xing = at + 4 + sideInfo;
  const tag = buf.toString("latin1", xing, xing + 4);
  if ((tag === "Xing" || tag === "Info") && buf.length >= xing + 12 && buf.readUInt32BE(xing + 4) & 1) {
    return finite((buf.readUInt32BE(xing + 8) * samplesPerFrame) / rate);
  }
  const vbri = at + 4 + 32;
  if (buf.toString("latin1", vbri, vbri + 4) === "VBRI" && buf.length >= vbri + 18) {
    return finite((buf.readUInt32BE(vbri + 14) * samplesPerFrame) / rate);
  }
  if (!kbps) return undefined;
  const tail = await f.read(Math.max(0, f.size - 128), 3);
  const audioBytes = f.size - skip - at - (tail.toString("latin1") === "TAG" ? 128 : 0);
  return finite((audioBytes * 8) / (kbps * 1000));
}

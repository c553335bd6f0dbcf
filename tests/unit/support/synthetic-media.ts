// Small hand-built files for the storage tests: broken and hostile inputs, and containers we
// have no real fixture for (Opus, FLAC, MP3), built from the format specs.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

export const FIXTURES = fileURLToPath(new URL("../../fixtures", import.meta.url));
export const fixture = (rel: string) => path.join(FIXTURES, rel);

const made: string[] = [];

export async function tempDir(prefix = "loupe-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** For afterAll: removes every directory tempDir() made in this test file. */
export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export async function writeTemp(dir: string, name: string, data: Uint8Array | string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, data);
  return p;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A well-formed PNG header claiming width×height RGB, with a tiny IDAT: a decompression bomb's shape. */
export function pngWithDimensions(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", zlib.deflateSync(Buffer.alloc(1024))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// Ogg's CRC is unreflected with polynomial 0x04C11DB7, unlike PNG's.
const OGG_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggPage(opts: { granule: bigint; serial: number; seq: number; flags: number; packet: Buffer }): Buffer {
  const lacing: number[] = [];
  let left = opts.packet.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const h = Buffer.alloc(27 + lacing.length);
  h.write("OggS", 0, "latin1");
  h[4] = 0;
  h[5] = opts.flags;
  h.writeBigInt64LE(opts.granule, 6);
  h.writeUInt32LE(opts.serial, 14);
  h.writeUInt32LE(opts.seq, 18);
  h[26] = lacing.length;
  lacing.forEach((v, i) => (h[27 + i] = v));
  const page = Buffer.concat([h, opts.packet]);
  let crc = 0;
  for (const b of page) crc = ((crc << 8) ^ OGG_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  page.writeUInt32LE(crc, 22);
  return page;
}

/** An Ogg Opus stream of `seconds` (plus pre-skip) with filler audio packets. */
export function oggOpus(seconds: number, preSkip = 312): Buffer {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head[8] = 1;
  head[9] = 1;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(16000, 12); // the input rate: must NOT be used for the duration
  const tags = Buffer.concat([Buffer.from("OpusTags", "latin1"), Buffer.alloc(8)]);
  const serial = 0x1234;
  const total = BigInt(Math.round(seconds * 48000) + preSkip);
  return Buffer.concat([
    oggPage({ granule: 0n, serial, seq: 0, flags: 2, packet: head }),
    oggPage({ granule: 0n, serial, seq: 1, flags: 0, packet: tags }),
    oggPage({ granule: total / 2n, serial, seq: 2, flags: 0, packet: Buffer.alloc(300, 7) }),
    // "OggS" inside packet data must not be mistaken for a page.
    oggPage({ granule: total, serial, seq: 3, flags: 4, packet: Buffer.concat([Buffer.alloc(50, 1), Buffer.from("OggS\0\0")]) }),
  ]);
}

/** fLaC + STREAMINFO for `samples` at `rate`. */
export function flacHeader(rate: number, samples: number): Buffer {
  const b = Buffer.alloc(4 + 4 + 34);
  b.write("fLaC", 0, "latin1");
  b[4] = 0x80; // last block, type 0 STREAMINFO
  b.writeUIntBE(34, 5, 3);
  const s = 8;
  b.writeUInt16BE(4096, s);
  b.writeUInt16BE(4096, s + 2);
  b[s + 10] = (rate >> 12) & 0xff;
  b[s + 11] = (rate >> 4) & 0xff;
  b[s + 12] = ((rate & 0x0f) << 4) | (0 << 1) | 0; // mono; bits per sample high bit 0
  b[s + 13] = (15 << 4) | Math.floor(samples / 2 ** 32); // bps-1 low nibble = 15 (16-bit)
  b.writeUInt32BE(samples % 2 ** 32, s + 14);
  return b;
}

/** `frames` MPEG-1 Layer III frames at 128 kbps, 44.1 kHz (417 bytes each), optionally with ID3v2. */
export function mp3Cbr(frames: number, withId3 = true): Buffer {
  const frame = Buffer.alloc(417);
  frame[0] = 0xff;
  frame[1] = 0xfb; // MPEG-1, Layer III, no CRC
  frame[2] = 0x90; // 128 kbps, 44.1 kHz, no padding
  frame[3] = 0x44;
  const id3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10, ...Array<number>(10).fill(0)]);
  return Buffer.concat([...(withId3 ? [id3] : []), ...Array<Buffer>(frames).fill(frame)]);
}

/** A minimal ISO BMFF file: ftyp + moov(mvhd, video trak with a 90° rotation matrix). */
export function mp4Rotated(width: number, height: number, seconds: number): Buffer {
  const box = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + body.length);
    h.write(type, 4, "latin1");
    return Buffer.concat([h, body]);
  };
  const ftyp = box("ftyp", Buffer.from("isom\0\0\0\0isommp41", "latin1"));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16);
  const tkhd = Buffer.alloc(84);
  tkhd[3] = 3;
  const m = 40;
  tkhd.writeInt32BE(0, m); // a
  tkhd.writeInt32BE(0x10000, m + 4); // b
  tkhd.writeInt32BE(-0x10000, m + 12); // c
  tkhd.writeInt32BE(0, m + 16); // d
  tkhd.writeInt32BE(0x40000000, m + 32); // w
  tkhd.writeUInt32BE(width * 65536, 76);
  tkhd.writeUInt32BE(height * 65536, 80);
  const hdlr = Buffer.concat([Buffer.alloc(8), Buffer.from("vide", "latin1"), Buffer.alloc(13)]);
  const trak = box("trak", box("tkhd", tkhd), box("mdia", box("hdlr", hdlr)));
  return Buffer.concat([ftyp, box("mdat", Buffer.alloc(64)), box("moov", box("mvhd", mvhd), trak)]);
}

/** RIFF/WAVE, 16-bit mono PCM, with the data size the writer chose (0xFFFFFFFF when streamed). */
export function wav(rate: number, seconds: number, declaredDataSize?: number): Buffer {
  const dataLen = Math.round(rate * seconds) * 2;
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "latin1");
  h.writeUInt32LE(36 + dataLen, 4);
  h.write("WAVEfmt ", 8, "latin1");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "latin1");
  h.writeUInt32LE(declaredDataSize ?? dataLen, 40);
  return Buffer.concat([h, Buffer.alloc(dataLen)]);
}

function ebml(id: number[], ...body: Buffer[]): Buffer {
  const data = Buffer.concat(body);
  const size = Buffer.alloc(8);
  size[0] = 0x01; // 8-byte size vint, as some muxers write
  size.writeUIntBE(data.length, 2, 6);
  return Buffer.concat([Buffer.from(id), size, data]);
}

/** WebM with a padded (>64 byte) EBML header, Info in ms ticks, and a video track. */
export function webmSynthetic(width: number, height: number, seconds: number): Buffer {
  const duration = Buffer.alloc(8);
  duration.writeDoubleBE(seconds * 1000);
  const header = ebml(
    [0x1a, 0x45, 0xdf, 0xa3],
    ebml([0x42, 0x82], Buffer.from("webm")),
    ebml([0xec], Buffer.alloc(80)), // Void padding
  );
  const info = ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x2a, 0xd7, 0xb1], Buffer.from([0x0f, 0x42, 0x40])), ebml([0x44, 0x89], duration));
  const audioTrack = ebml([0xae], ebml([0x83], Buffer.from([2])));
  const px = (v: number) => Buffer.from([v >> 8, v & 0xff]);
  const videoTrack = ebml([0xae], ebml([0x83], Buffer.from([1])), ebml([0xe0], ebml([0xb0], px(width)), ebml([0xba], px(height))));
  const tracks = ebml([0x16, 0x54, 0xae, 0x6b], audioTrack, videoTrack);
  const cluster = ebml([0x1f, 0x43, 0xb6, 0x75], Buffer.alloc(32));
  return Buffer.concat([header, ebml([0x18, 0x53, 0x80, 0x67], cluster, info, tracks)]);
}

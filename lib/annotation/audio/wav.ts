// WAV (RIFF/WAVE) header parsing and PCM sample reading, so a worker can compute peaks while the
// bytes stream in, without decoding the whole file first. Pure: bytes in, numbers out.

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to one of them). */
  format: 1 | 3;
  channels: number;
  sampleRate: number;
  bitsPerSample: 8 | 16 | 24 | 32 | 64;
  /** Bytes per frame (all channels of one sample instant). */
  blockAlign: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data (clamped to the file when the header says more, or "unknown"). */
  dataLength: number;
  frames: number;
  duration: number;
}

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WavError";
  }
}

const tag = (b: Uint8Array, o: number) => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);

/**
 * Parse the header from the first bytes of a file. Returns null when more bytes are needed (the
 * data chunk has not started yet), throws WavError for files that are not PCM/float WAV (the
 * caller falls back to the browser's decoder). `fileSize` bounds the data length when known.
 */
export function parseWavHeader(bytes: Uint8Array, fileSize?: number): WavInfo | null {
  if (bytes.length < 12) return null;
  if (tag(bytes, 0) !== "RIFF" || tag(bytes, 8) !== "WAVE") throw new WavError("not a RIFF/WAVE file");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Omit<WavInfo, "dataOffset" | "dataLength" | "frames" | "duration"> | null = null;
  let o = 12;
  while (o + 8 <= bytes.length) {
    const id = tag(bytes, o);
    const size = dv.getUint32(o + 4, true);
    const body = o + 8;
    if (id === "fmt ") {
      if (body + 16 > bytes.length) return null;
      let format = dv.getUint16(body, true);
      const channels = dv.getUint16(body + 2, true);
      const sampleRate = dv.getUint32(body + 4, true);
      const blockAlign = dv.getUint16(body + 12, true);
      const bits = dv.getUint16(body + 14, true);
      if (format === 0xfffe) {
        if (size < 26) throw new WavError("truncated WAVE_FORMAT_EXTENSIBLE header");
        if (body + 26 > bytes.length) return null;
        format = dv.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      if (format !== 1 && format !== 3) throw new WavError(`WAV codec 0x${format.toString(16).padStart(4, "0")} is not plain PCM or float`);
      if (channels < 1 || channels > 32) throw new WavError(`bad channel count ${channels}`);
      if (sampleRate < 1 || sampleRate > 768_000) throw new WavError(`bad sample rate ${sampleRate}`);
      const okBits = format === 1 ? [8, 16, 24, 32] : [32, 64];
      if (!okBits.includes(bits)) throw new WavError(`${bits}-bit ${format === 1 ? "PCM" : "float"} is not supported`);
      if (blockAlign !== (bits / 8) * channels) throw new WavError(`block align ${blockAlign} does not match ${channels} × ${bits} bits`);
      fmt = { format: format as 1 | 3, channels, sampleRate, bitsPerSample: bits as WavInfo["bitsPerSample"], blockAlign };
    } else if (id === "data") {
      if (!fmt) throw new WavError("data chunk before fmt chunk");
      // Streamed writers leave 0 or 0xFFFFFFFF: then the data runs to the end of the file.
      let len = size === 0 || size === 0xffffffff ? Infinity : size;
      if (fileSize !== undefined) len = Math.min(len, Math.max(0, fileSize - body));
      if (!Number.isFinite(len)) throw new WavError("data length unknown (streamed WAV without a file size)");
      const frames = Math.floor(len / fmt.blockAlign);
      return { ...fmt, dataOffset: body, dataLength: frames * fmt.blockAlign, frames, duration: frames / fmt.sampleRate };
    }
    o = body + size + (size & 1); // chunks are word-aligned
  }
  if (fileSize !== undefined && o >= fileSize) throw new WavError(fmt ? "no data chunk" : "no fmt chunk");
  return null;
}

/**
 * Calls fn(frame, mono) for each whole frame in `bytes` (channels averaged, in [-1, 1]).
 * Hot loop: 16-bit and 32-bit float, the common cases, read through typed arrays.
 */
export function readFrames(info: WavInfo, bytes: Uint8Array, fn: (i: number, v: number) => void): number {
  const n = Math.floor(bytes.length / info.blockAlign);
  const ch = info.channels;
  const inv = 1 / ch;
  if (info.format === 1 && info.bitsPerSample === 16 && bytes.byteOffset % 2 === 0) {
    const a = new Int16Array(bytes.buffer, bytes.byteOffset, n * ch);
    for (let i = 0, k = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < ch; c++) s += a[k++]!;
      fn(i, (s * inv) / 32768);
    }
    return n;
  }
  if (info.format === 3 && info.bitsPerSample === 32 && bytes.byteOffset % 4 === 0) {
    const a = new Float32Array(bytes.buffer, bytes.byteOffset, n * ch);
    for (let i = 0, k = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < ch; c++) s += a[k++]!;
      fn(i, s * inv);
    }
    return n;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bps = info.bitsPerSample / 8;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < ch; c++) s += sampleAt(dv, i * info.blockAlign + c * bps, info);
    fn(i, s * inv);
  }
  return n;
}

function sampleAt(dv: DataView, o: number, info: WavInfo): number {
  if (info.format === 3) return info.bitsPerSample === 64 ? dv.getFloat64(o, true) : dv.getFloat32(o, true);
  switch (info.bitsPerSample) {
    case 8: return (dv.getUint8(o) - 128) / 128; // 8-bit WAV is unsigned
    case 16: return dv.getInt16(o, true) / 32768;
    case 24: {
      const v = dv.getUint8(o) | (dv.getUint8(o + 1) << 8) | (dv.getInt8(o + 2) << 16);
      return v / 8388608;
    }
    default: return dv.getInt32(o, true) / 2147483648;
  }
}

/** A 44-byte PCM WAV header (tests and the bench generate files with it). */
export function wavHeader(opts: { sampleRate: number; channels: number; bitsPerSample: 8 | 16 | 24 | 32; frames: number; float?: boolean }): Uint8Array {
  const blockAlign = (opts.bitsPerSample / 8) * opts.channels;
  const dataLen = opts.frames * blockAlign;
  const b = new Uint8Array(44);
  const dv = new DataView(b.buffer);
  const put = (o: number, s: string) => [...s].forEach((c, i) => (b[o + i] = c.charCodeAt(0)));
  put(0, "RIFF");
  dv.setUint32(4, 36 + dataLen, true);
  put(8, "WAVE");
  put(12, "fmt ");
  dv.setUint32(16, 16, true);
  dv.setUint16(20, opts.float ? 3 : 1, true);
  dv.setUint16(22, opts.channels, true);
  dv.setUint32(24, opts.sampleRate, true);
  dv.setUint32(28, opts.sampleRate * blockAlign, true);
  dv.setUint16(32, blockAlign, true);
  dv.setUint16(34, opts.bitsPerSample, true);
  put(36, "data");
  dv.setUint32(40, dataLen, true);
  return b;
}

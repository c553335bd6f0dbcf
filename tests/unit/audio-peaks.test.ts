import { describe, it, expect } from "vitest";
import { PeakBuilder, PeakPyramid, baseBucketFrames, mixToMono } from "@/lib/annotation/audio/peaks";
import { WavError, parseWavHeader, readFrames, wavHeader } from "@/lib/annotation/audio/wav";

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

describe("WAV header", () => {
  it("reads a 16-bit stereo PCM header and the data offset past extra chunks", () => {
    const h = wavHeader({ sampleRate: 16000, channels: 2, bitsPerSample: 16, frames: 1600 });
    const info = parseWavHeader(h, 44 + 6400)!;
    expect(info).toMatchObject({ format: 1, channels: 2, sampleRate: 16000, bitsPerSample: 16, blockAlign: 4, dataOffset: 44, frames: 1600 });
    expect(info.duration).toBeCloseTo(0.1);
    // A LIST chunk (odd size, padded) between fmt and data.
    const list = new Uint8Array([..."LIST"].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const withList = concat(h.slice(0, 36), list, h.slice(36));
    expect(parseWavHeader(withList, withList.length + 6400)!.dataOffset).toBe(56);
  });

  it("asks for more bytes rather than guessing, and clamps a lying data size to the file", () => {
    const h = wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16, frames: 100 });
    expect(parseWavHeader(h.slice(0, 30))).toBeNull();
    expect(parseWavHeader(h, 44 + 50)!.frames).toBe(25);
  });

  it("refuses what is not plain PCM/float WAV with a clear reason", () => {
    expect(() => parseWavHeader(new TextEncoder().encode("ID3\u0004xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))).toThrow(WavError);
    const adpcm = wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16, frames: 10 });
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => parseWavHeader(adpcm)).toThrow(/codec 0x0002/);
  });

  it("reads 8/16/24-bit and float frames as mono in [-1, 1]", () => {
    const info16 = parseWavHeader(wavHeader({ sampleRate: 8000, channels: 2, bitsPerSample: 16, frames: 2 }))!;
    const pcm = new Uint8Array(new Int16Array([16384, -16384, 32767, 32767]).buffer);
    const got: number[] = [];
    expect(readFrames(info16, pcm, (_, v) => got.push(v))).toBe(2);
    expect(got[0]).toBeCloseTo(0);
    expect(got[1]).toBeCloseTo(1, 3);
    const info24 = parseWavHeader(wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 24, frames: 1 }))!;
    const v24: number[] = [];
    readFrames(info24, new Uint8Array([0, 0, 0xc0]), (_, v) => v24.push(v)); // -0.5
    expect(v24[0]).toBeCloseTo(-0.5);
    const info8 = parseWavHeader(wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 8, frames: 1 }))!;
    const v8: number[] = [];
    readFrames(info8, new Uint8Array([192]), (_, v) => v8.push(v));
    expect(v8[0]).toBeCloseTo(0.5);
    const infoF = parseWavHeader(wavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 32, frames: 1, float: true }))!;
    expect(infoF.format).toBe(3);
    const vf: number[] = [];
    readFrames(infoF, new Uint8Array(new Float32Array([-0.25]).buffer), (_, v) => vf.push(v));
    expect(vf[0]).toBeCloseTo(-0.25);
  });
});

describe("peaks", () => {
  it("keeps min/max per bucket, fills in any order, and reports what changed", () => {
    const b = new PeakBuilder(10, 4);
    expect(b.buckets).toBe(3);
    b.addSamples(8, [0.5, -0.5]); // the last bucket first
    expect(b.take()).toMatchObject({ from: 2 });
    b.addSamples(0, [0.1, -0.2, 0.3, 0, 0.9, -0.9]);
    const t = b.take()!;
    expect(t.from).toBe(0);
    expect([...t.min]).toEqual([Math.fround(-0.2), Math.fround(-0.9)]);
    expect([...t.max]).toEqual([Math.fround(0.3), Math.fround(0.9)]);
    expect(b.take()).toBeNull();
  });

  it("picks a base bucket size that bounds memory for an hour", () => {
    expect(baseBucketFrames(16000 * 60, 16000)).toBe(40);
    const hour = 44100 * 3600;
    expect(hour / baseBucketFrames(hour, 44100)).toBeLessThanOrEqual(2_000_000);
  });

  it("mixes channels to mono", () => {
    expect([...mixToMono([new Float32Array([1, 0]), new Float32Array([0, -1])])]).toEqual([0.5, -0.5]);
  });

  it("the pyramid answers per-column min/max from the right level and knows what is covered", () => {
    const sr = 100;
    const p = new PeakPyramid(1000, 10, sr); // 10 s, 100 base buckets of 0.1 s
    expect(p.levels.length).toBe(8); // 100, 50, 25, 13, 7, 4, 2, 1
    expect(p.isCovered(0, 1)).toBe(false);
    const min = new Float32Array(50).fill(-0.1);
    const max = new Float32Array(50).fill(0.1);
    max[20] = 0.8; // bucket 20 = 2.0–2.1 s
    p.set(0, min, max);
    expect(p.coveredBuckets).toBe(50);
    expect(p.isCovered(0, 5)).toBe(true);
    expect(p.isCovered(4, 6)).toBe(false);
    // 10 columns of 1 s: column 2 holds the spike; columns 5.. are unknown (NaN).
    const c = p.columns(0, 1, 10);
    expect(c.max[2]).toBeCloseTo(0.8);
    expect(c.max[1]).toBeCloseTo(0.1);
    expect(Number.isNaN(c.max[7]!)).toBe(true);
    // Zoomed in: one column per base bucket.
    const fine = p.columns(2, 0.1, 3);
    expect([...fine.max].map((x) => +x.toFixed(2))).toEqual([0.8, 0.1, 0.1]);
    // Re-setting a bucket does not count it twice.
    p.set(0, min.slice(0, 1), max.slice(0, 1));
    expect(p.coveredBuckets).toBe(50);
  });
});

describe("spectrogram", () => {
  it("puts a sine's energy in its frequency bin and silence at the floor", async () => {
    const { spectrogram, fft } = await import("@/lib/annotation/audio/spectrogram");
    const re = new Float32Array([1, 0, 0, 0]);
    const im = new Float32Array(4);
    fft(re, im);
    expect([...re]).toEqual([1, 1, 1, 1]); // an impulse has a flat spectrum
    const sr = 8000;
    const tone = new Float32Array(sr).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / sr));
    const { bins, data } = spectrogram(tone, 4, 512);
    expect(bins).toBe(256);
    const col = data.subarray(bins, 2 * bins);
    const peak = col.indexOf(Math.max(...col));
    expect(peak).toBe(64); // 1000 Hz * 512 / 8000
    expect(col[200]!).toBeLessThan(col[64]! - 100);
    const quiet = spectrogram(new Float32Array(sr), 2, 512);
    expect(Math.max(...quiet.data)).toBe(0);
  });
});

describe("folding WAV bytes", () => {
  it("addWav matches the per-sample path for 16-bit stereo, across bucket and chunk edges", () => {
    const info = parseWavHeader(wavHeader({ sampleRate: 1000, channels: 2, bitsPerSample: 16, frames: 100 }))!;
    const samples = new Int16Array(200).map((_, i) => Math.round(Math.sin(i * 0.37) * 20000));
    const bytes = new Uint8Array(samples.buffer);
    const fast = new PeakBuilder(100, 7);
    fast.addWav(info, bytes.slice(0, 4 * 33), 0); // chunk ends mid-bucket
    fast.addWav(info, bytes.slice(4 * 33), 33);
    const slow = new PeakBuilder(100, 7);
    readFrames(info, bytes, (i, v) => slow.add(i, v));
    expect([...fast.min]).toEqual([...slow.min]);
    expect([...fast.max]).toEqual([...slow.max]);
    expect(fast.framesAdded).toBe(100);
  });
});

import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/server/errors";
import { probeMedia, verifyImageDecodes } from "@/lib/storage/probe";
import { sniff, SNIFF_BYTES, type Sniffed } from "@/lib/storage/sniff";
import {
  cleanupTempDirs,
  fixture,
  flacHeader,
  mp3Cbr,
  mp4Rotated,
  oggOpus,
  pngWithDimensions,
  tempDir,
  wav,
  webmSynthetic,
  writeTemp,
} from "./support/synthetic-media";

function sniffFile(p: string): Sniffed {
  const s = sniff(readFileSync(p).subarray(0, SNIFF_BYTES));
  if (!s) throw new Error(`fixture ${p} did not sniff`);
  return s;
}

const probeFixture = (rel: string) => probeMedia(fixture(rel), sniffFile(fixture(rel)));

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir("loupe-probe-");
});
afterAll(cleanupTempDirs);

describe("probeMedia: real fixtures", () => {
  it("gives the same duration for the WAV and the Ogg Vorbis of one recording", async () => {
    const w = await probeFixture("audio/meeting.wav");
    const o = await probeFixture("audio/meeting.ogg");
    expect(w.duration).toBeCloseTo(15.387, 2); // 16 kHz mono 16-bit: data bytes / 32000
    expect(Math.abs(w.duration! - o.duration!)).toBeLessThan(0.1);
    expect(w.width).toBeUndefined();
  });

  it.each(["video/pedestrians.mp4", "video/pedestrians.webm"])("%s is 12 s at 768x576", async (rel) => {
    const info = await probeFixture(rel);
    expect(info.width).toBe(768);
    expect(info.height).toBe(576);
    expect(info.duration).toBeGreaterThan(11.5);
    expect(info.duration).toBeLessThan(12.5);
  });

  it("reads image dimensions", async () => {
    expect(await probeFixture("images/page.png")).toEqual({ width: 384, height: 191 });
    expect(await probeFixture("images/fruits.jpg")).toEqual({ width: 512, height: 480 });
  });

  it("finds WebM Info and Tracks from the first part of the file alone", async () => {
    const buf = readFileSync(fixture("video/pedestrians.webm"));
    const p = await writeTemp(dir, "head.webm", buf.subarray(0, 8192));
    const info = await probeMedia(p, { mime: "video/webm", kind: "video" });
    expect(info).toMatchObject({ width: 768, height: 576 });
    expect(info.duration).toBeCloseTo(12, 0);
  });

  it("returns nothing for text", async () => {
    expect(await probeFixture("text/news.jsonl")).toEqual({});
  });
});

describe("probeMedia: synthetic containers", () => {
  it("uses 48 kHz and subtracts pre-skip for Ogg Opus, ignoring 'OggS' inside packet data", async () => {
    const p = await writeTemp(dir, "a.opus", oggOpus(3.5));
    expect((await probeMedia(p, sniffFile(p))).duration).toBeCloseTo(3.5, 3);
  });

  it("reads FLAC STREAMINFO", async () => {
    const p = await writeTemp(dir, "a.flac", flacHeader(44100, 44100 * 7));
    expect(await probeMedia(p, sniffFile(p))).toEqual({ duration: 7 });
  });

  it("estimates constant-bitrate MP3 duration", async () => {
    // 100 frames x 1152 samples / 44100 Hz = 2.612 s
    const p = await writeTemp(dir, "a.mp3", mp3Cbr(100));
    expect((await probeMedia(p, sniffFile(p))).duration).toBeCloseTo(2.612, 1);
  });

  it("handles a streamed WAV whose data size was never filled in", async () => {
    const p = await writeTemp(dir, "s.wav", wav(8000, 2, 0xffffffff));
    expect((await probeMedia(p, sniffFile(p))).duration).toBeCloseTo(2, 5);
  });

  it("reports an MP4's size as displayed when its track is rotated 90°", async () => {
    const p = await writeTemp(dir, "r.mp4", mp4Rotated(1920, 1080, 4.5));
    expect(await probeMedia(p, sniffFile(p))).toEqual({ width: 1080, height: 1920, duration: 4.5 });
  });

  it("walks past a long EBML header and a cluster to Info and the first video track", async () => {
    const p = await writeTemp(dir, "s.webm", webmSynthetic(1280, 720, 3.25));
    expect(await probeMedia(p, sniffFile(p))).toEqual({ width: 1280, height: 720, duration: 3.25 });
  });

  it("gives audio-only results for audio in an MP4 container", async () => {
    const p = await writeTemp(dir, "r.m4a", mp4Rotated(640, 480, 2));
    expect(await probeMedia(p, { mime: "audio/mp4", kind: "audio" })).toEqual({ duration: 2 });
  });

  it("leaves duration out instead of failing on garbage", async () => {
    const p = await writeTemp(dir, "junk.ogg", Buffer.concat([Buffer.from("OggS"), Buffer.alloc(100, 9)]));
    expect(await probeMedia(p, { mime: "audio/ogg", kind: "audio" })).toEqual({});
    const q = await writeTemp(dir, "junk.webm", Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xff, 0xff]));
    expect(await probeMedia(q, { mime: "video/webm", kind: "video" })).toEqual({});
  });
});

describe("probeMedia: hostile images", () => {
  it("refuses a decompression bomb from its header, before decoding", async () => {
    const p = await writeTemp(dir, "bomb.png", pngWithDimensions(60_000, 60_000));
    const e = await rejection(probeMedia(p, sniffFile(p)));
    expect(e.status).toBe(422);
    expect(e.code).toBe("too_many_pixels");
    expect(e.message).toContain("60000×60000");
  });

  it("honours a lower pixel limit", async () => {
    const e = await rejection(probeMedia(fixture("images/page.png"), sniffFile(fixture("images/page.png")), { maxPixels: 1000 }));
    expect(e.code).toBe("too_many_pixels");
  });

  it("refuses a PNG whose header is garbage", async () => {
    const buf = Buffer.concat([pngWithDimensions(1, 1).subarray(0, 8), Buffer.alloc(64, 0x41)]);
    const p = await writeTemp(dir, "bad.png", buf);
    const e = await rejection(probeMedia(p, { mime: "image/png", kind: "image" }));
    expect(e.status).toBe(422);
    expect(e.code).toBe("corrupt_media");
  });

  it.each([
    ["truncated.png", "images/page.png"],
    ["truncated.jpg", "images/fruits.jpg"],
  ])("a full decode refuses %s", async (name, rel) => {
    const buf = readFileSync(fixture(rel));
    const p = await writeTemp(dir, name, buf.subarray(0, Math.floor(buf.length * 0.6)));
    const e = await rejection(probeMedia(p, sniffFile(p), { decode: true }));
    expect(e.code).toBe("corrupt_media");
    await expect(verifyImageDecodes(p)).rejects.toMatchObject({ status: 422, code: "corrupt_media" });
  });

  it("a full decode accepts an intact image", async () => {
    await expect(verifyImageDecodes(fixture("images/fruits.jpg"))).resolves.toBeUndefined();
  });

  it("reports EXIF-rotated JPEG dimensions as displayed", async () => {
    const jpg = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#f00" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const p = await writeTemp(dir, "rotated.jpg", jpg);
    expect(await probeMedia(p, sniffFile(p))).toEqual({ width: 20, height: 40 });
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { declaredKind, expectKind, looksLikeMarkup, sniff, sniffAs, SNIFF_BYTES } from "@/lib/storage/sniff";
import { apiError } from "./support/api-error";
import { fixture, flacHeader, mp3Cbr, oggOpus, pngWithDimensions, wav } from "./support/synthetic-media";

const head = (rel: string) => readFileSync(fixture(rel)).subarray(0, SNIFF_BYTES);
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));


describe("sniff: real fixtures", () => {
  it.each([
    ["images/page.png", "image/png", "image"],
    ["images/fruits.jpg", "image/jpeg", "image"],
    ["audio/meeting.wav", "audio/wav", "audio"],
    ["audio/meeting.ogg", "audio/ogg", "audio"],
    ["video/pedestrians.mp4", "video/mp4", "video"],
    ["video/pedestrians.webm", "video/webm", "video"],
    ["text/news.jsonl", "text/plain", "text"],
    ["text/reviews.csv", "text/plain", "text"],
  ])("%s is %s", (rel, mime, kind) => {
    expect(sniff(head(rel))).toEqual({ mime, kind });
  });
});

describe("sniff: signatures", () => {
  it.each([
    ["GIF89a", bytes("GIF89a", [1, 0, 1, 0, 0, 0, 0]), "image/gif"],
    ["GIF87a", bytes("GIF87a", [1, 0, 1, 0]), "image/gif"],
    ["WebP", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "image/webp"],
    ["TIFF little-endian", bytes([0x49, 0x49, 0x2a, 0], [8, 0, 0, 0]), "image/tiff"],
    ["TIFF big-endian", bytes([0x4d, 0x4d, 0, 0x2a], [0, 0, 0, 8]), "image/tiff"],
    ["BMP", bytes("BM", [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0, 1, 0, 0, 0]), "image/bmp"],
    ["AVIF", bytes([0, 0, 0, 0x1c], "ftypavif", [0, 0, 0, 0]), "image/avif"],
    ["synthetic WAV", wav(8000, 0.01), "audio/wav"],
    ["Ogg Opus", oggOpus(1), "audio/ogg"],
    ["FLAC", flacHeader(44100, 44100), "audio/flac"],
    ["MP3 with ID3", mp3Cbr(3), "audio/mpeg"],
    ["MP3 frame sync", mp3Cbr(3, false), "audio/mpeg"],
    ["M4A", bytes([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 0, 0]), "audio/mp4"],
    ["MOV", bytes([0, 0, 0, 0x14], "ftypqt  ", [0, 0, 0, 0]), "video/quicktime"],
    ["MP4 isom", bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 2, 0]), "video/mp4"],
    ["Matroska", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x93, 0x42, 0x82, 0x88], "matroska"), "video/x-matroska"],
  ])("%s", (_name, buf, mime) => {
    expect(sniff(buf)?.mime).toBe(mime);
  });

  it("treats text that happens to start with BM as text, not a bitmap", () => {
    expect(sniff(Buffer.from("BMW makes cars and motorbikes.\n"))).toEqual({ mime: "text/plain", kind: "text" });
  });

  it("refuses HEIC rather than calling it video", () => {
    expect(sniff(bytes([0, 0, 0, 0x18], "ftypheic", [0, 0, 0, 0]))).toBeNull();
  });

  it("refuses EBML that is neither WebM nor Matroska", () => {
    expect(sniff(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x87, 0x42, 0x82, 0x84], "abcd"))).toBeNull();
  });
});

describe("sniff: text", () => {
  it("accepts multi-byte UTF-8, with or without a BOM", () => {
    expect(sniff(Buffer.from("Grüße, 東京 🎉\n"))?.kind).toBe("text");
    expect(sniff(Buffer.from("\ufeffhello"))?.kind).toBe("text");
  });

  it("accepts a multi-byte character cut off by the end of the sniffed window", () => {
    const full = Buffer.from("ab東");
    expect(sniff(full.subarray(0, full.length - 1))?.kind).toBe("text");
  });

  it("refuses NUL bytes, invalid UTF-8 and empty input", () => {
    expect(sniff(Buffer.from("abc\0def"))).toBeNull();
    expect(sniff(Buffer.from([0x61, 0xc3, 0x28, 0x62]))).toBeNull(); // bad continuation
    expect(sniff(Buffer.from([0xc0, 0xaf]))).toBeNull(); // overlong "/"
    expect(sniff(Buffer.from([0xed, 0xa0, 0x80]))).toBeNull(); // UTF-16 surrogate
    expect(sniff(new Uint8Array(0))).toBeNull();
  });
});

describe("sniff: markup is never media", () => {
  const cases: Array<[string, Buffer]> = [
    ["HTML", Buffer.from("<html><body>hi</body></html>")],
    ["doctype", Buffer.from("\n\n  <!DOCTYPE html><title>x</title>")],
    ["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ["XML prolog + SVG", Buffer.from('<?xml version="1.0"?>\n<svg/>')],
    ["bare XML", Buffer.from('<?xml version="1.0"?><root/>')],
    ["script tag in text", Buffer.from("hello <ScRiPt>alert(1)</script>")],
    ["BOM + HTML", Buffer.from("\ufeff<HTML>")],
    ["UTF-16 HTML", Buffer.from("\ufeff<html><script>", "utf16le")],
    ["GIF polyglot", bytes("GIF89a/*", "<script>alert(1)</script>")],
    ["PNG signature then HTML", Buffer.concat([pngWithDimensions(1, 1).subarray(0, 8), Buffer.from("<html>")])],
  ];

  it.each(cases)("%s", (_name, buf) => {
    expect(looksLikeMarkup(buf)).toBe(true);
    expect(sniff(buf)).toBeNull();
  });

  it("does not flag ordinary text or real images", () => {
    expect(looksLikeMarkup(Buffer.from("a < b and c > d"))).toBe(false);
    expect(looksLikeMarkup(head("images/page.png"))).toBe(false);
    expect(looksLikeMarkup(head("images/fruits.jpg"))).toBe(false);
  });
});

describe("expectKind / sniffAs", () => {
  it("refuses HTML renamed to .png with 415 and says it is markup", () => {
    const e = apiError(() => sniffAs(Buffer.from("<!doctype html><p>hi"), "cat.png", "files"));
    expect(e.status).toBe(415);
    expect(e.code).toBe("unsupported_media_type");
    expect(e.field).toBe("files");
    expect(e.message).toMatch(/markup/i);
  });

  it("refuses content of a different kind than declared", () => {
    const e = apiError(() => sniffAs(pngWithDimensions(2, 2), "song.mp3"));
    expect(e.status).toBe(415);
    expect(e.message).toMatch(/does not match/);
    expect(e.details).toMatchObject({ detected: "image/png" });
  });

  it("refuses declared types we do not handle, including SVG", () => {
    expect(apiError(() => sniffAs(pngWithDimensions(2, 2), "image/svg+xml")).status).toBe(415);
    expect(apiError(() => sniffAs(Buffer.from("MZ"), "setup.exe")).status).toBe(415);
    expect(apiError(() => expectKind(null, "x.bin")).message).toMatch(/not a supported/);
  });

  it("labels a same-kind mislabel by what the bytes are", () => {
    expect(sniffAs(head("images/fruits.jpg"), "photo.png")).toEqual({ mime: "image/jpeg", kind: "image" });
  });

  it("relabels audio-or-video containers to the declared kind", () => {
    expect(sniffAs(head("video/pedestrians.mp4"), "voice.m4a")).toEqual({ mime: "audio/mp4", kind: "audio" });
    expect(sniffAs(head("video/pedestrians.webm"), "audio/webm")).toEqual({ mime: "audio/webm", kind: "audio" });
  });

  it("accepts anything sniffable when the declaration says nothing", () => {
    expect(sniffAs(head("audio/meeting.ogg"), "")).toEqual({ mime: "audio/ogg", kind: "audio" });
    expect(sniffAs(head("audio/meeting.ogg"), "application/octet-stream").kind).toBe("audio");
  });

  it("reads declarations as names, extensions, MIME types or kinds", () => {
    expect(declaredKind("Holiday.JPG")).toBe("image");
    expect(declaredKind("mp4")).toBe("video");
    expect(declaredKind("audio/x-wav; codecs=1")).toBe("audio");
    expect(declaredKind("text")).toBe("text");
    expect(declaredKind("text/html")).toBe("unknown");
    expect(declaredKind("")).toBeNull();
  });
});

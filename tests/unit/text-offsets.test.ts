import { describe, it, expect } from "vitest";
import { TextIndex, codePointLength } from "@/lib/annotation/text/offsets";

/** Python's text[start:end]: slice by code points. */
const py = (s: string, a: number, b: number) => [...s].slice(a, b).join("");

const SAMPLES: Record<string, string> = {
  ascii: "Angela Merkel met Emmanuel Macron in Paris.",
  emoji: "I ❤️ 🍕 and 👨‍👩‍👧 family 🇫🇷 flags, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 too",
  combining: "Cafe\u0301 na\u0131\u0308ve Zoe\u0308 — e\u0301\u0301 stacked",
  rtl: "שלום עולם and مرحبا بالعالم 123 mixed",
  cjk: "東京都は日本の首都です。𠮷野家 is astral CJK.",
  lone: "a\ud800b\udc00c", // lone surrogates are one code point each in JS and Python
  crlf: "line one\r\nline two\rline three\nend",
};

describe("TextIndex: code points <-> UTF-16", () => {
  for (const [name, s] of Object.entries(SAMPLES)) {
    it(`round-trips every offset and slice (${name})`, () => {
      const ix = new TextIndex(s);
      const cps = [...s];
      expect(ix.length).toBe(cps.length);
      expect(codePointLength(s)).toBe(cps.length);
      for (let c = 0; c <= cps.length; c++) {
        const u = ix.toUtf16(c);
        expect(s.slice(0, u)).toBe(cps.slice(0, c).join(""));
        expect(ix.toCodePoint(u)).toBe(c);
      }
      for (let a = 0; a <= cps.length; a += 2) for (let b = a; b <= cps.length; b += 3) expect(ix.slice(a, b)).toBe(py(s, a, b));
    });
  }

  it("rounds offsets inside a surrogate pair down or up, never splitting the character", () => {
    const s = "a🍕b";
    const ix = new TextIndex(s);
    expect(ix.toCodePoint(2, "down")).toBe(1);
    expect(ix.toCodePoint(2, "up")).toBe(2);
    expect(ix.snap16(2, "down")).toBe(1);
    expect(ix.snap16(2, "up")).toBe(3);
    expect(ix.slice(1, 2)).toBe("🍕");
  });

  it("clamps out-of-range offsets", () => {
    const ix = new TextIndex("x😀");
    expect(ix.toUtf16(-5)).toBe(0);
    expect(ix.toUtf16(99)).toBe(3);
    expect(ix.toCodePoint(99)).toBe(2);
  });

  it("maps 100,000 characters with thousands of emoji quickly and correctly", () => {
    const chunk = "word 😀 mot ";
    const s = chunk.repeat(Math.ceil(100_000 / chunk.length));
    const ix = new TextIndex(s);
    const cps = [...s];
    for (const c of [0, 1, 5, 6, 7, 12345, 54321, cps.length - 1, cps.length]) expect(s.slice(0, ix.toUtf16(c))).toBe(cps.slice(0, c).join(""));
  });
});

import { decodeTextFile, firstInvalidUtf8, taskText, utf8Length } from "@/lib/annotation/text/task-text";

describe("task text", () => {
  it("finds the first invalid UTF-8 byte: stray continuation, overlong, surrogate, truncated", () => {
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    expect(firstInvalidUtf8(new Uint8Array(enc("héllo 😀 שלום")))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([...enc("ab"), 0x80]))).toBe(2);
    expect(firstInvalidUtf8(new Uint8Array([...enc("a"), 0xc0, 0xaf]))).toBe(1); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // UTF-16 surrogate
    expect(firstInvalidUtf8(new Uint8Array([...enc("ok"), 0xf0, 0x9f]))).toBe(2); // truncated emoji
    expect(decodeTextFile(new Uint8Array([0xef, 0xbb, 0xbf, ...enc("a\r\nb")]))).toEqual({ ok: true, text: "a\r\nb" });
    expect(decodeTextFile(new Uint8Array([0x61, 0xff]))).toEqual({ ok: false, offset: 1 });
  });

  it("measures UTF-8 size without encoding and picks the task's text field", () => {
    for (const s of ["", "abc", "héllo", "😀😀", "東京", "a\ud800b"]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    expect(taskText({ text: "t", other: "o" })).toBe("t");
    expect(taskText({ n: 1, body: "b" })).toBe("b");
    expect(taskText({ n: 1 })).toBeNull();
    expect(taskText(null)).toBeNull();
  });
});

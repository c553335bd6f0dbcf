import { describe, expect, it } from "vitest";
import { UniqueNamer, isSafeArchivePath, sanitizeFileName, sanitizePath, sanitizeSegment } from "@/lib/exporters/paths";

describe("sanitizePath", () => {
  it.each([
    ["../../etc/passwd", "etc/passwd"],
    ["..\\..\\Windows\\win.ini", "Windows/win.ini"],
    ["/etc/shadow", "etc/shadow"],
    ["C:\\Users\\x\\a.jpg", "Users/x/a.jpg"],
    ["c:/a.jpg", "a.jpg"],
    ["\\\\server\\share\\a.jpg", "server/share/a.jpg"],
    ["a/./b/../c.jpg", "a/b/c.jpg"],
    ["a//b///c", "a/b/c"],
    ["....//....//x", "x"],
    ["file:///etc/passwd", "etc/passwd"],
    ["https://host/img/a.png", "host/img/a.png"],
    ["a\u0000b.jpg", "ab.jpg"],
    ["new\nline.jpg", "newline.jpg"],
    ["", "file"],
    ["..", "file"],
    ["/", "file"],
    ["   ", "file"],
  ])("%j -> %j", (raw, want) => {
    const got = sanitizePath(raw);
    expect(got).toBe(want);
    expect(isSafeArchivePath(got)).toBe(true);
  });

  it("never lets a segment climb, whatever the input", () => {
    const nasty = ["..", ".", "/", "\\", "C:", "\u0000", "a", "%2e%2e", "..\u0000", " ", "\u202e"];
    for (let i = 0; i < 2000; i++) {
      let s = "";
      for (let k = 0; k < 6; k++) s += nasty[(i * 7 + k * 13 + (i >> k)) % nasty.length];
      const p = sanitizePath(s);
      expect(isSafeArchivePath(p), JSON.stringify(s)).toBe(true);
      expect(p.split("/")).not.toContain("..");
    }
  });
});

describe("sanitizeSegment", () => {
  it("replaces characters Windows forbids and bidi overrides", () => {
    expect(sanitizeSegment('a<b>c:d"e|f?g*h.jpg')).toBe("a_b_c_d_e_f_g_h.jpg");
    expect(sanitizeSegment("invoice\u202egpj.exe")).toBe("invoice_gpj.exe");
  });

  it("renames Windows device names and trims trailing dots and spaces", () => {
    expect(sanitizeSegment("CON")).toBe("_CON");
    expect(sanitizeSegment("nul.txt")).toBe("_nul.txt");
    expect(sanitizeSegment("a.jpg. . ")).toBe("a.jpg");
    expect(sanitizeSegment("...")).toBe("file");
  });

  it("caps long names at 200 UTF-8 bytes, keeping the extension and whole code points", () => {
    const s = sanitizeSegment("😀".repeat(100) + ".png");
    expect(new TextEncoder().encode(s).length).toBeLessThanOrEqual(200);
    expect(s.endsWith(".png")).toBe(true);
    expect(s).not.toContain("\ufffd");
  });

  it("normalises to NFC so the same name typed two ways is one name", () => {
    expect(sanitizeSegment("e\u0301.jpg")).toBe("\u00e9.jpg");
  });
});

describe("sanitizeFileName", () => {
  it("keeps only the last segment", () => {
    expect(sanitizeFileName("../../a/b/c.png")).toBe("c.png");
    expect(sanitizeFileName("../..", "task-1")).toBe("task-1");
  });
});

describe("UniqueNamer", () => {
  it("makes stems unique, case-insensitively, in a deterministic way", () => {
    const n = new UniqueNamer();
    expect(["a.jpg", "A.png", "a.jpg", "a-2.jpg", "b", "B"].map((x) => n.claim(x))).toEqual(["a.jpg", "A-2.png", "a-3.jpg", "a-2-2.jpg", "b", "B-2"]);
  });
});

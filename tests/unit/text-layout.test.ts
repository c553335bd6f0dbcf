import { describe, it, expect } from "vitest";
import { assignLanes, blockAt, displayText, pieces, spansByBlock, splitBlocks } from "@/lib/annotation/text/layout";

describe("blocks", () => {
  it("tile the text exactly, cut at line breaks, never inside a surrogate pair", () => {
    const text = ("A paragraph of words 😀 that goes on.\r\n".repeat(200) + "x".repeat(5000) + "😀".repeat(3000));
    const blocks = splitBlocks(text, 2000);
    expect(blocks[0]!.start).toBe(0);
    expect(blocks[blocks.length - 1]!.end).toBe(text.length);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.start).toBe(blocks[i - 1]!.end);
    for (const b of blocks) {
      expect(b.end - b.start).toBeLessThanOrEqual(2000);
      const c = text.charCodeAt(b.start);
      expect(c >= 0xdc00 && c <= 0xdfff).toBe(false);
    }
    // Line-break cuts keep \r\n together.
    expect(text.slice(blocks[0]!.end - 2, blocks[0]!.end)).toBe("\r\n");
    expect(blockAt(blocks, 0)).toBe(0);
    expect(blockAt(blocks, blocks[1]!.start)).toBe(1);
    expect(blockAt(blocks, text.length)).toBe(blocks.length - 1);
  });

  it("shows lone CRs as line breaks without moving offsets", () => {
    const t = "a\rb\r\nc\nd";
    expect(displayText(t)).toBe("a\nb\r\nc\nd");
    expect(displayText(t).length).toBe(t.length);
  });
});

describe("lanes", () => {
  it("gives nested and overlapping spans different lanes, outer first, and reuses free lanes", () => {
    const spans = [
      { id: "outer", start: 0, end: 20 },
      { id: "inner", start: 5, end: 10 },
      { id: "overlap", start: 15, end: 30 },
      { id: "later", start: 31, end: 40 },
      { id: "same", start: 5, end: 10 },
    ];
    const l = assignLanes(spans);
    expect(l.get("outer")).toBe(0);
    expect(l.get("later")).toBe(0);
    expect(new Set([l.get("inner"), l.get("same"), l.get("outer")]).size).toBe(3);
    expect(l.get("overlap")).not.toBe(l.get("outer"));
  });

  it("cuts a block into pieces at span edges with their covering spans", () => {
    const spans = [
      { id: "a", start: 2, end: 8 },
      { id: "b", start: 4, end: 6 },
    ];
    const lanes = assignLanes(spans);
    const ps = pieces(0, 10, spans, lanes, [9]);
    expect(ps.map((p) => [p.start, p.end, p.covering.map((s) => s.id).join("")])).toEqual([
      [0, 2, ""], [2, 4, "a"], [4, 6, "ab"], [6, 8, "a"], [8, 9, ""], [9, 10, ""],
    ]);
    const by = spansByBlock([{ start: 0, end: 5 }, { start: 5, end: 10 }], spans);
    expect(by[0]!.map((s) => s.id)).toEqual(["a", "b"]);
    expect(by[1]!.map((s) => s.id)).toEqual(["a", "b"]);
  });
});

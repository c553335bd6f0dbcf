import { describe, expect, it } from "vitest";
import { bioTags, pickSpans, tokenizeLines } from "@/lib/exporters/text";
import { expectGolden, run, text } from "./support";
import { T1, T2, T3, textSource } from "./fixtures";

describe("tokenizer", () => {
  it("counts code points, keeps emoji sequences whole and splits punctuation", () => {
    const [line] = tokenizeLines(T2);
    expect(line!.map((t) => t.text)).toEqual(["I", "❤️", "🇳🇴", "and", "👩‍👩‍👧", "in", "Oslo", "!"]);
    const oslo = line!.find((t) => t.text === "Oslo")!;
    expect(Array.from(T2).slice(oslo.start, oslo.end).join("")).toBe("Oslo");
  });

  it("splits sentence blocks at line breaks", () => {
    expect(tokenizeLines(T1).map((l) => l.map((t) => t.text).join(" "))).toEqual([
      "Angela Merkel visited the University of Oslo today .",
      "It was sunny .",
    ]);
  });

  it("keeps ZWNJ inside Persian words and treats bidi marks and zero-width spaces as separators", () => {
    const t = "\u200fمی\u200cخواهم\u200b.";
    const [line] = tokenizeLines(t);
    expect(line!.map((x) => x.text)).toEqual(["می\u200cخواهم", "."]);
    expect(line![0]!.start).toBe(1);
  });

  it("handles right-to-left text in logical order", () => {
    expect(tokenizeLines(T3)[0]!.map((t) => t.text)).toEqual(["زار", "محمد", "القاهرة", "أمس", "."]);
  });
});

describe("overlapping spans for BIO", () => {
  it("keeps the longest span and reports the ones inside or across it", () => {
    const r = (id: string, start: number, end: number, label = "X") => ({ id, kind: "span" as const, label, start, end });
    const { kept, dropped } = pickSpans([r("inner", 14, 18), r("outer", 0, 18), r("cross", 16, 25), r("apart", 30, 34)]);
    expect(kept.map((k) => k.id)).toEqual(["outer", "apart"]);
    expect(dropped).toEqual([
      { id: "cross", reason: "overlaps span outer" },
      { id: "inner", reason: "overlaps span outer" },
    ]);
  });

  it("tags a span cut mid-token on the token it overlaps, and adjacent spans as separate entities", () => {
    const tokens = [{ text: "AB", start: 0, end: 2 }, { text: "CD", start: 3, end: 5 }];
    expect(bioTags(tokens, [{ id: "a", start: 0, end: 2, label: "X" }, { id: "b", start: 3, end: 4, label: "X" }])).toEqual(["B-X", "B-X"]);
  });
});

describe("CoNLL export", () => {
  it("matches the golden files", async () => {
    expectGolden("conll", "text", await run("conll", textSource()));
  });

  it("reports the nested span it had to drop", async () => {
    const files = await run("conll", textSource());
    const report = JSON.parse(text(files, "export-report.json"));
    expect(report.messages.map((m: { message: string }) => m.message)).toEqual([
      "task 1, span s3: overlaps span s2; BIO cannot nest spans",
      "task 4, span a: overlaps span b; BIO cannot nest spans",
    ]);
  });
});

describe("spaCy JSONL export", () => {
  it("matches the golden files", async () => {
    expectGolden("spacy", "text", await run("spacy", textSource()));
  });

  it("keeps code-point offsets (Python str indices) and overlapping spans", async () => {
    const lines = text(await run("spacy", textSource()), "train.jsonl").trim().split("\n").map((l) => JSON.parse(l));
    const emoji = lines[1];
    const s = emoji.spans[0];
    expect(Array.from(emoji.text as string).slice(s.start, s.end).join("")).toBe("Oslo");
    // In UTF-16 (JS string indices) the same word starts later: the offsets are not UTF-16.
    expect((emoji.text as string).indexOf("Oslo")).toBeGreaterThan(s.start);
    expect(lines[0].spans.map((x: { label: string }) => x.label)).toEqual(["PER", "ORG", "LOC"]);
    expect(lines[0].cats).toEqual({ positive: 1, negative: 0, neutral: 0 });
  });
});

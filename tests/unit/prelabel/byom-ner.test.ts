// BYOM token classification: a hand-written WordPiece tokenizer.json (BERT uncased style), a fake
// Gather-based token classifier built with onnx-proto (logits = table[input_ids] * mask), run
// through onnxruntime-node; spans land on Unicode code points (an emoji and an accented letter
// come before the entities). Plus the tokenizer, windows and BIO merge on their own.
import { describe, expect, it } from "vitest";
import { descriptorSchema } from "@/lib/prelabel/byom/descriptor";
import { runByomNer } from "@/lib/prelabel/byom/pipeline";
import { BpeTokenizer, TokenizerError, tokenizerFromJson, WordPieceTokenizer } from "@/lib/prelabel/byom/tokenizer";
import { id2labelFromConfig, mergeEntities, parseTag, windows } from "@/lib/prelabel/byom/ner";
import type { RunFn } from "@/lib/prelabel/tensor";
import { gatherNerModel } from "./tiny-onnx";
import { BPE_TEXT, BPE_TOKENIZER_JSON, BPE_VOCAB, bpeTable, CONFIG_JSON, nerTable, TAGS, TEXT, TOKENIZER_JSON, VOCAB } from "./byom-fixtures";
import { nodeSessionFromBytes } from "./helpers";

const p = (logit: number) => Math.exp(logit) / (Math.exp(logit) + 4); // softmax of one logit against four zeros
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

const descriptor = (maxLength = 64) => descriptorSchema.parse({ task: "ner", text: { maxLength }, output: { names: ["logits"], format: "token-logits" }, labels: TAGS });

describe("BYOM NER through onnxruntime-node", () => {
  it("gives BIO-merged spans at code-point offsets, mapped to project labels", async () => {
    const run = await nodeSessionFromBytes(gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);
    const res = await runByomNer(run, descriptor(), { PER: "Person", LOC: "Place" }, tok, id2labelFromConfig(JSON.parse(CONFIG_JSON)), TEXT, { model: "ner@4" });
    expect(res.regions).toEqual([
      { id: "ner@4-0", kind: "span", label: "Person", start: 5, end: 15, text: "John Smith", attributes: { modelLabel: "PER" }, origin: "prediction", model: "ner@4", score: r4((p(4) + p(6)) / 2) },
      { id: "ner@4-1", kind: "span", label: "Place", start: 22, end: 28, text: "Zürich", attributes: { modelLabel: "LOC" }, origin: "prediction", model: "ner@4", score: r4(p(5)) },
      { id: "ner@4-2", kind: "span", label: "Person", start: 34, end: 37, text: "Ann", attributes: { modelLabel: "PER" }, origin: "prediction", model: "ner@4", score: r4(p(5)) },
      { id: "ner@4-3", kind: "span", label: "Place", start: 41, end: 49, text: "New York", attributes: { modelLabel: "LOC" }, origin: "prediction", model: "ner@4", score: r4(p(5)) },
    ]);
    // Code points, not UTF-16 units: the emoji is one position.
    const cps = Array.from(TEXT);
    for (const r of res.regions) expect(cps.slice(r.start, r.end).join("")).toBe(r.text);
    expect(TEXT.indexOf("John")).toBe(6); // what a UTF-16 offset would have said
  });

  it("long texts: windows of maxLength with overlap give the same spans as one window", async () => {
    const run = await nodeSessionFromBytes(gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);
    let calls = 0;
    const counting: RunFn = (f, o) => { calls++; expect(f.input_ids!.dims[1]).toBeLessThanOrEqual(8); return run(f, o); };
    const long = [TEXT, TEXT, TEXT].join(" ");
    const one = await runByomNer(run, descriptor(512), { PER: "Person", LOC: "Place" }, tok, null, long, { model: "m@1" });
    const many = await runByomNer(counting, descriptor(8), { PER: "Person", LOC: "Place" }, tok, null, long, { model: "m@1" });
    expect(calls).toBeGreaterThan(5);
    expect(many.regions).toEqual(one.regions);
    expect(one.regions).toHaveLength(12);
    expect(one.regions[4]).toMatchObject({ text: "John Smith", start: 51 + 5, end: 51 + 15 });
  });

  it("drops entity types mapped to null or absent; the map may use tags (B-LOC)", async () => {
    const run = await nodeSessionFromBytes(gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);
    const onlyPer = await runByomNer(run, descriptor(), { PER: "Person", LOC: null }, tok, null, TEXT, { model: "m@1" });
    expect(onlyPer.regions.map((r) => r.text)).toEqual(["John Smith", "Ann"]);
    expect(onlyPer.entities).toHaveLength(4);
    const byTag = await runByomNer(run, descriptor(), { "B-LOC": "Place" }, tok, null, TEXT, { model: "m@1" });
    expect(byTag.regions.map((r) => [r.label, r.text])).toEqual([["Place", "Zürich"], ["Place", "New York"]]);
  });

  it("feeds token_type_ids (zeros) when the descriptor says so, and stops between windows when aborted", async () => {
    const real = await nodeSessionFromBytes(gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);
    const seen: string[][] = [];
    const ac = new AbortController();
    const spy: RunFn = async (feeds, outs) => {
      seen.push(Object.keys(feeds).sort());
      expect(Array.from(feeds.token_type_ids!.data as BigInt64Array)).toEqual(Array.from(feeds.input_ids!.data as BigInt64Array, () => 0n));
      const { token_type_ids: _, ...rest } = feeds;
      ac.abort(new Error("stop"));
      return real(rest, outs);
    };
    const d = descriptorSchema.parse({ task: "ner", text: { maxLength: 8, tokenTypeIds: true }, output: { names: ["logits"], format: "token-logits" }, labels: TAGS });
    await expect(runByomNer(spy, d, {}, tok, null, TEXT, { model: "m@1", signal: ac.signal })).rejects.toThrow("stop");
    expect(seen).toEqual([["attention_mask", "input_ids", "token_type_ids"]]); // one window ran, then it stopped
  });

  it("a logits width that does not match id2label fails clearly", async () => {
    const run = await nodeSessionFromBytes(gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);
    await expect(runByomNer(run, descriptor(), {}, tok, ["O", "B-X", "I-X"], TEXT, { model: "m@1" })).rejects.toThrow(/expected \[1, \d+, 3\] \(3 labels\)/);
  });
});

describe("WordPiece tokenizer.json reader", () => {
  const tok = WordPieceTokenizer.fromJson(TOKENIZER_JSON);

  it("lowercases, strips accents, isolates punctuation, splits ##subwords, maps offsets to code points", () => {
    const enc = tok.encode(TEXT);
    expect(enc.tokens.map((t) => t.piece)).toEqual(["[UNK]", "hi", "john", "smith", ",", "from", "zur", "##ich", ",", "met", "ann", "in", "new", "york", "."]);
    expect(enc.tokens.slice(0, 3).map((t) => [t.start, t.end])).toEqual([[0, 1], [2, 4], [5, 9]]);
    expect(enc.tokens.filter((t) => t.word === 6).map((t) => [t.piece, t.start, t.end])).toEqual([["zur", 22, 25], ["##ich", 25, 28]]);
    expect(tok.specialsBefore).toEqual([2]);
    expect(tok.specialsAfter).toEqual([3]);
  });

  it("a word with an unknown piece becomes one [UNK]; control chars vanish; CJK chars are words", () => {
    const enc = tok.encode("johnx\u0007 hi\u4e2d");
    expect(enc.tokens.map((t) => [t.piece, t.start, t.end])).toEqual([["[UNK]", 0, 5], ["hi", 7, 9], ["[UNK]", 9, 10]]);
  });

  it("cased tokenizers keep case; descriptor lowercase forces it", () => {
    const cased = JSON.parse(TOKENIZER_JSON);
    cased.normalizer.lowercase = false;
    expect(WordPieceTokenizer.fromJson(JSON.stringify(cased)).encode("John").tokens[0]!.piece).toBe("[UNK]");
    expect(WordPieceTokenizer.fromJson(JSON.stringify(cased), { lowercase: true }).encode("John").tokens[0]!.piece).toBe("john");
  });

  it("refuses Unigram, non-byte-level BPE and unknown normalisers with a clear error", () => {
    expect(() => tokenizerFromJson(JSON.stringify({ model: { type: "Unigram", vocab: [] } }))).toThrow(TokenizerError);
    expect(() => tokenizerFromJson(JSON.stringify({ model: { type: "Unigram", vocab: [] } }))).toThrow(/Unigram .* is not supported: only WordPiece .* and byte-level BPE/);
    expect(() => tokenizerFromJson(JSON.stringify({ pre_tokenizer: { type: "Metaspace" }, model: { type: "BPE", vocab: {}, merges: [] } }))).toThrow(/ByteLevel pre-tokenizer .* "Metaspace"/);
    const weird = JSON.parse(TOKENIZER_JSON);
    weird.normalizer = { type: "Precompiled" };
    expect(() => WordPieceTokenizer.fromJson(JSON.stringify(weird))).toThrow(/normalizer "Precompiled" is not supported/);
    expect(() => WordPieceTokenizer.fromJson("{nope")).toThrow(/not JSON/);
  });

  it("BertProcessing post-processor gives the same specials", () => {
    const j = JSON.parse(TOKENIZER_JSON);
    j.post_processor = { type: "BertProcessing", sep: ["[SEP]", 3], cls: ["[CLS]", 2] };
    const t = new WordPieceTokenizer(j);
    expect([t.specialsBefore, t.specialsAfter]).toEqual([[2], [3]]);
  });
});

describe("windows and tag merging", () => {
  it("windows cover every token with the given overlap", () => {
    expect(windows(10, 4, 1)).toEqual([[0, 4], [3, 7], [6, 10]]);
    expect(windows(3, 4, 1)).toEqual([[0, 3]]);
    expect(windows(10, 4, 9)).toEqual([[0, 4], [2, 6], [4, 8], [6, 10]]); // overlap capped at half
  });

  it("parses BIO, IOB2, BIOES / BILOU and plain IO tags", () => {
    expect(parseTag("B-PER")).toEqual(["B", "PER"]);
    expect(parseTag("I_LOC")).toEqual(["I", "LOC"]);
    expect(parseTag("U-ORG")).toEqual(["S", "ORG"]);
    expect(parseTag("O")).toEqual(["O", ""]);
    expect(parseTag("PER")).toEqual(["I", "PER"]);
  });

  it("B starts, I continues the same type, I of another type starts anew, IO merges runs", () => {
    const text = "a b c d e f";
    const words = [0, 2, 4, 6, 8, 10].map((s) => ({ start: s, end: s + 1 }));
    const enc = { words, tokens: words.map((w, i) => ({ id: 0, piece: "x", start: w.start, end: w.end, word: i })) };
    const labels = ["O", "B-X", "I-X", "I-Y", "X", "S-Z"];
    const tags = [1, 2, 1, 3, 0, 2]; // B-X I-X B-X I-Y O I-X
    const spans = mergeEntities(text, enc, tags.map((label) => ({ label, score: 1 })), labels);
    expect(spans.map((s) => [s.label, s.text])).toEqual([["X", "a b"], ["X", "c"], ["Y", "d"], ["X", "f"]]);
    const io = mergeEntities(text, enc, [4, 4, 0, 4, 5, 5].map((label) => ({ label, score: 0.5 })), labels);
    expect(io.map((s) => [s.label, s.text])).toEqual([["X", "a b"], ["X", "d"], ["Z", "e"], ["Z", "f"]]);
  });
});

describe("byte-level BPE (RoBERTa style)", () => {
  it("merges by rank, maps every UTF-8 byte back to its code point, trims the leading space from offsets", () => {
    const tok = tokenizerFromJson(BPE_TOKENIZER_JSON);
    expect(tok).toBeInstanceOf(BpeTokenizer);
    const enc = tok.encode(BPE_TEXT);
    // The emoji is 4 bytes -> 4 byte tokens, all at code point 0.
    expect(enc.tokens.map((t) => t.piece)).toEqual(["ð", "Ł", "Ļ", "Ĥ", "ĠHi", "ĠJohn", "Ġ", "i", "n", "ĠZ", "Ã¼", "rich", "!"]);
    expect(enc.tokens.slice(0, 4).map((t) => [t.start, t.end])).toEqual([[0, 1], [0, 1], [0, 1], [0, 1]]);
    expect(enc.tokens.find((t) => t.piece === "ĠJohn")).toMatchObject({ start: 5, end: 9 });
    expect(enc.tokens.find((t) => t.piece === "Ã¼")).toMatchObject({ start: 14, end: 15 });
    expect(enc.words).toEqual([{ start: 0, end: 1 }, { start: 2, end: 4 }, { start: 5, end: 9 }, { start: 10, end: 12 }, { start: 13, end: 19 }, { start: 19, end: 20 }]);
    expect([tok.specialsBefore, tok.specialsAfter]).toEqual([[0], [2]]);
  });

  it("add_prefix_space gives the first word its Ġ form", () => {
    const j = JSON.parse(BPE_TOKENIZER_JSON);
    j.pre_tokenizer.add_prefix_space = true;
    const enc = new BpeTokenizer(j).encode("John");
    expect(enc.tokens.map((t) => [t.piece, t.start, t.end])).toEqual([["ĠJohn", 0, 4]]);
  });

  it("NER through onnxruntime-node with a BPE tokenizer: spans at code points past the emoji and ü", async () => {
    const run = await nodeSessionFromBytes(gatherNerModel(bpeTable(), BPE_VOCAB.length, TAGS.length));
    const res = await runByomNer(run, descriptor(), { PER: "Person", LOC: "Place" }, tokenizerFromJson(BPE_TOKENIZER_JSON), TAGS, BPE_TEXT, { model: "rb@1" });
    expect(res.regions.map((r) => [r.label, r.start, r.end, r.text])).toEqual([["Person", 5, 9, "John"], ["Place", 13, 19, "Zürich"]]);
  });
});

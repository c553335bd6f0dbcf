// Token classification (a Hugging Face / optimum export): text -> WordPiece tokens -> windows of
// maxLength with overlap -> logits [1, seq, L] -> softmax -> one label per word (its first
// subword's) -> BIO / IOB2 / BIOES / plain IO merge -> entity spans in code points. Pure apart from
// the injected RunFn.
import { i64, PrelabelModelError, type Feeds, type RunFn } from "../tensor";
import { softmax } from "./probs";
import type { Encoding, Tokenizer } from "./tokenizer";

export interface EntitySpan {
  /** Entity type without the B-/I- prefix ("PER"). */
  label: string;
  /** [start, end) in Unicode code points. */
  start: number;
  end: number;
  text: string;
  /** Mean over the span's words of the first subword's probability. */
  score: number;
}

export interface NerOptions {
  /** Tokens per window including the special tokens. */
  maxLength: number;
  /** Tokens shared by consecutive windows; default min(64, a quarter of a window). */
  overlap?: number;
  tokenTypeIds?: boolean;
  inputNames?: { ids?: string; mask?: string; types?: string };
  outputName?: string;
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

/** `config.json`'s id2label as an array (index = label id). */
export function id2labelFromConfig(config: unknown): string[] {
  const m = (config as { id2label?: Record<string, string> } | null)?.id2label;
  if (!m || typeof m !== "object") throw new PrelabelModelError("config.json has no id2label");
  const out: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || typeof v !== "string") throw new PrelabelModelError(`config.json id2label has a bad entry ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    out[i] = v;
  }
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) throw new PrelabelModelError(`config.json id2label has no label ${i}`);
  return out;
}

/** Windows [start, end) over `n` tokens, `size` tokens each, sharing `overlap`. */
export function windows(n: number, size: number, overlap: number): Array<[number, number]> {
  if (size < 1) throw new RangeError("window size must be at least 1");
  const ov = Math.max(0, Math.min(overlap, Math.floor(size / 2)));
  const out: Array<[number, number]> = [];
  for (let s = 0; ; s += size - ov) {
    const e = Math.min(n, s + size);
    out.push([s, e]);
    if (e >= n) break;
  }
  return out;
}

export interface TokenPrediction {
  label: number;
  score: number;
}

/** Run the model over the encoding's windows; one prediction per token (from the window where it is most central). */
export async function predictTokens(run: RunFn, tok: Tokenizer, enc: Encoding, labels: readonly string[], o: NerOptions): Promise<TokenPrediction[]> {
  const specials = tok.specialsBefore.length + tok.specialsAfter.length;
  const size = o.maxLength - specials;
  if (size < 1) throw new RangeError(`maxLength ${o.maxLength} leaves no room for text after ${specials} special tokens`);
  const n = enc.tokens.length;
  const preds: TokenPrediction[] = new Array(n);
  const centrality = new Float64Array(n).fill(-1);
  if (n === 0) return [];
  const wins = windows(n, size, o.overlap ?? Math.min(64, Math.floor(size / 4)));
  const names = { ids: o.inputNames?.ids ?? "input_ids", mask: o.inputNames?.mask ?? "attention_mask", types: o.inputNames?.types ?? "token_type_ids" };
  for (let w = 0; w < wins.length; w++) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error("aborted");
    const [s, e] = wins[w]!;
    const ids = [...tok.specialsBefore, ...enc.tokens.slice(s, e).map((t) => t.id), ...tok.specialsAfter];
    const seq = ids.length;
    const feeds: Feeds = { [names.ids]: i64(ids, [1, seq]), [names.mask]: i64(new Array(seq).fill(1), [1, seq]) };
    if (o.tokenTypeIds) feeds[names.types] = i64(new Array(seq).fill(0), [1, seq]);
    const out = await run(feeds, o.outputName ? [o.outputName] : undefined);
    const t = o.outputName ? out[o.outputName] : Object.values(out)[0];
    if (!t) throw new PrelabelModelError(`model output "${o.outputName}" missing (got ${Object.keys(out).join(", ") || "none"})`);
    if (t.type !== "float32") throw new PrelabelModelError(`token logits are ${t.type}, expected float32`);
    const L = labels.length;
    if (t.dims.length !== 3 || t.dims[1] !== seq || t.dims[2] !== L) throw new PrelabelModelError(`token logits have dims [${t.dims.join(", ")}], expected [1, ${seq}, ${L}] (${L} labels)`);
    const off = tok.specialsBefore.length;
    for (let i = s; i < e; i++) {
      const c = Math.min(i - s, e - 1 - i); // distance to the window's nearer edge
      if (c <= centrality[i]!) continue;
      centrality[i] = c;
      const row = (off + i - s) * L;
      const p = softmax(t.data, row, row + L);
      let best = 0;
      for (let k = 1; k < L; k++) if (p[k]! > p[best]!) best = k;
      preds[i] = { label: best, score: p[best]! };
    }
    o.onProgress?.((w + 1) / wins.length);
  }
  return preds;
}

/** "B-PER" -> ["B", "PER"]; "O" -> ["O", ""]; "PER" (plain IO) -> ["I", "PER"]; BILOU L/U read as E/S. */
export function parseTag(tag: string): [prefix: "B" | "I" | "E" | "S" | "O", type: string] {
  if (tag === "O" || tag === "") return ["O", ""];
  const m = /^([BIESLU])[-_](.+)$/.exec(tag);
  if (!m) return ["I", tag];
  const p = m[1] === "L" ? "E" : m[1] === "U" ? "S" : (m[1] as "B" | "I" | "E" | "S");
  return [p, m[2]!];
}

/** Word labels (first subword) -> merged entity spans. */
export function mergeEntities(text: string, enc: Encoding, preds: readonly TokenPrediction[], labels: readonly string[]): EntitySpan[] {
  const cps = Array.from(text);
  const firstToken = new Map<number, number>();
  enc.tokens.forEach((t, i) => { if (!firstToken.has(t.word)) firstToken.set(t.word, i); });
  const spans: EntitySpan[] = [];
  let cur: { label: string; start: number; end: number; scores: number[] } | null = null;
  const close = () => {
    if (cur) spans.push({ label: cur.label, start: cur.start, end: cur.end, text: cps.slice(cur.start, cur.end).join(""), score: cur.scores.reduce((a, b) => a + b, 0) / cur.scores.length });
    cur = null;
  };
  enc.words.forEach((w, wi) => {
    const ti = firstToken.get(wi);
    const p = ti === undefined ? undefined : preds[ti];
    if (!p) { close(); return; }
    const [prefix, type] = parseTag(labels[p.label] ?? "O");
    if (prefix === "O") { close(); return; }
    const c = cur as { label: string; start: number; end: number; scores: number[] } | null;
    if ((prefix === "I" || prefix === "E") && c && c.label === type) {
      c.end = w.end;
      c.scores.push(p.score);
    } else {
      close();
      cur = { label: type, start: w.start, end: w.end, scores: [p.score] };
    }
    if (prefix === "E" || prefix === "S") close();
  });
  close();
  return spans;
}

export async function recognizeEntities(run: RunFn, tok: Tokenizer, labels: readonly string[], text: string, o: NerOptions): Promise<EntitySpan[]> {
  const enc = tok.encode(text);
  const preds = await predictTokens(run, tok, enc, labels, o);
  return mergeEntities(text, enc, preds, labels);
}

// Text helpers: tokenising in code points, and choosing non-overlapping spans for BIO tags.
import type { Region } from "../annotation/regions";
import { regionLabel } from "./common";

const REGIONAL = /[\u{1f1e6}-\u{1f1ff}]/u;

export interface Token { text: string; start: number; end: number }

/**
 * Tokens in code-point offsets: runs of letters, marks and digits (so "don't" is "don", "'", "t"
 * and "3.5" is "3", ".", "5", as in CoNLL 2003), and every other non-space character on its own
 * (punctuation, symbols, each emoji code point). Lines are returned separately: a line break ends
 * a sentence block in CoNLL output.
 */
export function tokenizeLines(text: string): Token[][] {
  const cps = Array.from(text);
  const lines: Token[][] = [[]];
  // Zero-width (non-)joiners belong inside words: Persian writes "می‌خواهم" with a ZWNJ.
  const word = /[\p{L}\p{M}\p{N}\p{Pc}\u200c\u200d]/u;
  // Other invisible format characters (bidi marks, zero-width space, BOM) separate like spaces.
  const invisible = /[\p{Cf}]/u;
  // Variation selectors, skin tones and joiners stay with the emoji they shape.
  const modifier = /[\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}\u20e3]/u;
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if (c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029") {
      if (lines[lines.length - 1]!.length > 0) lines.push([]);
      i++;
      continue;
    }
    if (/\s/u.test(c) || (invisible.test(c) && !word.test(c))) { i++; continue; }
    const start = i;
    if (word.test(c)) while (i < cps.length && word.test(cps[i]!)) i++;
    else {
      i++;
      // A flag is two regional indicators.
      if (REGIONAL.test(c) && i < cps.length && REGIONAL.test(cps[i]!)) i++;
      for (;;) {
        const n = cps[i];
        if (n === undefined) break;
        if (n === "\u200d" && i + 1 < cps.length) i += 2; // a joiner glues the next code point on
        else if (modifier.test(n)) i++;
        else break;
      }
    }
    lines[lines.length - 1]!.push({ text: cps.slice(start, i).join(""), start, end: i });
  }
  if (lines[lines.length - 1]!.length === 0) lines.pop();
  return lines;
}

export interface SpanPick { kept: Array<{ start: number; end: number; label: string; id: string }>; dropped: Array<{ id: string; reason: string }> }

/**
 * BIO cannot nest or overlap. Policy: longest span first (ties: earlier start, then region id),
 * keep each span that does not overlap one already kept; the rest are reported as dropped. So an
 * outer entity ("University of Oslo") wins over the one inside it ("Oslo").
 */
export function pickSpans(regions: readonly Region[]): SpanPick {
  const spans = regions
    .filter((r): r is Extract<Region, { kind: "span" }> => r.kind === "span")
    .map((r) => ({ start: r.start, end: r.end, label: regionLabel(r) ?? "", id: r.id }));
  const order = [...spans].sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept: SpanPick["kept"] = [];
  const dropped: SpanPick["dropped"] = [];
  for (const s of order) {
    if (s.label === "") { dropped.push({ id: s.id, reason: "no label" }); continue; }
    const clash = kept.find((k) => s.start < k.end && k.start < s.end);
    if (clash) dropped.push({ id: s.id, reason: `overlaps span ${clash.id}` });
    else kept.push(s);
  }
  kept.sort((a, b) => a.start - b.start);
  return { kept, dropped };
}

/** A BIO tag per token: a token belongs to the kept span it overlaps (first one, if a boundary cuts it). */
export function bioTags(tokens: readonly Token[], kept: SpanPick["kept"]): string[] {
  // By object, not id: with annotations "all", two annotators' spans can share an id.
  let prev: SpanPick["kept"][number] | null = null;
  return tokens.map((t) => {
    const s = kept.find((k) => t.start < k.end && k.start < t.end);
    if (!s) { prev = null; return "O"; }
    const tag = `${s === prev ? "I" : "B"}-${s.label.replace(/\s+/g, "_")}`;
    prev = s;
    return tag;
  });
}

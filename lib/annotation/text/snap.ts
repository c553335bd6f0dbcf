// Word and grapheme boundaries for selections, in UTF-16 offsets (what the DOM gives). Uses
// Intl.Segmenter (dictionary-based words for CJK/Thai, extended grapheme clusters for emoji and
// combining marks) on a window around the offsets, so a 5 MB text is never segmented whole;
// without Intl.Segmenter a Unicode-property fallback does the same job less cleverly.

const WINDOW = 256;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_'\u2019\u200d]/u;
const SPACE = /\s/u;

type Seg = { index: number; segment: string; isWordLike?: boolean };
interface SegmenterLike {
  segment(s: string): Iterable<Seg>;
}

let wordSeg: SegmenterLike | null | undefined;
let graphemeSeg: SegmenterLike | null | undefined;

function segmenter(granularity: "word" | "grapheme"): SegmenterLike | null {
  const S = (Intl as unknown as { Segmenter?: new (l?: string, o?: { granularity: string }) => SegmenterLike }).Segmenter;
  if (!S || forceFallback) return null;
  if (granularity === "word") return (wordSeg ??= new S(undefined, { granularity: "word" }));
  return (graphemeSeg ??= new S(undefined, { granularity: "grapheme" }));
}

let forceFallback = false;
/** Tests: exercise the fallback even where Intl.Segmenter exists. */
export function setSegmenterFallback(on: boolean): void {
  forceFallback = on;
  wordSeg = undefined;
  graphemeSeg = undefined;
}

/** The code point starting at u16 offset i (surrogate pairs whole), or "" at the end. */
function cpAt(text: string, i: number): string {
  const c = text.codePointAt(i);
  return c === undefined ? "" : String.fromCodePoint(c);
}
/** The code point ending at u16 offset i. */
function cpBefore(text: string, i: number): string {
  if (i <= 0) return "";
  const lo = text.charCodeAt(i - 1);
  if (i >= 2 && lo >= 0xdc00 && lo <= 0xdfff) {
    const hi = text.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return text.slice(i - 2, i);
  }
  return text[i - 1]!;
}

const isWordChar = (ch: string) => ch !== "" && WORD_CHAR.test(ch);
export const isSpace = (ch: string) => ch !== "" && SPACE.test(ch);

/** Word segments ([start, end) in UTF-16) overlapping [from, to), found in a window. */
function wordsAround(text: string, from: number, to: number): Array<[number, number]> {
  const a = Math.max(0, from - WINDOW);
  const b = Math.min(text.length, to + WINDOW);
  const seg = segmenter("word");
  const out: Array<[number, number]> = [];
  if (seg) {
    for (const s of seg.segment(text.slice(a, b))) {
      if (!s.isWordLike) continue;
      const st = a + s.index;
      out.push([st, st + s.segment.length]);
    }
    return out;
  }
  let i = a;
  while (i < b) {
    const ch = cpAt(text, i);
    if (!isWordChar(ch)) {
      i += ch.length || 1;
      continue;
    }
    const st = i;
    while (i < b && isWordChar(cpAt(text, i))) i += cpAt(text, i).length;
    out.push([st, i]);
  }
  return out;
}

/**
 * A selection trimmed of surrounding whitespace and grown to whole words (a start or end inside
 * a word moves to that word's edge). Null if nothing but whitespace was selected.
 */
export function snapToWords(text: string, start: number, end: number): [number, number] | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && isSpace(cpAt(text, s))) s += cpAt(text, s).length;
  while (e > s && isSpace(cpBefore(text, e))) e -= cpBefore(text, e).length;
  if (s >= e) return null;
  for (const [ws, we] of wordsAround(text, s, e)) {
    if (ws < s && s < we) s = ws;
    if (ws < e && e < we) e = we;
  }
  return [s, e];
}

/** Trim whitespace only (word snapping off). Null if nothing else is left. */
export function trimRange(text: string, start: number, end: number): [number, number] | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && isSpace(cpAt(text, s))) s += cpAt(text, s).length;
  while (e > s && isSpace(cpBefore(text, e))) e -= cpBefore(text, e).length;
  return s < e ? [s, e] : null;
}

/** Grapheme cluster boundaries in a window around i (ascending, UTF-16). */
function graphemeBounds(text: string, i: number): number[] {
  const a = Math.max(0, i - 64);
  const b = Math.min(text.length, i + 64);
  const seg = segmenter("grapheme");
  const out: number[] = [];
  if (seg) {
    for (const s of seg.segment(text.slice(a, b))) out.push(a + s.index);
    out.push(b);
    return out;
  }
  // Fallback: a code point plus the combining marks, variation selectors and ZWJ sequences after it.
  let k = a;
  out.push(k);
  while (k < b) {
    k += cpAt(text, k).length || 1;
    for (;;) {
      const ch = cpAt(text, k);
      if (ch === "\u200d") {
        k += 1 + (cpAt(text, k + 1).length || 0);
        continue;
      }
      if (ch && /[\p{M}\u{fe00}-\u{fe0f}\u{1f3fb}-\u{1f3ff}]/u.test(ch)) {
        k += ch.length;
        continue;
      }
      break;
    }
    out.push(Math.min(k, text.length));
  }
  return out;
}

/** The next grapheme boundary after i (a caret step right that never splits a character). */
export function nextGrapheme(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const bs = graphemeBounds(text, i);
  return bs.find((x) => x > i) ?? Math.min(text.length, i + 1);
}
/** The grapheme boundary before i. */
export function prevGrapheme(text: string, i: number): number {
  if (i <= 0) return 0;
  const bs = graphemeBounds(text, i);
  let best = Math.max(0, i - 1);
  for (const x of bs) if (x < i) best = x;
  return best;
}

/** Ctrl+Right: the end of the next word after i. */
export function nextWordEnd(text: string, i: number): number {
  for (const [, we] of wordsAround(text, i, Math.min(text.length, i + WINDOW))) if (we > i) return we;
  return Math.min(text.length, i + WINDOW);
}
/** Ctrl+Left: the start of the word before i. */
export function prevWordStart(text: string, i: number): number {
  let best = -1;
  for (const [ws] of wordsAround(text, Math.max(0, i - WINDOW), i)) if (ws < i) best = ws;
  return best >= 0 ? best : Math.max(0, i - WINDOW);
}

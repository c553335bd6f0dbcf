// Code-point <-> UTF-16 offsets. Documents store span offsets in Unicode code points (Python's
// text[start:end]); the DOM and JS strings count UTF-16 units. The difference is one unit per
// astral character (emoji, rare CJK, ...), so the index keeps only their positions: both
// directions are a binary search, and a text without astral characters maps 1:1 at no cost.
// A lone surrogate is one code point in both JS iteration and Python, so only real pairs count.

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Index of astral characters in a text, for offset conversion both ways. */
export class TextIndex {
  /** UTF-16 position of each surrogate pair's first unit, ascending. */
  private readonly pairs: Int32Array;
  /** Code-point length of the text. */
  readonly length: number;

  constructor(readonly text: string) {
    const found: number[] = [];
    for (let i = 0; i < text.length - 1; i++) {
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        found.push(i);
        i++;
      }
    }
    this.pairs = Int32Array.from(found);
    this.length = text.length - found.length;
  }

  /** How many pairs start before UTF-16 position u. */
  private pairsBefore16(u: number): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** UTF-16 offset of code-point offset cp (clamped to the text). */
  toUtf16(cp: number): number {
    const c = Math.max(0, Math.min(this.length, Math.floor(cp)));
    if (this.pairs.length === 0) return c;
    // The k-th pair sits at code point pairs[k] - k; count pairs at code points < c.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pairs[mid]! - mid < c) lo = mid + 1;
      else hi = mid;
    }
    return c + lo;
  }

  /**
   * Code-point offset of UTF-16 offset u (clamped). An offset between the two halves of a pair
   * rounds down (to the pair's start) or up (past it): a selection never splits a character.
   */
  toCodePoint(u: number, round: "down" | "up" = "down"): number {
    const x = Math.max(0, Math.min(this.text.length, Math.floor(u)));
    if (this.pairs.length === 0) return x;
    const k = this.pairsBefore16(x);
    const inside = k > 0 && this.pairs[k - 1]! === x - 1;
    if (inside) return round === "down" ? x - 1 - (k - 1) : x - (k - 1);
    return x - k;
  }

  /** text[start:end] in code points, as Python slices it. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }

  /** Snap a UTF-16 offset out of the middle of a surrogate pair. */
  snap16(u: number, round: "down" | "up" = "down"): number {
    return this.toUtf16(this.toCodePoint(u, round));
  }
}

/** Code-point length of a string (what Python's len() says). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      n--;
      i++;
    }
  }
  return n;
}

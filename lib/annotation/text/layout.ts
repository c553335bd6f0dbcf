// Layout helpers for the text view: blocks (what the virtualised view renders as one unit), lanes
// for overlapping and nested spans, and the pieces a block's text splits into between span
// edges. All offsets here are UTF-16 (the view's unit); conversion happens at the edges.

export interface Range16 {
  start: number;
  end: number;
}
export interface LaidSpan extends Range16 {
  id: string;
}

/**
 * Split a text into blocks of whole lines, about `max` UTF-16 units each; a longer line is cut
 * at whitespace (or hard, never inside a surrogate pair). Blocks tile the text exactly.
 */
export function splitBlocks(text: string, max = 2000): Range16[] {
  const out: Range16[] = [];
  const n = text.length;
  let start = 0;
  while (start < n) {
    let end = Math.min(n, start + max);
    if (end < n) {
      // Prefer the last line break in the window, then the last whitespace, then a hard cut.
      let cut = -1;
      for (let i = end - 1; i > start + max / 4; i--) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          cut = i + 1;
          if (c === 13 && text.charCodeAt(i + 1) === 10) cut = i + 2;
          break;
        }
      }
      if (cut < 0) {
        for (let i = end - 1; i > start + max / 4; i--) {
          const c = text.charCodeAt(i);
          if (c === 32 || c === 9) {
            cut = i + 1;
            break;
          }
        }
      }
      if (cut < 0) {
        cut = end;
        const c = text.charCodeAt(cut);
        if (c >= 0xdc00 && c <= 0xdfff) cut--; // never between the halves of a pair
      }
      end = cut;
    }
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** Text as the view shows it: a lone CR becomes LF (same length, so offsets stay put). */
export function displayText(s: string): string {
  return s.replace(/\r(?!\n)/g, "\n");
}

/**
 * Lane per span so overlapping spans never share one: sorted by start (longer first, so an outer
 * span gets the lower lane than what it contains), each takes the lowest lane free at its start.
 */
export function assignLanes(spans: readonly LaidSpan[]): Map<string, number> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  const laneEnd: number[] = [];
  const out = new Map<string, number>();
  for (const s of sorted) {
    let lane = laneEnd.findIndex((e) => e <= s.start);
    if (lane < 0) lane = laneEnd.length;
    laneEnd[lane] = s.end;
    out.set(s.id, lane);
  }
  return out;
}

export interface Piece<S extends LaidSpan = LaidSpan> extends Range16 {
  /** Spans covering this piece, outermost (lowest lane) first. */
  covering: S[];
}

/** Cut [from, to) at every span edge (and at `extra` offsets, e.g. the caret) inside it. */
export function pieces<S extends LaidSpan>(from: number, to: number, spans: readonly S[], lanes: ReadonlyMap<string, number>, extra: readonly number[] = []): Piece<S>[] {
  const cuts = new Set<number>([from, to]);
  for (const s of spans) {
    if (s.start > from && s.start < to) cuts.add(s.start);
    if (s.end > from && s.end < to) cuts.add(s.end);
  }
  for (const x of extra) if (x > from && x < to) cuts.add(x);
  const xs = [...cuts].sort((a, b) => a - b);
  const out: Piece<S>[] = [];
  for (let i = 0; i < xs.length - 1; i++) {
    const a = xs[i]!;
    const b = xs[i + 1]!;
    const covering = spans.filter((s) => s.start <= a && s.end >= b).sort((p, q) => (lanes.get(p.id) ?? 0) - (lanes.get(q.id) ?? 0));
    out.push({ start: a, end: b, covering });
  }
  return out;
}

/** Spans overlapping each block, by block index (spans sorted by start). */
export function spansByBlock<S extends LaidSpan>(blocks: readonly Range16[], spans: readonly S[]): S[][] {
  const out: S[][] = blocks.map(() => []);
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (const s of sorted) {
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid]!.end <= s.start) lo = mid + 1;
      else hi = mid;
    }
    for (let b = lo; b < blocks.length && blocks[b]!.start < Math.max(s.end, s.start + 1); b++) out[b]!.push(s);
  }
  return out;
}

/** Index of the block containing UTF-16 offset u (the last block for u at the end). */
export function blockAt(blocks: readonly Range16[], u: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.end <= u) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo);
}

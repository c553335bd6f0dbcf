// The text bench's document: ~100,000 characters of news-like paragraphs with some emoji, CJK
// and RTL words (so offsets really differ between code points and UTF-16), and 2,000 spans:
// mostly single entities, every tenth nested inside a longer span, some overlapping pairs.
// Deterministic (a seeded generator), so runs compare.

const WORDS = [
  "the", "minister", "said", "on", "Tuesday", "that", "talks", "with", "officials", "in", "Berlin", "would", "resume",
  "after", "a", "long", "pause", "while", "analysts", "at", "Goldman", "Sachs", "expect", "growth", "to", "slow",
  "café", "naïve", "東京", "שלום", "😀", "Zürich", "résumé", "data", "labelling", "is", "hard", "work", "for", "everyone",
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface BenchSpan {
  id: string;
  kind: "span";
  label: string;
  start: number;
  end: number;
  text: string;
}

export function benchText(chars = 100_000, seed = 7): string {
  const r = rng(seed);
  const parts: string[] = [];
  let len = 0;
  let sentence = 0;
  while (len < chars) {
    const n = 8 + Math.floor(r() * 14);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    let s = words.join(" ") + ". ";
    if (++sentence % 6 === 0) s += sentence % 12 === 0 ? "\r\n\r\n" : "\n\n";
    parts.push(s);
    len += s.length;
  }
  return parts.join("").slice(0, chars);
}

/** `count` spans over whole words of `text`, offsets in code points. */
export function benchSpans(text: string, count = 2000, seed = 11): BenchSpan[] {
  const cps = [...text];
  // Word starts/ends in code points.
  const words: Array<[number, number]> = [];
  let i = 0;
  while (i < cps.length) {
    while (i < cps.length && /[\s.]/u.test(cps[i]!)) i++;
    const s = i;
    while (i < cps.length && !/[\s.]/u.test(cps[i]!)) i++;
    if (i > s) words.push([s, i]);
  }
  const r = rng(seed);
  const labels = ["PER", "ORG", "LOC", "MISC"];
  const out: BenchSpan[] = [];
  const step = Math.max(1, Math.floor(words.length / count));
  for (let w = 0; w < words.length && out.length < count; w += step) {
    const [s, e] = words[w]!;
    const k = out.length;
    const label = labels[Math.floor(r() * labels.length)]!;
    if (k % 10 === 9 && w + 2 < words.length) {
      // A longer span around this word and the next two, plus the word itself: nesting.
      const e2 = words[w + 2]![1];
      out.push({ id: `b${k}`, kind: "span", label: "ORG", start: s, end: e2, text: cps.slice(s, e2).join("") });
      if (out.length < count) out.push({ id: `b${k}n`, kind: "span", label, start: s, end: e, text: cps.slice(s, e).join("") });
    } else if (k % 25 === 13 && w + 1 < words.length) {
      // Overlapping pair: this word+next, and next alone shifted.
      const e2 = words[w + 1]![1];
      out.push({ id: `b${k}`, kind: "span", label, start: s, end: e2, text: cps.slice(s, e2).join("") });
    } else out.push({ id: `b${k}`, kind: "span", label, start: s, end: e, text: cps.slice(s, e).join("") });
  }
  return out.slice(0, count);
}

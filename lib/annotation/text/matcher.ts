// Finding text to label: every occurrence of a string ("label all occurrences") and the
// dictionary / regex pre-labeller for projects without a model. Matches are UTF-16 ranges over
// the original text; callers convert to code points. Pure and synchronous.

export interface Match {
  start: number;
  end: number;
  label: string;
  score: number;
}

const WORD = "[\\p{L}\\p{N}\\p{M}_]";
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const isWordEdge = (ch: string) => /^[\p{L}\p{N}\p{M}_]/u.test(ch);

/**
 * Every occurrence of `needle` (non-overlapping, left to right). With `wholeWord`, an occurrence
 * must not continue a word on either side (when the needle itself starts/ends with a word char).
 */
export function findOccurrences(text: string, needle: string, opts: { wholeWord?: boolean; caseSensitive?: boolean } = {}): Array<[number, number]> {
  if (!needle) return [];
  const { wholeWord = true, caseSensitive = true } = opts;
  const before = wholeWord && isWordEdge(needle) ? `(?<!${WORD})` : "";
  const after = wholeWord && isWordEdge([...needle].pop() ?? "") ? `(?!${WORD})` : "";
  const re = new RegExp(`${before}${escapeRe(needle)}${after}`, caseSensitive ? "gu" : "giu");
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(re)) out.push([m.index, m.index + m[0].length]);
  return out;
}

export interface DictionaryEntry {
  /** A literal term, or a regular expression's source when `regex` is true. */
  pattern: string;
  label: string;
  regex?: boolean;
  caseSensitive?: boolean;
}

export type DictionaryIssue = { line: number; message: string };

const MAX_PATTERN = 500;

/**
 * Parse the manager's list: one entry per line, `term<TAB>label`, or `/regex/flags<TAB>label`
 * (flags: i). A line starting with # is a comment. Terms match case-insensitively unless the
 * line ends with a third column `case`. Returns entries or the first problem (1-based line).
 */
export function parseDictionary(src: string, labels?: ReadonlySet<string>): { ok: true; entries: DictionaryEntry[] } | { ok: false; issue: DictionaryIssue } {
  const entries: DictionaryEntry[] = [];
  const lines = src.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const cols = line.split("\t");
    if (cols.length < 2) return { ok: false, issue: { line: i + 1, message: "expected term<TAB>label" } };
    const pat = cols[0]!;
    const label = cols[1]!.trim();
    const flag = (cols[2] ?? "").trim().toLowerCase();
    const entry: DictionaryEntry = { pattern: pat, label };
    const m = /^\/(.+)\/([a-z]*)$/.exec(pat);
    if (m) {
      entry.pattern = m[1]!;
      entry.regex = true;
      entry.caseSensitive = !m[2]!.includes("i");
    } else {
      entry.pattern = pat.trim();
      if (flag === "case") entry.caseSensitive = true;
    }
    const issue = checkEntry(entry, labels);
    if (issue) return { ok: false, issue: { line: i + 1, message: issue } };
    entries.push(entry);
  }
  return { ok: true, entries };
}

/** Why an entry cannot be used, or null. */
export function checkEntry(e: DictionaryEntry, labels?: ReadonlySet<string>): string | null {
  if (!e.pattern) return "empty term";
  if (e.pattern.length > MAX_PATTERN) return `pattern longer than ${MAX_PATTERN} characters`;
  if (!e.label) return "missing label";
  if (labels && !labels.has(e.label)) return `unknown label "${e.label}"`;
  if (e.regex) {
    let re: RegExp;
    try {
      re = new RegExp(e.pattern, "u");
    } catch (err) {
      return `invalid regular expression: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (re.test("")) return "the regular expression matches empty text";
  }
  return null;
}

/** Back to the editable text form (what the settings page shows). */
export function formatDictionary(entries: readonly DictionaryEntry[]): string {
  return entries
    .map((e) => (e.regex ? `/${e.pattern}/${e.caseSensitive ? "" : "i"}\t${e.label}` : `${e.pattern}\t${e.label}${e.caseSensitive ? "\tcase" : ""}`))
    .join("\n");
}

/** Scores say how much to trust a match: exact-case term > any-case term > regex. */
export const DICTIONARY_SCORES = { term: 0.9, termAnyCase: 0.8, regex: 0.6 } as const;

/**
 * Run a dictionary over a text. Terms match whole words; all matches compete, and where two
 * overlap the longer wins (then the earlier, then the first entry), so "New York Times" beats
 * "New York". `skip` drops matches identical to existing spans.
 */
export function matchDictionary(text: string, entries: readonly DictionaryEntry[], skip?: (m: Match) => boolean): Match[] {
  const found: Array<Match & { order: number }> = [];
  entries.forEach((e, order) => {
    if (e.regex) {
      const re = new RegExp(e.pattern, e.caseSensitive ? "gu" : "giu");
      for (const m of text.matchAll(re)) {
        if (m[0].length === 0) continue;
        found.push({ start: m.index, end: m.index + m[0].length, label: e.label, score: DICTIONARY_SCORES.regex, order });
      }
    } else {
      const cs = !!e.caseSensitive;
      for (const [s, t] of findOccurrences(text, e.pattern, { wholeWord: true, caseSensitive: cs })) {
        const exact = text.slice(s, t) === e.pattern;
        found.push({ start: s, end: t, label: e.label, score: exact ? DICTIONARY_SCORES.term : DICTIONARY_SCORES.termAnyCase, order });
      }
    }
  });
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order);
  const taken: Array<[number, number]> = [];
  const out: Match[] = [];
  for (const m of found) {
    if (taken.some(([s, e]) => m.start < e && s < m.end)) continue;
    const match = { start: m.start, end: m.end, label: m.label, score: m.score };
    taken.push([m.start, m.end]);
    if (skip?.(match)) continue;
    out.push(match);
  }
  return out.sort((a, b) => a.start - b.start);
}

import { describe, it, expect } from "vitest";
import { DICTIONARY_SCORES, findOccurrences, formatDictionary, matchDictionary, parseDictionary } from "@/lib/annotation/text/matcher";

describe("findOccurrences", () => {
  it("finds whole words only, case-sensitive by default", () => {
    const t = "Paris, paris and Parisian: Paris!";
    expect(findOccurrences(t, "Paris").map(([a, b]) => t.slice(a, b) + "@" + a)).toEqual(["Paris@0", "Paris@27"]);
    expect(findOccurrences(t, "Paris", { caseSensitive: false })).toHaveLength(3);
    expect(findOccurrences(t, "Paris", { wholeWord: false })).toHaveLength(3);
    expect(findOccurrences(t, "")).toEqual([]);
  });

  it("escapes regex characters and works with emoji and RTL", () => {
    const t = "C++ (v1.0) 😀 x😀y שלום, שלום";
    expect(findOccurrences(t, "C++")).toHaveLength(1);
    expect(findOccurrences(t, "(v1.0)")).toHaveLength(1);
    expect(findOccurrences(t, "😀")).toHaveLength(2);
    expect(findOccurrences(t, "שלום")).toHaveLength(2);
  });
});

describe("dictionary", () => {
  const labels = new Set(["LOC", "ORG", "PER"]);

  it("parses term<TAB>label lines, regexes, comments and the case flag", () => {
    const r = parseDictionary("# places\nParis\tLOC\n\nNew York\tLOC\n/Dr\\. [A-Z]\\w+/\tPER\nIBM\tORG\tcase\r\n", labels);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries).toEqual([
      { pattern: "Paris", label: "LOC" },
      { pattern: "New York", label: "LOC" },
      { pattern: "Dr\\. [A-Z]\\w+", label: "PER", regex: true, caseSensitive: true },
      { pattern: "IBM", label: "ORG", caseSensitive: true },
    ]);
    expect(parseDictionary(formatDictionary(r.entries), labels)).toEqual(r);
  });

  it("reports the line of a bad entry", () => {
    expect(parseDictionary("Paris\tLOC\nBerlin", labels)).toEqual({ ok: false, issue: { line: 2, message: "expected term<TAB>label" } });
    expect(parseDictionary("Paris\tCITY", labels)).toMatchObject({ ok: false, issue: { line: 1, message: 'unknown label "CITY"' } });
    expect(parseDictionary("/([a-z/\tLOC", labels)).toMatchObject({ ok: false, issue: { line: 1 } });
    expect(parseDictionary("/a*/\tLOC", labels)).toMatchObject({ ok: false, issue: { message: "the regular expression matches empty text" } });
  });

  it("prefers the longest match, skips existing spans, and scores by kind of match", () => {
    const entries = [
      { pattern: "New York", label: "LOC" },
      { pattern: "New York Times", label: "ORG" },
      { pattern: "york", label: "LOC" },
      { pattern: "\\d{4}", label: "PER", regex: true },
    ];
    const t = "The New York Times wrote about new york in 2024.";
    const m = matchDictionary(t, entries);
    expect(m.map((x) => `${t.slice(x.start, x.end)}:${x.label}:${x.score}`)).toEqual([
      `New York Times:ORG:${DICTIONARY_SCORES.term}`,
      `new york:LOC:${DICTIONARY_SCORES.termAnyCase}`,
      `2024:PER:${DICTIONARY_SCORES.regex}`,
    ]);
    const skipped = matchDictionary(t, entries, (x) => x.label === "ORG");
    expect(skipped.map((x) => t.slice(x.start, x.end))).toEqual(["new york", "2024"]);
  });
});

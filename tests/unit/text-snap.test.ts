import { afterEach, describe, it, expect } from "vitest";
import { nextGrapheme, nextWordEnd, prevGrapheme, prevWordStart, setSegmenterFallback, snapToWords, trimRange } from "@/lib/annotation/text/snap";

const sel = (text: string, part: string, from = 0) => {
  const i = text.indexOf(part, from);
  return [i, i + part.length] as const;
};
const snapped = (text: string, a: number, b: number) => {
  const r = snapToWords(text, a, b);
  return r ? text.slice(r[0], r[1]) : null;
};

for (const fallback of [false, true]) {
  describe(`word snapping (${fallback ? "fallback" : "Intl.Segmenter"})`, () => {
    afterEach(() => setSegmenterFallback(false));
    const on = () => setSegmenterFallback(fallback);

    it("grows a selection inside words to the whole words and trims spaces", () => {
      on();
      const t = "Angela Merkel met Emmanuel Macron in Paris.";
      expect(snapped(t, 2, 9)).toBe("Angela Merkel");
      expect(snapped(t, ...sel(t, " Paris"))).toBe("Paris");
      expect(snapped(t, ...sel(t, "aris."))).toBe("Paris."); // the full stop was selected: kept
      expect(snapToWords(t, 6, 7)).toBeNull(); // only a space
    });

    it("keeps combining marks and emoji with their word", () => {
      on();
      const t = "the cafe\u0301 opened";
      expect(snapped(t, 5, 7)).toBe("cafe\u0301");
      const e = "hi 👨‍👩‍👧 there";
      expect(snapped(e, 3, 5)).toContain("👨");
    });

    it("snaps RTL words", () => {
      on();
      const t = "שלום עולם גדול";
      expect(snapped(t, 6, 7)).toBe("עולם");
      const a = "مرحبا بالعالم";
      expect(snapped(a, 8, 9)).toBe("بالعالم");
    });
  });
}

describe("grapheme steps", () => {
  it("never split emoji sequences or combining marks", () => {
    const t = "a👨‍👩‍👧e\u0301b";
    const after = nextGrapheme(t, 1);
    expect(t.slice(1, after)).toBe("👨‍👩‍👧");
    expect(prevGrapheme(t, after)).toBe(1);
    const e = nextGrapheme(t, after);
    expect(t.slice(after, e)).toBe("e\u0301");
  });

  it("fallback also keeps combining marks and ZWJ sequences", () => {
    setSegmenterFallback(true);
    try {
      const t = "xe\u0301👍🏽y";
      expect(t.slice(1, nextGrapheme(t, 1))).toBe("e\u0301");
      const i = nextGrapheme(t, 1);
      expect(t.slice(i, nextGrapheme(t, i))).toBe("👍🏽");
    } finally {
      setSegmenterFallback(false);
    }
  });

  it("steps by words and trims", () => {
    const t = "one two  three";
    expect(nextWordEnd(t, 0)).toBe(3);
    expect(nextWordEnd(t, 3)).toBe(7);
    expect(prevWordStart(t, 14)).toBe(9);
    expect(trimRange(t, 3, 9)).toEqual([4, 7]);
    expect(trimRange(t, 7, 9)).toBeNull();
  });
});

describe("CJK", () => {
  it("snaps a selection inside a CJK run to a word (or the run without a segmenter)", () => {
    const t = "東京都は日本の首都です。";
    const r = snapToWords(t, 5, 6);
    expect(r).not.toBeNull();
    expect(r![0]).toBeLessThanOrEqual(5);
    expect(r![1]).toBeGreaterThanOrEqual(6);
    expect(t.slice(r![0], r![1])).toContain("本");
  });
});

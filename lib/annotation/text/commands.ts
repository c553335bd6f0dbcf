// Text-editor commands over the framework-free Editor: create a span from a selection (snapped
// to words or trimmed), label every occurrence of a span's text, pre-label from a dictionary,
// accept predictions. Offsets in: UTF-16 (what the view has); stored: code points.
import type { Editor } from "../editor";
import type { Region } from "../regions";
import type { TextIndex } from "./offsets";
import { snapToWords, trimRange } from "./snap";
import { findOccurrences, matchDictionary, type DictionaryEntry } from "./matcher";

type Span = Extract<Region, { kind: "span" }>;
export const isSpan = (r: Region): r is Span => r.kind === "span";

/** The span a UTF-16 selection becomes: snapped to words or just trimmed; null if only blanks. */
export function spanRange(index: TextIndex, s16: number, e16: number, snap: boolean): { start: number; end: number } | null {
  const a = index.snap16(Math.min(s16, e16), "down");
  const b = index.snap16(Math.max(s16, e16), "up");
  const r = snap ? snapToWords(index.text, a, b) : trimRange(index.text, a, b);
  if (!r) return null;
  const start = index.toCodePoint(r[0], "down");
  const end = index.toCodePoint(r[1], "up");
  return end > start ? { start, end } : null;
}

/** Existing span with exactly this range and label. */
function sameSpan(editor: Editor, start: number, end: number, label: string): Span | undefined {
  return editor.getRegions().find((r): r is Span => isSpan(r) && r.start === start && r.end === end && r.label === label);
}

/**
 * Label a selection: a new span, or the existing one when that exact span is already there.
 * Returns the span, or null when the selection holds no text. Throws EditorError on schema refusal.
 */
export function labelSelection(editor: Editor, index: TextIndex, s16: number, e16: number, label: string, snap: boolean): { region: Span; created: boolean } | null {
  const r = spanRange(index, s16, e16, snap);
  if (!r) return null;
  const existing = sameSpan(editor, r.start, r.end, label);
  if (existing) return { region: existing, created: false };
  const region = editor.createRegion({ kind: "span", start: r.start, end: r.end, text: index.slice(r.start, r.end), label }) as Span;
  return { region, created: true };
}

/**
 * Give every other occurrence of a span's text (whole words, same case) the span's label, as
 * one undo step. Occurrences already carrying that label are skipped. Returns how many were made.
 */
export function labelAllOccurrences(editor: Editor, index: TextIndex, id: string): number {
  const src = editor.getRegion(id);
  if (!src || !isSpan(src) || !src.label) return 0;
  const needle = index.slice(src.start, src.end);
  const label = src.label;
  const have = new Set(editor.getRegions().filter((r) => isSpan(r) && r.label === label).map((r) => `${(r as Span).start}:${(r as Span).end}`));
  const inputs = [];
  for (const [a, b] of findOccurrences(index.text, needle, { wholeWord: true, caseSensitive: true })) {
    const start = index.toCodePoint(a);
    const end = index.toCodePoint(b);
    if (have.has(`${start}:${end}`)) continue;
    inputs.push({ kind: "span" as const, start, end, text: index.slice(start, end), label, ...(src.attributes ? { attributes: src.attributes } : {}) });
  }
  if (inputs.length) editor.createRegions(inputs, "label all occurrences");
  return inputs.length;
}

export const DICTIONARY_MODEL = "dictionary";

/**
 * Run the project's dictionary over the text and add its matches as predictions (origin
 * "prediction", model "dictionary", a score), one undo step. Matches identical to an existing
 * span with the same label, or whose label this project refuses, are left out.
 */
export function prelabel(editor: Editor, index: TextIndex, entries: readonly DictionaryEntry[]): number {
  const have = new Set(editor.getRegions().filter(isSpan).map((r) => `${r.start}:${r.end}:${r.label ?? ""}`));
  const matches = matchDictionary(index.text, entries, (m) => have.has(`${index.toCodePoint(m.start)}:${index.toCodePoint(m.end)}:${m.label}`));
  const inputs = matches
    .filter((m) => editor.canCreate("span", m.label))
    .map((m) => {
      const start = index.toCodePoint(m.start);
      const end = index.toCodePoint(m.end);
      return { kind: "span" as const, start, end, text: index.slice(start, end), label: m.label, origin: "prediction" as const, model: DICTIONARY_MODEL, score: m.score };
    });
  if (inputs.length) editor.createRegions(inputs, "pre-label");
  return inputs.length;
}

/** Accept predictions: they become the annotator's own (origin manual, no model or score). */
export function acceptPredictions(editor: Editor, ids: Iterable<string>): string[] {
  return editor.updateRegions(
    ids,
    (r) => {
      if (r.origin !== "prediction") return null;
      const next: Region = { ...r, origin: "manual" };
      delete next.model;
      delete next.score;
      return next;
    },
    "accept",
  );
}

export function predictionIds(editor: Editor): string[] {
  return editor.getRegions().filter((r) => r.origin === "prediction").map((r) => r.id);
}

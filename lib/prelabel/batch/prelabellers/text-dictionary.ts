// Text -> spans from the project's dictionary / regex list (lib/annotation/text/matcher.ts). No
// model file: runs on the page; the dictionary is fetched once per batch.
import { matchDictionary, type DictionaryEntry } from "../../../annotation/text/matcher";
import { TextIndex } from "../../../annotation/text/offsets";
import type { Region } from "../../../annotation/regions";
import type { Prelabeller } from "../types";

export const DICTIONARY_MODEL = "dictionary";

/** Dictionary matches over a text as span predictions (code-point offsets), labels the project allows. */
export function dictionarySpans(text: string, entries: readonly DictionaryEntry[], allowed: (label: string) => boolean): Region[] {
  const index = new TextIndex(text);
  return matchDictionary(text, entries)
    .filter((m) => allowed(m.label))
    .map((m, i) => {
      const start = index.toCodePoint(m.start);
      const end = index.toCodePoint(m.end);
      return { id: `${DICTIONARY_MODEL}-${i}`, kind: "span" as const, start, end, text: index.slice(start, end), label: m.label, origin: "prediction" as const, model: DICTIONARY_MODEL, score: m.score };
    });
}

export const textDictionary: Prelabeller<DictionaryEntry[]> = {
  id: "dictionary",
  label: "Project dictionary (terms and patterns)",
  description: "Marks every term and pattern of the project's dictionary (Settings → Dictionary) with its label.",
  dataType: "text",
  model: DICTIONARY_MODEL,
  modelVersion: "1",
  input: "text",
  labelKind: null,
  async prepare(env, o) {
    const d = await env.getJson<{ entries: DictionaryEntry[] }>(`/api/v1/projects/${env.project.id}/dictionary`, o.signal);
    if (!d.entries.length) throw new Error("This project has no dictionary yet. A manager can add terms in the project settings (Dictionary).");
    return d.entries;
  },
  async run(input, entries, env) {
    if (input.text === null) throw new Error("the task has no text");
    const labels = new Map(env.project.labels.map((l) => [l.name, l]));
    return dictionarySpans(input.text, entries, (name) => {
      const l = labels.get(name);
      return !!l && (!l.kinds || l.kinds.includes("span"));
    });
  },
};

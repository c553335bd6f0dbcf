// The batch pre-labellers, one module each. To add one (a bring-your-own detection or NER model),
// write a module implementing Prelabeller and list it here (or pass extra ones to prelabellersFor).
import type { BatchDataType, Prelabeller } from "./types";
import { audioVad } from "./prelabellers/audio-vad";
import { imageOcr } from "./prelabellers/image-ocr";
import { textDictionary } from "./prelabellers/text-dictionary";

export const BUILTIN_PRELABELLERS: readonly Prelabeller<any>[] = [audioVad, imageOcr, textDictionary]; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The pre-labellers that fit a project's data type, built-ins first, then `extra`. */
export function prelabellersFor(dataType: string, extra: readonly Prelabeller<any>[] = []): Prelabeller<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const all = [...BUILTIN_PRELABELLERS, ...extra];
  const ids = new Set<string>();
  for (const p of all) {
    if (ids.has(p.id)) throw new Error(`two pre-labellers share the id "${p.id}"`);
    ids.add(p.id);
  }
  return all.filter((p) => p.dataType === (dataType as BatchDataType));
}

export function findPrelabeller(id: string, extra: readonly Prelabeller<any>[] = []): Prelabeller<any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  return [...BUILTIN_PRELABELLERS, ...extra].find((p) => p.id === id);
}

/** Labels a pre-labeller's output may go under (its kind allowed); empty when it names labels itself. */
export function labelsFor(p: Prelabeller<unknown>, labels: ReadonlyArray<{ name: string; kinds?: readonly string[] }>): string[] {
  if (!p.labelKind) return [];
  return labels.filter((l) => !l.kinds || l.kinds.includes(p.labelKind!)).map((l) => l.name);
}

/** A sensible default label: one whose name fits the output (speech / text), else the first allowed. */
export function defaultLabel(p: Prelabeller<unknown>, labels: ReadonlyArray<{ name: string; kinds?: readonly string[] }>): string | null {
  const ok = labelsFor(p, labels);
  const hint = p.dataType === "audio" ? /speech|voice|utterance|speaker/i : /text|line|word/i;
  return ok.find((l) => hint.test(l)) ?? ok[0] ?? null;
}

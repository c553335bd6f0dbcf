// A text project's pre-labelling dictionary: the manager's list of terms and regular expressions
// with the label each produces. The editor runs it in the browser (lib/annotation/text/matcher.ts)
// to make predictions for projects without a model.
import { z } from "zod";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { projectDictionaries } from "../db/schema";
import { checkEntry, parseDictionary, type DictionaryEntry } from "../annotation/text/matcher";
import { parseOr422 } from "../validation";
import { invalid } from "./errors";
import { accessProject } from "./access";
import { getLabelConfig } from "./projects";
import { audit } from "./audit";
import type { Actor } from "../auth/actor";

const MAX_ENTRIES = 20_000;

const entry = z.object({
  pattern: z.string().min(1).max(500),
  label: z.string().min(1).max(100),
  regex: z.boolean().optional(),
  caseSensitive: z.boolean().optional(),
});
/** Either the parsed entries, or the text form (`term<TAB>label` / `/regex/i<TAB>label` lines). */
const putInput = z.union([
  z.object({ entries: z.array(entry).max(MAX_ENTRIES) }).strict(),
  z.object({ text: z.string().max(5_000_000) }).strict(),
]);

export interface DictionaryOut {
  projectId: number;
  entries: DictionaryEntry[];
  updatedAt: number | null;
}

export function getDictionary(actor: Actor, projectId: number): DictionaryOut {
  accessProject(actor, projectId, "project.read");
  return readDictionary(projectId);
}

export function readDictionary(projectId: number): DictionaryOut {
  const row = getDb().select().from(projectDictionaries).where(eq(projectDictionaries.projectId, projectId)).get();
  return { projectId, entries: (row?.entries as DictionaryEntry[] | undefined) ?? [], updatedAt: row?.updatedAt ?? null };
}

export function putDictionary(actor: Actor, projectId: number, body: unknown): DictionaryOut {
  const { project } = accessProject(actor, projectId, "project.update");
  if (project.dataType !== "text") throw invalid("Dictionaries are for text projects.", "projectId");
  const v = parseOr422(putInput, body);
  const labels = new Set(getLabelConfig(projectId).schema.labels.map((l) => l.name));
  let entries: DictionaryEntry[];
  if ("text" in v) {
    const r = parseDictionary(v.text, labels);
    if (!r.ok) throw invalid(`text: line ${r.issue.line}: ${r.issue.message}`, `text.${r.issue.line}`);
    if (r.entries.length > MAX_ENTRIES) throw invalid(`text: more than ${MAX_ENTRIES} entries`, "text");
    entries = r.entries;
  } else {
    entries = v.entries;
    for (let i = 0; i < entries.length; i++) {
      const issue = checkEntry(entries[i]!, labels);
      if (issue) throw invalid(`entries.${i}: ${issue}`, `entries.${i}`);
    }
  }
  const t = Date.now();
  getDb()
    .insert(projectDictionaries)
    .values({ projectId, entries, updatedBy: actor.user.id, updatedAt: t })
    .onConflictDoUpdate({ target: projectDictionaries.projectId, set: { entries, updatedBy: actor.user.id, updatedAt: t } })
    .run();
  audit({ userId: actor.user.id, projectId, action: "dictionary.update", details: { entries: entries.length } });
  return { projectId, entries, updatedAt: t };
}

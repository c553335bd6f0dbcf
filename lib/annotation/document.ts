// The native annotation document (API-CONTRACT.md) and its validation against a label schema.
import { z } from "zod";
import { regionSchemas, type Region } from "./regions";

export const DOCUMENT_VERSION = 1;

const relation = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  label: z.string().max(100).optional(),
});

const rawDocument = z.object({
  version: z.number().int().optional(),
  regions: z.array(z.object({ kind: z.string() }).passthrough()).max(200_000).default([]),
  classifications: z.record(z.string(), z.array(z.string())).default({}),
  relations: z.array(relation).max(200_000).default([]),
});

export interface AnnotationDocument {
  version: number;
  regions: Region[];
  classifications: Record<string, string[]>;
  relations: Array<z.output<typeof relation>>;
}

export interface SchemaView {
  labels: Array<{ name: string; kinds?: string[] }>;
  classifications: Array<{ name: string; choices: string[]; multiple?: boolean }>;
  /** Free-text fields: classifications[name] holds at most one string of up to maxLength characters. */
  textFields?: Array<{ name: string; maxLength?: number }>;
  allowedKinds: readonly string[];
}

const MAX_TEXT_FIELD = 10_000;

export type Issue = { path: string; message: string };

function zodIssue(e: z.ZodError, prefix: string): Issue {
  const i = e.issues[0]!;
  return { path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message };
}

/** Parse and check a document; returns it, or the first issue with its field path. */
export function parseDocument(value: unknown, schema?: SchemaView): { ok: true; doc: AnnotationDocument } | { ok: false; issue: Issue } {
  const raw = rawDocument.safeParse(value);
  if (!raw.success) return { ok: false, issue: zodIssue(raw.error, "") };
  const regions: Region[] = [];
  const ids = new Set<string>();
  const labels = schema ? new Map(schema.labels.map((l) => [l.name, l])) : null;
  for (let i = 0; i < raw.data.regions.length; i++) {
    const r = raw.data.regions[i]!;
    const kindSchema = regionSchemas[r.kind as keyof typeof regionSchemas];
    if (!kindSchema) return { ok: false, issue: { path: `regions.${i}.kind`, message: `unknown region kind "${r.kind}"` } };
    const p = kindSchema.safeParse(r);
    if (!p.success) return { ok: false, issue: zodIssue(p.error, `regions.${i}`) };
    const region = p.data as Region;
    if (ids.has(region.id)) return { ok: false, issue: { path: `regions.${i}.id`, message: `duplicate region id "${region.id}"` } };
    ids.add(region.id);
    if (schema) {
      if (!schema.allowedKinds.includes(region.kind)) {
        return { ok: false, issue: { path: `regions.${i}.kind`, message: `kind "${region.kind}" is not allowed in this project` } };
      }
      const names = region.labels ?? (region.label ? [region.label] : []);
      for (const n of names) {
        const def = labels!.get(n);
        if (!def) return { ok: false, issue: { path: `regions.${i}.label`, message: `unknown label "${n}"` } };
        if (def.kinds && !def.kinds.includes(region.kind)) {
          return { ok: false, issue: { path: `regions.${i}.kind`, message: `label "${n}" does not allow kind "${region.kind}"` } };
        }
      }
    }
    regions.push(region);
  }
  for (let i = 0; i < raw.data.relations.length; i++) {
    const rel = raw.data.relations[i]!;
    if (!ids.has(rel.from)) return { ok: false, issue: { path: `relations.${i}.from`, message: `no region "${rel.from}"` } };
    if (!ids.has(rel.to)) return { ok: false, issue: { path: `relations.${i}.to`, message: `no region "${rel.to}"` } };
  }
  if (schema) {
    const cls = new Map(schema.classifications.map((c) => [c.name, c]));
    const fields = new Map((schema.textFields ?? []).map((f) => [f.name, f]));
    for (const [name, values] of Object.entries(raw.data.classifications)) {
      const field = fields.get(name);
      if (field) {
        if (values.length > 1) return { ok: false, issue: { path: `classifications.${name}`, message: "a text field holds one answer" } };
        const max = Math.min(field.maxLength ?? MAX_TEXT_FIELD, MAX_TEXT_FIELD);
        if ((values[0] ?? "").length > max) return { ok: false, issue: { path: `classifications.${name}.0`, message: `longer than ${max} characters` } };
        continue;
      }
      const def = cls.get(name);
      if (!def) return { ok: false, issue: { path: `classifications.${name}`, message: `unknown classification "${name}"` } };
      if (!def.multiple && values.length > 1) return { ok: false, issue: { path: `classifications.${name}`, message: "only one choice allowed" } };
      const bad = values.find((v) => !def.choices.includes(v));
      if (bad !== undefined) return { ok: false, issue: { path: `classifications.${name}`, message: `unknown choice "${bad}"` } };
    }
  }
  return {
    ok: true,
    doc: { version: DOCUMENT_VERSION, regions, classifications: raw.data.classifications, relations: raw.data.relations },
  };
}

/** Every label a document uses (regions and classification choices are kept apart). */
export function labelsUsed(doc: AnnotationDocument): string[] {
  const s = new Set<string>();
  for (const r of doc.regions) {
    if (r.label) s.add(r.label);
    r.labels?.forEach((l) => s.add(l));
  }
  return [...s];
}

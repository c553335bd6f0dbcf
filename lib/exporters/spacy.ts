// spaCy-style JSONL: {"text", "spans": [{"start", "end", "label"}], "cats"?, "meta"} per task, one
// file per split. Offsets are Unicode code points, Loupe's own unit, and also what Python's str
// indexes by, so doc.char_span(start, end) gets them unchanged (no UTF-16 conversion: an emoji
// counts as one). Overlapping spans are kept: they belong in doc.spans; doc.ents needs them apart.
import { canonicalJson, namedItems, regionLabel, scan, usableAnnotations } from "./common";
import { kindsFit } from "./fit";
import type { LabelConfig } from "../labeling-config/schema";
import type { ArchiveEntry, ExportContext, ExportItem, ExportOptions, Exporter } from "./types";
import { SPLITS } from "./types";

export function spacyRecord(item: ExportItem, schema: LabelConfig, options: ExportOptions, ctx: ExportContext): string {
  const text = item.text ?? "";
  if (item.text === undefined) ctx.warn("text_missing", `task ${item.taskId}: no text`);
  const length = Array.from(text).length;
  const anns = usableAnnotations(item, options);
  const spans: Array<Record<string, unknown>> = [];
  // spaCy's textcat wants every category of a classification scored, the chosen ones 1.
  const cats: Record<string, number> = {};
  const chosen = new Set(anns.flatMap((a) => Object.values(a.document.classifications).flat()));
  for (const a of anns) {
    for (const r of a.document.regions) {
      if (r.kind !== "span") continue;
      if (r.end > length) {
        ctx.warn("span_out_of_range", `task ${item.taskId}, span ${r.id}: ends at ${r.end}, text has ${length} code points; dropped`);
        continue;
      }
      spans.push({ start: r.start, end: r.end, label: regionLabel(r) ?? "", id: r.id });
    }
  }
  if (chosen.size > 0) for (const c of schema.classifications) for (const v of c.choices) cats[v] = chosen.has(v) ? 1 : 0;
  spans.sort((x, y) => (x.start as number) - (y.start as number) || (x.end as number) - (y.end as number) || (String(x.id) < String(y.id) ? -1 : String(x.id) > String(y.id) ? 1 : 0)); // not localeCompare: locale-free order
  return canonicalJson({
    text,
    spans,
    cats: Object.keys(cats).length > 0 ? cats : undefined,
    meta: { task_id: item.taskId, annotation_ids: anns.map((a) => a.id) },
  }) + "\n";
}

export const spacyExporter: Exporter = {
  name: "spacy",
  description: "spaCy-style JSONL: text with span offsets in code points",
  dataTypes: ["text"],
  kinds: ["span"],
  fits: (schema, dataType) => kindsFit("spaCy JSONL", "text", ["span"], schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    for (const split of SPLITS) {
      if (!s.splits.has(split)) continue;
      yield {
        path: `${split}.jsonl`,
        data: () =>
          (async function* () {
            for await (const n of namedItems(source)) if (n.split === split) yield spacyRecord(n.item, source.schema, options, ctx);
          })(),
      };
    }
  },
};

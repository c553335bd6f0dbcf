// CoNLL 2003 NER columns, BIO tags: "token -X- _ TAG" per line, a blank line between sentence
// blocks (a line break in the text ends one), "-DOCSTART- -X- -X- O" before each task.
// One file per split: train.txt, val.txt, test.txt. Overlapping spans: see pickSpans.
import { namedItems, scan, usableAnnotations } from "./common";
import { kindsFit } from "./fit";
import { bioTags, pickSpans, tokenizeLines } from "./text";
import type { ArchiveEntry, ExportContext, ExportItem, ExportOptions, Exporter } from "./types";
import { SPLITS } from "./types";

/** The CoNLL block for one task (all its usable annotations' spans, merged). */
export function conllDocument(item: ExportItem, options: ExportOptions, ctx: ExportContext): string {
  const text = item.text ?? "";
  if (item.text === undefined) ctx.warn("text_missing", `task ${item.taskId}: no text`);
  const length = Array.from(text).length;
  const regions = usableAnnotations(item, options).flatMap((a) => a.document.regions);
  const inRange = regions.filter((r) => {
    if (r.kind !== "span") return false;
    if (r.end <= length) return true;
    ctx.warn("span_out_of_range", `task ${item.taskId}, span ${r.id}: ends at ${r.end}, text has ${length} code points; dropped`);
    return false;
  });
  const { kept, dropped } = pickSpans(inRange);
  for (const d of dropped) ctx.warn("span_dropped", `task ${item.taskId}, span ${d.id}: ${d.reason}; BIO cannot nest spans`);
  const out = ["-DOCSTART- -X- -X- O", ""];
  for (const line of tokenizeLines(text)) {
    const tags = bioTags(line, kept);
    line.forEach((t, i) => out.push(`${t.text} -X- _ ${tags[i]}`));
    out.push("");
  }
  for (const s of kept) {
    // A span that lies only on whitespace has no token to carry it.
    if (!tokenizeLines(Array.from(text).slice(s.start, s.end).join("")).some((l) => l.length > 0)) {
      ctx.warn("span_dropped", `task ${item.taskId}, span ${s.id}: covers no token`);
    }
  }
  return out.join("\n") + "\n";
}

export const conllExporter: Exporter = {
  name: "conll",
  description: "CoNLL 2003 (BIO) token-per-line NER files",
  dataTypes: ["text"],
  kinds: ["span"],
  fits: (schema, dataType) => kindsFit("CoNLL 2003", "text", ["span"], schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    for (const split of SPLITS) {
      if (!s.splits.has(split)) continue;
      yield {
        path: `${split}.txt`,
        data: () =>
          (async function* () {
            for await (const n of namedItems(source)) if (n.split === split) yield conllDocument(n.item, options, ctx);
          })(),
      };
    }
  },
};

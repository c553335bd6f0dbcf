// Audio segments as a table: segments.csv (RFC 4180, UTF-8) and segments.json (one array), one row
// per segment with its task, file, annotation, label, start/end in seconds and transcription.
// Media in audio/<file>.
import type { Region } from "../annotation/regions";
import { canonicalJson, csvField, mediaEntries, namedItems, regionLabel, round, usableAnnotations, type NamedItem } from "./common";
import { kindsFit } from "./fit";
import type { ArchiveEntry, ExportOptions, ExportSource, Exporter } from "./types";

type Segment = Extract<Region, { kind: "segment" }>;

export const audioPath = (n: NamedItem): string => `audio/${n.fileName}`;

interface Row { n: NamedItem; annotationId: string | number; r: Segment }

/** Segments of one item in time order (start, end, region id). */
export function segmentsOf(n: NamedItem, options: ExportOptions): Row[] {
  const rows: Row[] = [];
  for (const a of usableAnnotations(n.item, options)) {
    for (const r of a.document.regions) if (r.kind === "segment") rows.push({ n, annotationId: a.id, r });
  }
  return rows.sort((x, y) => x.r.start - y.r.start || x.r.end - y.r.end || (x.r.id < y.r.id ? -1 : x.r.id > y.r.id ? 1 : 0));
}

async function* rows(source: ExportSource, options: ExportOptions): AsyncGenerator<Row> {
  for await (const n of namedItems(source)) yield* segmentsOf(n, options);
}

const COLUMNS = ["task_id", "split", "file", "annotation_id", "region_id", "label", "start", "end", "text"];

function record(row: Row): Record<string, unknown> {
  return {
    task_id: row.n.item.taskId,
    split: row.n.split,
    file: audioPath(row.n),
    annotation_id: row.annotationId,
    region_id: row.r.id,
    label: regionLabel(row.r) ?? "",
    start: round(row.r.start, 6),
    end: round(row.r.end, 6),
    text: row.r.text ?? "",
  };
}

export const segmentsExporter: Exporter = {
  name: "segments",
  description: "Audio segments as CSV and JSON (start/end in seconds, label, transcription)",
  dataTypes: ["audio"],
  kinds: ["segment"],
  fits: (schema, dataType) => kindsFit("Audio segments", "audio", ["segment"], schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    yield {
      path: "segments.csv",
      data: () =>
        (async function* () {
          yield COLUMNS.join(",") + "\r\n";
          for await (const row of rows(source, options)) {
            const rec = record(row);
            yield COLUMNS.map((c) => csvField(rec[c] as string | number)).join(",") + "\r\n";
          }
        })(),
    };
    yield {
      path: "segments.json",
      data: () =>
        (async function* () {
          let first = true;
          yield "[";
          for await (const row of rows(source, options)) {
            yield (first ? "\n" : ",\n") + canonicalJson(record(row));
            first = false;
          }
          yield first ? "]\n" : "\n]\n";
        })(),
    };
    yield* mediaEntries(source, options, ctx, audioPath);
  },
};

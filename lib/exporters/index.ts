// The format registry and the two entry points: exportEntries (files, in order) and exportZip
// (a deterministic ZIP stream of them). The API route resolves the version into an ExportSource,
// calls checkFit (422 with its message), then streams exportZip to the response.
import type { DataType, LabelConfig } from "../labeling-config/schema";
import { asrExporter } from "./asr";
import { segmentsExporter } from "./audio";
import { cocoExporter } from "./coco";
import { canonicalJson } from "./common";
import { conllExporter } from "./conll";
import { nativeExporter } from "./native";
import { spacyExporter } from "./spacy";
import { vocExporter } from "./voc";
import { yoloExporter } from "./yolo";
import { zipStream, type ZipOptions } from "./zip";
import { ExportError, MAX_REPORTED, type ArchiveEntry, type ExportOptions, type ExportSource, type Exporter, type FitResult } from "./types";

export const EXPORTERS: Readonly<Record<string, Exporter>> = Object.freeze({
  native: nativeExporter,
  coco: cocoExporter,
  yolo: yoloExporter,
  voc: vocExporter,
  conll: conllExporter,
  spacy: spacyExporter,
  segments: segmentsExporter,
  asr: asrExporter,
});

export type FormatName = keyof typeof EXPORTERS;
export const FORMAT_NAMES = Object.keys(EXPORTERS);

export function getExporter(name: string): Exporter | undefined {
  return Object.prototype.hasOwnProperty.call(EXPORTERS, name) ? EXPORTERS[name] : undefined;
}

/** Formats that fit a project, for the export dialog. */
export function formatsFor(schema: LabelConfig, dataType: DataType): Array<{ name: string; description: string; fit: FitResult }> {
  return FORMAT_NAMES.map((name) => {
    const e = EXPORTERS[name]!;
    return { name, description: e.description, fit: e.fits(schema, dataType) };
  });
}

/** Unknown format or one that does not fit: { ok: false, message } for a 422. */
export function checkFit(format: string, schema: LabelConfig, dataType: DataType, options: ExportOptions = {}): FitResult {
  const e = getExporter(format);
  if (!e) return { ok: false, message: `unknown export format "${format}"; known: ${FORMAT_NAMES.join(", ")}` };
  return e.fits(schema, dataType, options);
}

/**
 * Bumped whenever any exporter's output changes for the same input (a fix, a new default), so
 * archives cached by an older build are not served as if current (the cache key and ETag carry it).
 * 2: unaccepted predictions are left out of non-native formats.
 */
export const EXPORT_REVISION = 2;

export const REPORT_PATH = "export-report.json";

/**
 * The archive's files in order, ending with export-report.json: what had to be dropped or changed
 * (counts per code, and the first 1,000 messages). Throws ExportError when the format does not fit.
 */
export async function* exportEntries(format: string, source: ExportSource, options: ExportOptions = {}): AsyncGenerator<ArchiveEntry> {
  const fit = checkFit(format, source.schema, source.dataType, options);
  if (!fit.ok) throw new ExportError("format_does_not_fit", fit.message);
  const counts: Record<string, number> = {};
  const messages: Array<{ code: string; message: string }> = [];
  const ctx = {
    warn(code: string, message: string) {
      counts[code] = (counts[code] ?? 0) + 1;
      if (messages.length < MAX_REPORTED) messages.push({ code, message });
    },
  };
  const seen = new Set<string>();
  for await (const e of getExporter(format)!.entries(source, options, ctx)) {
    if (seen.has(e.path)) throw new Error(`${format} exporter produced ${e.path} twice`);
    seen.add(e.path);
    yield e;
  }
  // Lazy: warnings raised while the entries above were streamed are all in by now.
  yield {
    path: REPORT_PATH,
    data: () => canonicalJson({ format, options, warnings: counts, messages, truncated: messages.length === MAX_REPORTED || undefined }) + "\n",
  };
}

/** A ZIP archive of the export as a byte stream; byte-identical for the same source and options. */
export function exportZip(format: string, source: ExportSource, options: ExportOptions = {}, zip: ZipOptions = {}): AsyncGenerator<Uint8Array> {
  return zipStream(exportEntries(format, source, options), zip);
}

export { ExportError } from "./types";
export type { ArchiveEntry, ExportItem, ExportOptions, ExportSource, Exporter, FitResult } from "./types";

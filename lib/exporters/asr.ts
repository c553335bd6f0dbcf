// ASR manifest (NeMo style JSONL): {"audio_filepath", "duration", "text"} per line, one file per
// split (<split>_manifest.jsonl). Per segment (default): "offset" and "duration" cut the segment out
// of the file; per file: the segments' texts in time order joined by a space, duration of the file.
// audio_filepath is relative to the archive root (audio/<file>) when media is included, else the URL.
import { canonicalJson, namedItems, round, scan, mediaEntries, type NamedItem } from "./common";
import { audioPath, segmentsOf } from "./audio";
import { kindsFit } from "./fit";
import type { ArchiveEntry, ExportContext, ExportOptions, Exporter } from "./types";
import { SPLITS } from "./types";

function filePath(n: NamedItem, options: ExportOptions): string {
  return options.media === "include" || !n.item.media?.url ? audioPath(n) : n.item.media.url;
}

export function asrLines(n: NamedItem, options: ExportOptions, ctx: ExportContext): string[] {
  const segs = segmentsOf(n, options);
  const withText = segs.filter((s) => (s.r.text ?? "").trim() !== "");
  if (withText.length < segs.length) ctx.warn("segment_without_text", `task ${n.item.taskId}: ${segs.length - withText.length} segment(s) without text left out`);
  const path = filePath(n, options);
  if (options.asrMode === "file") {
    if (withText.length === 0) return [];
    let duration = n.item.media?.duration;
    if (duration === undefined) {
      duration = Math.max(...segs.map((s) => s.r.end));
      ctx.warn("duration_missing", `task ${n.item.taskId}: file duration unknown; used the last segment's end`);
    }
    return [canonicalJson({ audio_filepath: path, duration: round(duration, 6), text: withText.map((s) => s.r.text!.trim()).join(" ") })];
  }
  return withText.map((s) =>
    canonicalJson({ audio_filepath: path, offset: round(s.r.start, 6), duration: round(s.r.end - s.r.start, 6), text: s.r.text!.trim() }),
  );
}

export const asrExporter: Exporter = {
  name: "asr",
  description: "ASR manifest JSONL (audio_filepath, duration, text), per segment or per file",
  dataTypes: ["audio"],
  kinds: ["segment"],
  fits: (schema, dataType) => kindsFit("ASR manifest", "audio", ["segment"], schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    for (const split of SPLITS) {
      if (!s.splits.has(split)) continue;
      yield {
        path: `${split}_manifest.jsonl`,
        data: () =>
          (async function* () {
            for await (const n of namedItems(source)) if (n.split === split) for (const l of asrLines(n, options, ctx)) yield l + "\n";
          })(),
      };
    }
    yield* mediaEntries(source, options, ctx, audioPath);
  },
};

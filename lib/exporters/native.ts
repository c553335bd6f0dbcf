// Loupe's own format, lossless: every region kind with all its fields (attributes, origin, model,
// score), classifications, relations, and each annotation's annotator, revision, status and time.
// Layout: manifest.json (format, data type, label schema), tasks.jsonl (or tasks.json), media.
import { parseDocument, type AnnotationDocument } from "../annotation/document";
import { canonicalJson, mediaEntries, namedItems, type NamedItem } from "./common";
import type { ArchiveEntry, ExportContext, ExportItem, ExportOptions, ExportSource, Exporter } from "./types";

export const NATIVE_FORMAT = "loupe-native";
export const NATIVE_FORMAT_VERSION = 1;

const mediaPath = (n: NamedItem) => `media/${n.fileName}`;

function taskRecord(n: NamedItem, options: ExportOptions): Record<string, unknown> {
  const { item } = n;
  const m = item.media;
  return {
    task_id: item.taskId,
    split: item.split,
    media: m
      ? {
          file_name: m.fileName,
          path: options.media === "include" && m.open ? mediaPath(n) : undefined,
          url: m.url,
          width: m.width, height: m.height, duration: m.duration, mime: m.mime,
        }
      : null,
    text: item.text,
    data: item.data,
    annotations: item.annotations.map((a) => ({
      id: a.id,
      user_id: a.userId,
      annotator: a.annotator,
      revision: a.revision,
      status: a.status,
      updated_at: a.updatedAt,
      document: a.document,
    })),
  };
}

async function* taskLines(source: ExportSource, options: ExportOptions): AsyncGenerator<string> {
  const json = options.nativeLayout === "json";
  if (json) yield "[\n";
  let first = true;
  for await (const n of namedItems(source)) {
    const line = canonicalJson(taskRecord(n, options));
    yield json ? (first ? "" : ",\n") + line : line + "\n";
    first = false;
  }
  if (json) yield first ? "]\n" : "\n]\n";
}

export const nativeExporter: Exporter = {
  name: "native",
  description: "Loupe native JSONL (lossless): every region kind, attributes, relations, origin, annotator",
  dataTypes: ["image", "text", "audio", "video"],
  kinds: ["rect", "polygon", "polyline", "keypoints", "ellipse", "mask", "span", "segment", "track"],
  fits: () => ({ ok: true }),
  async *entries(source: ExportSource, options: ExportOptions, ctx: ExportContext): AsyncGenerator<ArchiveEntry> {
    yield {
      path: "manifest.json",
      data: canonicalJson({
        format: NATIVE_FORMAT,
        format_version: NATIVE_FORMAT_VERSION,
        data_type: source.dataType,
        project: source.project,
        version: source.version,
        schema: source.schema,
        tasks: options.nativeLayout === "json" ? "tasks.json" : "tasks.jsonl",
      }) + "\n",
    };
    yield { path: options.nativeLayout === "json" ? "tasks.json" : "tasks.jsonl", data: () => taskLines(source, options) };
    if (options.media === "include") yield* mediaEntries(source, options, ctx, mediaPath);
  },
};

// ---- Reading it back (import and round-trip tests)

export type NativeParseResult = { ok: true; item: ExportItem } | { ok: false; message: string };

/** One tasks.jsonl line (or tasks.json element) back to an item; documents are re-validated. */
export function parseNativeTask(value: unknown): NativeParseResult {
  if (!value || typeof value !== "object") return { ok: false, message: "a task must be an object" };
  const t = value as Record<string, unknown>;
  const anns = Array.isArray(t.annotations) ? t.annotations : [];
  const annotations: ExportItem["annotations"] = [];
  for (let i = 0; i < anns.length; i++) {
    const a = anns[i] as Record<string, unknown>;
    const parsed = parseDocument(a.document);
    if (!parsed.ok) return { ok: false, message: `annotations.${i}.document.${parsed.issue.path}: ${parsed.issue.message}` };
    annotations.push({
      id: a.id as string | number,
      userId: a.user_id as string | number,
      annotator: String(a.annotator ?? ""),
      revision: Number(a.revision ?? 1),
      status: String(a.status ?? "submitted"),
      updatedAt: String(a.updated_at ?? ""),
      document: parsed.doc as AnnotationDocument,
    });
  }
  const m = t.media as Record<string, unknown> | null | undefined;
  return {
    ok: true,
    item: {
      taskId: t.task_id as string | number,
      split: (t.split as ExportItem["split"]) ?? null,
      media: m
        ? {
            fileName: String(m.file_name ?? ""),
            url: m.url as string | undefined,
            width: m.width as number | undefined,
            height: m.height as number | undefined,
            duration: m.duration as number | undefined,
            mime: m.mime as string | undefined,
          }
        : null,
      text: t.text as string | undefined,
      data: t.data as Record<string, unknown> | undefined,
      annotations,
    },
  };
}

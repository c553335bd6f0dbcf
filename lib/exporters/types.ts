// The exporters' input and output model, independent of the database. The version builder (later,
// in lib/server) turns a dataset version into an ExportSource; exporters turn that into entries.
import type { AnnotationDocument } from "../annotation/document";
import type { DataType, LabelConfig } from "../labeling-config/schema";

export type Split = "train" | "val" | "test";
export const SPLITS: readonly Split[] = ["train", "val", "test"];

/** export-report.json keeps the first this-many warning messages (all are counted). */
export const MAX_REPORTED = 1000;

/** Bytes of a media file, produced lazily (only read when the file goes into the archive). */
export type ByteChunks = Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
export type ByteSource = Uint8Array | string | ByteChunks | Promise<Uint8Array>;

export interface ExportMedia {
  /** The user's file name; sanitised before it is used inside an archive. */
  fileName: string;
  url?: string;
  width?: number;
  height?: number;
  /** Seconds (audio/video). */
  duration?: number;
  mime?: string;
  /** Opens the file's bytes; required when media is included in the archive. */
  open?: () => ByteSource;
}

export interface ExportAnnotation {
  id: string | number;
  userId: string | number;
  /** Email or display name. */
  annotator: string;
  revision: number;
  status: string;
  document: AnnotationDocument;
  /** ISO 8601. */
  updatedAt: string;
}

/** One task of the dataset version. */
export interface ExportItem {
  taskId: string | number;
  split: Split | null;
  media: ExportMedia | null;
  /** The task's text (text projects). */
  text?: string;
  /** The task's raw data, kept by the native format only. */
  data?: Record<string, unknown>;
  /** Annotations in the version's order: formats that take one per task take the first usable one. */
  annotations: ExportAnnotation[];
  /** 1-based position in the full item stream; set by sources that skip items (ItemsHint.ordinals). */
  ordinal?: number;
}

export interface ExportSource {
  dataType: DataType;
  schema: LabelConfig;
  project?: { id: string | number; name: string };
  version?: { number: number; name?: string; createdAt?: string };
  /**
   * Items in a stable order (e.g. by task id). Called once per pass: formats that need several
   * passes (COCO writes images, then annotations) call it again instead of holding items in memory.
   */
  items(hint?: ItemsHint): Iterable<ExportItem> | AsyncIterable<ExportItem>;
  /**
   * Optional: a superset of the region labels (`label` and every entry of `labels`) in the items'
   * annotations, when the source knows it without reading them (a dataset version stores its label
   * counts). Formats that only need the labels from a first pass (COCO's categories) then skip
   * parsing the documents in it. Must never miss a label; extra ones only cost that saving.
   */
  labelsUsed?(): readonly string[];
}

/**
 * What a pass over the items will look at, so a database-backed source can read less. A hint
 * only: a source may ignore it and yield every item in full (the in-memory sources of the tests
 * do). When honoured, the order, taskId, split and media of every item stay the same, but
 * `annotations` may be empty for items of another split (null counts as "train") or, with
 * `annotations: false`, for every item. Consumers must therefore skip other splits themselves
 * (namedItems does) and never read annotations in an `annotations: false` pass.
 */
export interface ItemsHint {
  split?: Split;
  annotations?: boolean;
  /**
   * With a split: the consumer numbers items by `ordinal`, so the source may leave items of other
   * splits out entirely, provided every item it yields carries its ordinal.
   */
  ordinals?: boolean;
  /**
   * false: the pass reads neither `media` nor `data`/`text` of any item (COCO's annotation passes,
   * whose images were written earlier), so a source may leave them out (media null). Consumers
   * then get no archive names (namedBatches leaves fileName empty).
   */
  media?: boolean;
}

export type YoloVariant = "detect" | "segment" | "pose" | "obb";

export interface ExportOptions {
  /** "include" puts media files in the archive; "url" (default) lists them in media.jsonl. */
  media?: "include" | "url";
  /** YOLO task; inferred from the data when absent. */
  yoloVariant?: YoloVariant;
  /** ASR manifest rows: one per transcribed segment (default) or one per audio file. */
  asrMode?: "segment" | "file";
  /** Native layout: one JSON object per line (default) or one JSON array. */
  nativeLayout?: "jsonl" | "json";
  /** Non-native formats: first usable annotation per task (default) or all of them. */
  annotations?: "first" | "all";
  /**
   * Non-native formats: regions still marked `origin: "prediction"` (suggestions nobody accepted)
   * are left out by default; "include" exports them too (COCO then carries their score).
   */
  predictions?: "exclude" | "include";
  /** Points used to approximate an ellipse as a polygon (default 32). */
  ellipsePoints?: number;
}

/** What an archive entry holds: text, bytes, or a lazy source (media, large streamed JSON). */
export type EntryData = string | Uint8Array | (() => ByteSource);

export interface ArchiveEntry {
  /** Already sanitised, "/"-separated, relative. */
  path: string;
  data: EntryData;
  /** Hint for the archive writer: already-compressed media is stored, text is deflated. */
  compress?: boolean;
}

export type FitResult = { ok: true } | { ok: false; message: string };

/** Collects what an export had to drop or change; written to export-report.json. */
export interface ExportContext {
  warn(code: string, message: string): void;
}

export interface Exporter {
  name: string;
  description: string;
  dataTypes: readonly DataType[];
  /** Region kinds the format can carry (others are skipped with a warning). */
  kinds: readonly string[];
  fits(schema: LabelConfig, dataType: DataType, options?: ExportOptions): FitResult;
  entries(source: ExportSource, options: ExportOptions, ctx: ExportContext): AsyncIterable<ArchiveEntry>;
}

/** A format that cannot represent the data; the API turns it into 422. */
export class ExportError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ExportError";
    this.code = code;
  }
}

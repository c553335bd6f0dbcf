// Helpers shared by the format modules: passes over items with their archive names, annotation
// choice, media entries, canonical JSON and number formatting.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Region } from "../annotation/regions";
import { rectCorners } from "../annotation/regions/rect";
import { cosSin } from "../annotation/geometry";
import type { LabelConfig } from "../labeling-config/schema";
import { UniqueNamer, sanitizeFileName, splitExt } from "./paths";
import type { ArchiveEntry, ExportAnnotation, ExportContext, ExportItem, ExportOptions, ExportSource, ItemsHint, Split } from "./types";

export interface NamedItem {
  item: ExportItem;
  /** 1-based position in the stream: COCO image ids. */
  index: number;
  split: Split;
  /** Sanitised, unique (by stem) media file name, or task-<id> for items without media. */
  fileName: string;
  stem: string;
  /** The wanted name was taken by an earlier item, so this one got a suffix. */
  renamed?: boolean;
}

/**
 * One pass over the items with deterministic archive names. With a split in the hint, only that
 * split's items come out (see ItemsHint: the source may then leave the others' annotations out). Items without a split count as
 * "train" (training tools need a train set; a version without splits is all training data).
 * Names are unique across the whole export, not per split, so a file never changes name when a
 * version is re-split.
 */
export async function* namedItems(source: ExportSource, hint?: ItemsHint): AsyncGenerator<NamedItem> {
  for await (const batch of namedBatches(source, hint)) yield* batch;
}

const NAMED_BATCH = 256;

/**
 * namedItems in arrays of up to 256: the hot formats loop over these synchronously, so the cost of
 * an async-generator hop is paid per batch instead of per item.
 */
export async function* namedBatches(source: ExportSource, hint?: ItemsHint, opts: { uniqueNames?: boolean } = {}): AsyncGenerator<NamedItem[]> {
  const namer = new UniqueNamer();
  let index = 0;
  let batch: NamedItem[] = [];
  // When no two items want the same name (scan found none), a name does not depend on the other
  // items, so a split's pass may skip the other splits: the source then numbers items itself.
  const skip = hint?.split !== undefined && opts.uniqueNames === true;
  const it = source.items(skip ? { ...hint, ordinals: true } : hint);
  // A pass without media needs no names (and the source may have left the media out).
  const named = hint?.media !== false;
  const name = (item: ExportItem): NamedItem | null => {
    index++;
    const split = item.split ?? "train";
    if (skip && split !== hint!.split) return null;
    if (!named) return split === (hint?.split ?? split) ? { item, index: skip ? item.ordinal ?? index : index, split, fileName: "", stem: "" } : null;
    const base = item.media ? sanitizeFileName(item.media.fileName, `task-${item.taskId}`) : sanitizeFileName(`task-${item.taskId}`);
    const fileName = namer.claim(base);
    // Items of other splits still take their index and name (both depend on the whole stream).
    if (hint?.split !== undefined && split !== hint.split) return null;
    return { item, index: skip ? item.ordinal ?? index : index, split, fileName, stem: splitExt(fileName)[0], renamed: fileName !== base };
  };
  if (Symbol.iterator in it) {
    for (const item of it) {
      const n = name(item);
      if (n) batch.push(n);
      if (batch.length >= NAMED_BATCH) { yield batch; batch = []; }
    }
  } else {
    for await (const item of it) {
      const n = name(item);
      if (n) batch.push(n);
      if (batch.length >= NAMED_BATCH) { yield batch; batch = []; }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Joins many small strings into chunks of about 64 KiB before they go to the archive writer. */
export class ChunkBuffer {
  private parts: string[] = [];
  private size = 0;
  /** Adds s; returns a chunk to yield when enough has gathered, else null. */
  push(s: string): string | null {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= 65536 ? this.take() : null;
  }
  take(): string {
    const out = this.parts.join("");
    this.parts = [];
    this.size = 0;
    return out;
  }
}

/**
 * Text written now and read back later, in order, with bounded memory: up to `memoryLimit` UTF-16
 * code units stay in memory as ~64 KiB strings; past that everything goes to a temp file (in
 * `dir`, default os.tmpdir()), which drain() reads back in 1 MiB pieces and dispose() removes.
 * COCO writes a split's "images" straight into its entry while its "annotations" wait here, so
 * one pass over the items serves both arrays.
 */
export class SpillBuffer {
  private chunks = new ChunkBuffer();
  private held: string[] = [];
  private heldSize = 0;
  private fd: number | null = null;
  /** The temp file, once memory ran over (tests look at it). */
  file: string | null = null;
  constructor(private readonly memoryLimit = 32 << 20, private readonly dir = os.tmpdir()) {}
  push(s: string): void {
    const c = this.chunks.push(s);
    if (c !== null) this.keep(c);
  }
  private keep(c: string): void {
    if (c.length === 0) return;
    if (this.fd === null && this.heldSize + c.length <= this.memoryLimit) {
      this.held.push(c);
      this.heldSize += c.length;
      return;
    }
    if (this.fd === null) {
      this.file = path.join(this.dir, `loupe-spill-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`);
      this.fd = fs.openSync(this.file, "w+", 0o600);
      for (const h of this.held) fs.writeSync(this.fd, h, null, "utf8");
      this.held = [];
      this.heldSize = 0;
    }
    fs.writeSync(this.fd, c, null, "utf8");
  }
  /** Everything pushed, in order (strings from memory, then bytes from the file); then disposes. */
  *drain(): Generator<string | Uint8Array> {
    try {
      this.keep(this.chunks.take());
      if (this.fd === null) {
        const held = this.held;
        this.held = [];
        this.heldSize = 0;
        yield* held;
        return;
      }
      const buf = Buffer.allocUnsafe(1 << 20);
      let pos = 0;
      for (;;) {
        const n = fs.readSync(this.fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        pos += n;
        // A copy: the consumer may keep the chunk while the next one is read.
        yield Uint8Array.prototype.slice.call(buf, 0, n);
      }
    } finally {
      this.dispose();
    }
  }
  /** Frees memory and removes the temp file (safe to call more than once). */
  dispose(): void {
    this.held = [];
    this.heldSize = 0;
    this.chunks.take();
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = null;
    }
    if (this.file !== null) {
      fs.rmSync(this.file, { force: true });
      this.file = null;
    }
  }
}

export interface Scan {
  splits: Set<Split>;
  kinds: Set<string>;
  /** Some rect is turned by other than a multiple of 360° (YOLO picks OBB from this). */
  anyRotated: boolean;
  /** Region labels used but missing from the schema, sorted (they get ids after the schema's). */
  extraLabels: string[];
  items: number;
  /** No two items asked for the same archive name (so a name does not depend on other items). */
  uniqueNames: boolean;
  /** Items whose media has no width or height (COCO then reads a mask's size from the annotations). */
  unsized: number;
}

/** A first cheap pass: which splits, kinds and labels the data uses. */
export async function scan(source: ExportSource, options: ExportOptions): Promise<Scan> {
  const splits = new Set<Split>();
  const kinds = new Set<string>();
  const known = new Set(source.schema.labels.map((l) => l.name));
  const extra = new Set<string>();
  let items = 0;
  let anyRotated = false;
  const namer = new UniqueNamer();
  let uniqueNames = true;
  let unsized = 0;
  const visit = (item: ExportItem) => {
    items++;
    if (item.media?.width === undefined || item.media.height === undefined) unsized++;
    const base = item.media ? sanitizeFileName(item.media.fileName, `task-${item.taskId}`) : sanitizeFileName(`task-${item.taskId}`);
    if (namer.claim(base) !== base) uniqueNames = false;
    splits.add(item.split ?? "train");
    for (const a of usableAnnotations(item, options)) {
      for (const r of a.document.regions) {
        kinds.add(r.kind);
        if (r.kind === "rect" && isRotated(r.rotation)) anyRotated = true;
        const l = regionLabel(r);
        if (l !== undefined && !known.has(l)) extra.add(l);
      }
    }
  };
  const it = source.items();
  if (Symbol.iterator in it) for (const item of it) visit(item);
  else for await (const item of it) visit(item);
  return { splits, kinds, anyRotated, extraLabels: [...extra].sort(), items, uniqueNames, unsized };
}

/** Skipped annotations carry no labels; "first" keeps the version's chosen one per task. */
export function usableAnnotations(item: ExportItem, options: ExportOptions): readonly ExportAnnotation[] {
  const all = item.annotations;
  // The common case (one annotation, not skipped) without copying: callers only read the array.
  const out = all.length === 0 || (all.length === 1 && all[0]!.status !== "skipped") ? all : pick(all, options);
  return options.predictions === "include" ? out : withoutPredictions(out);
}

function pick(all: readonly ExportAnnotation[], options: ExportOptions): readonly ExportAnnotation[] {
  const ok = all.filter((a) => a.status !== "skipped");
  return options.annotations === "all" ? ok : ok.slice(0, 1);
}

const isPrediction = (r: Region) => r.origin === "prediction";

/** Only accepted regions are annotations: unaccepted suggestions (and relations to them) go. */
function withoutPredictions(anns: readonly ExportAnnotation[]): readonly ExportAnnotation[] {
  if (!anns.some((a) => a.document.regions.some(isPrediction))) return anns;
  return anns.map((a) => {
    if (!a.document.regions.some(isPrediction)) return a;
    const gone = new Set(a.document.regions.filter(isPrediction).map((r) => r.id));
    const regions = a.document.regions.filter((r) => !gone.has(r.id));
    const relations = a.document.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
    return { ...a, document: { ...a.document, regions, relations } };
  });
}

/** A region's class: its label, or the first of its labels (multi-label regions keep the first). */
export const regionLabel = (r: Region): string | undefined => r.label ?? r.labels?.[0];

/** Class names in id order: the schema's labels, then labels only found in the data. */
export function classNames(schema: LabelConfig, extra: readonly string[]): string[] {
  return [...schema.labels.map((l) => l.name), ...extra];
}

/** Round to a fixed number of decimals and drop "-0", so output does not carry float noise. */
export function round(v: number, decimals = 3): number {
  const k = 10 ** decimals;
  const r = Math.round(v * k) / k;
  return Object.is(r, -0) ? 0 : r;
}

/**
 * Builds JSON text straight into bytes (ASCII digits and pre-encoded constants, UTF-8 for other
 * strings): no string per line to concatenate, join and encode afterwards. take() hands over the
 * bytes so far (a fresh buffer each time: the consumer may keep them).
 */
export class ByteWriter {
  private buf: Buffer;
  size = 0;
  constructor(private readonly capacity = 80 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  private room(n: number): void {
    if (this.size + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.size + n));
    this.buf.copy(next, 0, 0, this.size);
    this.buf = next;
  }
  /** Pre-encoded ASCII bytes (short constants). */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let p = this.size;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.size = p;
  }
  /** Any string, as UTF-8. */
  str(s: string): void {
    this.room(s.length * 3);
    this.size += this.buf.write(s, this.size, "utf8");
  }
  /** A non-negative safe integer (anything else as JSON.stringify writes it). */
  int(v: number): void {
    if (!(v >= 0 && v <= 0xffffffffff && Math.floor(v) === v)) return this.str(JSON.stringify(v));
    this.room(16);
    this.digits(v);
  }
  private digits(v: number): void {
    const buf = this.buf;
    let n = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) n++;
    let p = this.size + n;
    this.size = p;
    do {
      const q = Math.floor(v / 10);
      buf[--p] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
  }
  /**
   * JSON.stringify(round(v)) (3 decimals) without a float-to-string conversion: the value is k/1000
   * for the integer k = Math.round(v * 1000), and for |k| < 1e12 the shortest decimal that reads
   * back as that double is k/1000 written out (doubles there are far denser than 0.001), so integer
   * digits give the same text. Anything else takes the general path.
   */
  num3(v: number): void {
    const k = Math.round(v * 1000);
    if (!(k > -1e12 && k < 1e12)) return this.str(JSON.stringify(round(v)));
    this.room(24);
    const buf = this.buf;
    if (k === 0) { buf[this.size++] = 48; return; }
    let a = k;
    if (k < 0) { buf[this.size++] = 45; a = -k; }
    const i = Math.floor(a / 1000);
    const f = a - i * 1000;
    this.digits(i);
    if (f === 0) return;
    const d1 = Math.floor(f / 100), d2 = Math.floor(f / 10) % 10, d3 = f % 10;
    let p = this.size;
    buf[p++] = 46;
    buf[p++] = 48 + d1;
    if (d2 !== 0 || d3 !== 0) buf[p++] = 48 + d2;
    if (d3 !== 0) buf[p++] = 48 + d3;
    this.size = p;
  }
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.size);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.size = 0;
    return out;
  }
}

/** Fixed-decimal text without trailing zeros (YOLO label files). */
export function fixed(v: number, decimals = 6): string {
  const t = round(v, decimals).toFixed(decimals);
  if (decimals <= 0) return t === "-0" ? "0" : t; // no fraction: nothing to trim ("10" stays "10")
  // Trailing zeros, then a bare trailing dot, go (a loop: this runs for every YOLO coordinate).
  let e = t.length;
  while (e > 1 && t.charCodeAt(e - 1) === 48) e--;
  if (t.charCodeAt(e - 1) === 46) e--;
  const s = e === t.length ? t : t.slice(0, e);
  return s === "-0" ? "0" : s;
}

export const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** Ellipse outline as n points, clockwise from the end of the rx axis. */
export function ellipsePolygon(r: { cx: number; cy: number; rx: number; ry: number; rotation: number }, n = 32): Array<[number, number]> {
  const [c, s] = cosSin(r.rotation);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    const lx = r.rx * Math.cos(t), ly = r.ry * Math.sin(t);
    out.push([r.cx + lx * c - ly * s, r.cy + lx * s + ly * c]);
  }
  return out;
}

export { rectCorners };

/** True when a rect is turned by something other than a multiple of 360°. */
export const isRotated = (rotation: number | undefined): boolean => ((rotation ?? 0) % 360 + 360) % 360 !== 0;

// ---- Media

/** A media.jsonl line (with its newline) for an item that has media. */
export function mediaJsonLine(n: NamedItem, pathOf: (n: NamedItem) => string): string {
  const m = n.item.media!;
  // canonicalJson's key order (task_id, then the rest by name), built in that order.
  return JSON.stringify({ task_id: n.item.taskId, file_name: m.fileName, path: pathOf(n), url: m.url ?? null }) + "\n";
}

/** Media files (include) or one media.jsonl listing (url), after the format's own files. */
export async function* mediaEntries(
  source: ExportSource,
  options: ExportOptions,
  ctx: ExportContext,
  pathOf: (n: NamedItem) => string,
): AsyncGenerator<ArchiveEntry> {
  if (options.media === "include") {
    for await (const n of namedItems(source, { annotations: false })) {
      const m = n.item.media;
      if (!m) continue;
      if (!m.open) {
        ctx.warn("media_missing", `task ${n.item.taskId}: no bytes for ${m.fileName}; not included`);
        continue;
      }
      const open = m.open;
      yield { path: pathOf(n), data: () => open(), compress: false };
    }
    return;
  }
  yield {
    path: "media.jsonl",
    data: () =>
      (async function* () {
        const buf = new ChunkBuffer();
        for await (const batch of namedBatches(source, { annotations: false })) {
          for (const n of batch) {
            const m = n.item.media;
            const out = m ? buf.push(mediaJsonLine(n, pathOf)) : null;
            if (out) yield out;
          }
        }
        yield buf.take();
      })(),
  };
}

// ---- JSON

// Readable order for regions (identity, then geometry in its natural order); everything else by name.
const FIRST_KEYS = ["audio_filepath", "task_id", "id", "kind", "label", "labels", "from", "to", "x", "y", "width", "height", "cx", "cy", "rx", "ry", "rotation", "start", "end", "points", "text"];

function keyOrder(a: string, b: string): number {
  const ia = FIRST_KEYS.indexOf(a), ib = FIRST_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? 999 : ia) - (ib === -1 ? 999 : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * JSON with object keys in a fixed order (FIRST_KEYS, then by code unit), so output
 * does not depend on the order keys happened to have in the database. Arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A copy of v with object keys in canonicalJson's order (undefined values dropped). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object" && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(keyOrder)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** RFC 4180 field; cells that a spreadsheet would run as a formula are prefixed with '. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

// A dataset version as exporter input, and its cached archive. The exporters read the frozen
// revisions (never the live annotation) and media from the content-addressed store only.
// Decisions: docs/adr/0008-dataset-versions.md ("Export cache").
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import type { DatasetVersion } from "../db/schema";
import type { AnnotationDocument } from "../annotation/document";
import { taskText } from "../annotation/text/task-text";
import { checkFit, exportZip, ExportError, EXPORT_REVISION } from "../exporters";
import type { ByteSource, ExportAnnotation, ExportItem, ExportMedia, ExportSource, ItemsHint, Split } from "../exporters/types";
import { config } from "../config";
import { invalid } from "./errors";
import { getLabelConfig } from "./projects";
import { mediaFiles } from "./media";
import { resolveVersion } from "./datasets";
import type { Actor } from "../auth/actor";

/** Tasks per page when streaming a version into an exporter. */
export const EXPORT_PAGE = 500;

const URL_KEYS = ["image", "audio", "video", "url", "src"];

function urlMedia(data: Record<string, unknown>): ExportMedia | null {
  for (const k of URL_KEYS) {
    const u = data[k];
    if (typeof u === "string" && /^https?:\/\//i.test(u)) {
      let name = "file";
      try {
        name = decodeURIComponent(new URL(u).pathname.split("/").pop() || "file");
      } catch {
        /* keep "file" */
      }
      return { fileName: name, url: u };
    }
  }
  return null;
}

// Rows come as arrays (better-sqlite3's raw mode): building an object per row cost twice the query.
/** task_id, split, data, media_id, media file name (file_name, else sha256), mime, width, height, duration */
type LightRow = [number, Split | null, string, number | null, string | null, string | null, number | null, number | null, number | null];
/** task_id, annotation_id, revision, document, status, user_id, email, created_at */
type AnnRow = [number, number, number, string, string, number | null, string | null, number];

/**
 * An annotation whose document is parsed (and time formatted) on first use: passes that never look
 * at it (COCO's images) skip the JSON.parse. A class, not per-row closures: one of these is made
 * per annotation per pass.
 */
class LazyAnnotation implements ExportAnnotation {
  private doc: AnnotationDocument | undefined;
  readonly id: number;
  readonly userId: number | string;
  readonly annotator: string;
  readonly revision: number;
  readonly status: string;
  constructor(private readonly row: AnnRow) {
    this.id = row[1];
    this.userId = row[5] ?? "";
    this.annotator = row[6] ?? "";
    this.revision = row[2];
    this.status = row[4];
  }
  get document(): AnnotationDocument {
    return (this.doc ??= JSON.parse(this.row[3]) as AnnotationDocument);
  }
  get updatedAt(): string {
    return new Date(this.row[7]).toISOString();
  }
}

/** A task of the version; its data is parsed on first use (native keeps it, the others rarely need it). */
class LazyItem implements ExportItem {
  private parsed: Record<string, unknown> | undefined;
  readonly taskId: number;
  readonly split: Split | null;
  media: ExportMedia | null = null;
  text?: string;
  ordinal?: number;
  readonly annotations: ExportAnnotation[] = [];
  constructor(private readonly raw: string, taskId: number, split: Split | null) {
    this.taskId = taskId;
    this.split = split;
  }
  get data(): Record<string, unknown> {
    return (this.parsed ??= JSON.parse(this.raw) as Record<string, unknown>);
  }
}

/** Media of the content-addressed store; bytes are only opened when included in the archive. */
class StoredMedia implements ExportMedia {
  readonly fileName: string;
  readonly url: string;
  readonly mime?: string;
  readonly width?: number;
  readonly height?: number;
  readonly duration?: number;
  /** A bound function: consumers may call it detached. */
  readonly open: () => ByteSource;
  constructor(r: LightRow, sha256Of: (mediaId: number) => string, store: ReturnType<typeof mediaFiles>) {
    const id = r[3]!;
    this.fileName = r[4]!;
    this.url = `/api/v1/media/${id}`;
    if (r[5] !== null) this.mime = r[5];
    if (r[6] !== null) this.width = r[6];
    if (r[7] !== null) this.height = r[7];
    if (r[8] !== null) this.duration = r[8];
    this.open = () => store.createReadStream(sha256Of(id));
  }
}

/**
 * The exporters' item model for a version: the frozen revisions (read from annotation_revisions,
 * never the live annotation), media from the content-addressed store, in task-id order.
 *
 * Each page is two statements on the dataset_version_items (version_id, task_id) index: the
 * page's tasks with their media (one row per version item; repeats are skipped), then their
 * frozen revisions. A pass that
 * asks for one split (ItemsHint) reads only that split's revisions; one that needs no
 * annotations reads none. Task data and documents are parsed lazily.
 */
export function exportSource(version: DatasetVersion, pageSize = EXPORT_PAGE): ExportSource {
  const db = getDb();
  const project = db.get<{ id: number; name: string; data_type: ExportSource["dataType"] }>(sql`SELECT id, name, data_type FROM projects WHERE id = ${version.projectId}`)!;
  const { schema } = getLabelConfig(version.projectId, version.schemaVersion);
  const store = mediaFiles();
  const c = db.$client;
  // One row per version item, not per task (a GROUP BY here made SQLite build each page from the
  // rest of the version); a task with several annotations repeats and is skipped below.
  const LIGHT = `SELECT i.task_id, i.split, t.data, m.id, CASE WHEN m.id IS NOT NULL THEN COALESCE(NULLIF(t.file_name, ''), m.sha256) END,
           m.mime, m.width, m.height, m.duration
    FROM dataset_version_items i
    JOIN tasks t ON t.id = i.task_id
    LEFT JOIN media m ON m.id = t.media_id`;
  const pageQ = c.prepare<[number, number, number], LightRow>(`${LIGHT}
    WHERE i.version_id = ? AND i.task_id > ?
    ORDER BY i.task_id LIMIT ?`).raw(true);
  // A split's pass (ItemsHint.ordinals): the page's task ids and splits from the index, then the
  // rows of that split's tasks only.
  const idsQ = c.prepare<[number, number, number], [number, Split | null]>(`
    SELECT task_id, split FROM dataset_version_items WHERE version_id = ? AND task_id > ? ORDER BY task_id LIMIT ?`).raw(true);
  const splitPageQ = c.prepare<[number, number, number, string], LightRow>(`${LIGHT}
    WHERE i.version_id = ? AND i.task_id BETWEEN ? AND ? AND COALESCE(i.split, 'train') = ?
    ORDER BY i.task_id`).raw(true);
  const annQ = c.prepare<[number, number, number, string | null, string | null], AnnRow>(`
    SELECT i.task_id, i.annotation_id, i.revision, r.document, r.status, a.user_id, u.email, r.created_at
    FROM dataset_version_items i
    JOIN annotations a ON a.id = i.annotation_id
    JOIN annotation_revisions r ON r.annotation_id = i.annotation_id AND r.revision = i.revision
    LEFT JOIN users u ON u.id = a.user_id
    WHERE i.version_id = ? AND i.task_id BETWEEN ? AND ? AND (? IS NULL OR COALESCE(i.split, 'train') = ?)
    ORDER BY i.task_id, i.annotation_id`).raw(true);
  const shaQ = c.prepare<[number], string>("SELECT sha256 FROM media WHERE id = ?").pluck(true);
  const sha256Of = (id: number): string => shaQ.get(id)!;
  const isText = project.data_type === "text";

  function item(r: LightRow): ExportItem {
    const it = new LazyItem(r[2], r[0], r[1]);
    if (r[3] !== null) it.media = new StoredMedia(r, sha256Of, store);
    else if (!isText) it.media = urlMedia(it.data);
    if (isText) it.text = taskText(it.data) ?? "";
    return it;
  }

  return {
    dataType: project.data_type,
    schema,
    project: { id: project.id, name: project.name },
    version: { number: version.number, name: version.name, createdAt: new Date(version.createdAt).toISOString() },
    // Every label of every region of the frozen documents (LabelCounter at build time): a superset
    // of what the exporters use, so COCO's first pass need not parse the documents.
    labelsUsed(): string[] {
      const raw = c.prepare<[number], string>("SELECT label_counts FROM dataset_versions WHERE id = ?").pluck(true).get(version.id);
      return Object.keys(raw ? (JSON.parse(raw) as Record<string, number>) : {});
    },
    // Keyset pages of EXPORT_PAGE tasks: memory stays bounded and no statement stays open across
    // the archive writer's awaits (better-sqlite3 refuses other queries while one iterates).
    *items(hint?: ItemsHint): Iterable<ExportItem> {
      const split = hint?.split ?? null;
      const withAnnotations = hint?.annotations !== false;
      /** The page's items: light rows merged with their frozen revisions (both in task order). */
      function* merge(page: LightRow[], first: number, last: number, ordinals?: Map<number, number>): Iterable<ExportItem> {
        const anns = withAnnotations ? annQ.all(version.id, first, last, split, split) : [];
        let k = 0;
        let prev = -1;
        for (const r of page) {
          if (r[0] === prev) continue;
          prev = r[0];
          const it = item(r);
          if (ordinals) it.ordinal = ordinals.get(r[0]);
          while (k < anns.length && anns[k]![0] < r[0]) k++;
          while (k < anns.length && anns[k]![0] === r[0]) it.annotations.push(new LazyAnnotation(anns[k++]!));
          yield it;
        }
      }
      let after = 0;
      if (split !== null && hint?.ordinals) {
        let ordinal = 0;
        for (;;) {
          const ids = idsQ.all(version.id, after, pageSize);
          if (ids.length === 0) return;
          const first = ids[0]![0], last = ids[ids.length - 1]![0];
          const ordinals = new Map<number, number>();
          let prev = -1;
          for (const [taskId, s] of ids) {
            if (taskId === prev) continue;
            prev = taskId;
            ordinal++;
            if ((s ?? "train") === split) ordinals.set(taskId, ordinal);
          }
          if (ordinals.size === 0) {
            // Nothing of this split on the page.
          } else if (hint.media === false) {
            // Only the annotations are wanted: items from the index rows, no task or media rows.
            const anns = withAnnotations ? annQ.all(version.id, first, last, split, split) : [];
            let k = 0;
            for (const [taskId, ord] of ordinals) {
              const it = new LazyItem("{}", taskId, split);
              it.ordinal = ord;
              while (k < anns.length && anns[k]![0] < taskId) k++;
              while (k < anns.length && anns[k]![0] === taskId) it.annotations.push(new LazyAnnotation(anns[k++]!));
              yield it;
            }
          } else yield* merge(splitPageQ.all(version.id, first, last, split), first, last, ordinals);
          after = last;
        }
      }
      for (;;) {
        const page = pageQ.all(version.id, after, pageSize);
        if (page.length === 0) return;
        const first = page[0]![0], last = page[page.length - 1]![0];
        yield* merge(page, first, last);
        after = last;
      }
    },
  };
}

export function exportsDir(): string {
  return path.join(config.dataDir, "exports");
}

/** Cached archive path for a version, format and media mode. */
export function exportCachePath(versionId: number, format: string, mediaMode: string, predictions: "exclude" | "include" = "exclude"): string {
  return path.join(exportsDir(), `${versionId}-${format}-${mediaMode}${predictions === "include" ? "-pred" : ""}-e${EXPORT_REVISION}.zip`);
}

/** Writes the chunks to a temp file beside `dest`, then renames it into place; a failure leaves nothing. */
export async function writeAtomically(dest: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    // Zip headers and small label files come as many tiny chunks: gather ~1 MiB per write call.
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = 0;
    for await (const c of chunks) {
      if (n + c.length > buf.length) {
        if (n > 0) fs.writeSync(fd, buf, 0, n);
        n = 0;
        if (c.length >= buf.length) {
          fs.writeSync(fd, c);
          continue;
        }
      }
      buf.set(c, n);
      n += c.length;
    }
    if (n > 0) fs.writeSync(fd, buf, 0, n);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, dest);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface VersionArchive {
  file: string;
  etag: string;
  downloadName: string;
}

// ---- Cache hygiene: a size cap by least-recent use, stale temp files, one build per archive.

const GB = 1024 ** 3;
const TMP_MAX_AGE_MS = 60 * 60 * 1000;

/** LOUPE_EXPORT_CACHE_MAX_BYTES (default 5 GiB): the cache is pruned to this after each build. */
export function exportCacheMaxBytes(): number {
  const raw = process.env.LOUPE_EXPORT_CACHE_MAX_BYTES;
  const n = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 5 * GB;
}

/**
 * Deletes cached archives, least recently used first (a serve touches the file's mtime), until
 * the rest fit in maxBytes. `keep` (the archive just built or being served) is never deleted,
 * even when it alone is over the cap. An archive being downloaded can be deleted safely: the
 * open file stays readable until the response ends. Returns the deleted file names.
 */
export function pruneExportCache(dir: string, maxBytes: number, keep?: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const files: Array<{ file: string; size: number; mtime: number }> = [];
  let total = 0;
  for (const n of names) {
    if (!n.endsWith(".zip")) continue;
    const file = path.join(dir, n);
    try {
      const st = fs.statSync(file);
      files.push({ file, size: st.size, mtime: st.mtimeMs });
      total += st.size;
    } catch {
      /* deleted meanwhile */
    }
  }
  files.sort((a, b) => a.mtime - b.mtime || (a.file < b.file ? -1 : 1));
  const deleted: string[] = [];
  for (const f of files) {
    if (total <= maxBytes) break;
    if (keep && path.resolve(f.file) === path.resolve(keep)) continue;
    fs.rmSync(f.file, { force: true });
    total -= f.size;
    deleted.push(path.basename(f.file));
  }
  return deleted;
}

/** Removes temp files of builds that died (crash, kill) more than an hour ago. Returns their names. */
export function removeStaleTempFiles(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.endsWith(".tmp")) continue;
    const file = path.join(dir, n);
    try {
      if (now - fs.statSync(file).mtimeMs > TMP_MAX_AGE_MS) {
        fs.rmSync(file, { force: true });
        out.push(n);
      }
    } catch {
      /* deleted meanwhile */
    }
  }
  return out;
}

const g = globalThis as unknown as { __loupeExportCache?: { swept: Set<string>; building: Map<string, Promise<void>>; builds: number } };
const cacheState = (g.__loupeExportCache ??= { swept: new Set(), building: new Map(), builds: 0 });

/** Archives built by this process so far (tests check that concurrent requests build once). */
export function exportBuildCount(): number {
  return cacheState.builds;
}

/**
 * Builds `file` once even when many requests ask for it at the same time: they all await the
 * same promise (in this process; a second process would build its own copy and the atomic rename
 * makes the last one win with identical bytes).
 */
export function buildOnce(file: string, build: () => Promise<void>): Promise<void> {
  const running = cacheState.building.get(file);
  if (running) return running;
  cacheState.builds++;
  const p = build().finally(() => cacheState.building.delete(file));
  cacheState.building.set(file, p);
  return p;
}

/**
 * The archive of version `v` in `format`: 422 when the format is unknown or does not fit (with the
 * exporter's explanation), built into the cache on first use, then reused.
 */
export async function versionArchive(actor: Actor, projectId: number, v: string, format: string, mediaMode: string, predictions: string = "exclude"): Promise<VersionArchive> {
  const version = resolveVersion(actor, projectId, v);
  if (!format) throw invalid("format: required", "format");
  if (mediaMode !== "url" && mediaMode !== "include") throw invalid('media: must be "url" or "include"', "media");
  if (predictions !== "exclude" && predictions !== "include") throw invalid('predictions: must be "exclude" or "include"', "predictions");
  const dataType = getDb().get<{ t: ExportSource["dataType"] }>(sql`SELECT data_type AS t FROM projects WHERE id = ${version.projectId}`)!.t;
  const { schema } = getLabelConfig(version.projectId, version.schemaVersion);
  const fit = checkFit(format, schema, dataType, { media: mediaMode });
  if (!fit.ok) throw invalid(`format: ${fit.message}`, "format", "format_does_not_fit");
  const dir = exportsDir();
  if (!cacheState.swept.has(dir)) {
    cacheState.swept.add(dir);
    removeStaleTempFiles(dir);
  }
  const file = exportCachePath(version.id, format, mediaMode, predictions);
  if (fs.existsSync(file)) {
    // Least-recently-used order for pruning: a served archive counts as used now.
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      /* pruned meanwhile: rebuilt below */
    }
  }
  if (!fs.existsSync(file)) {
    try {
      await buildOnce(file, async () => {
        await writeAtomically(file, exportZip(format, exportSource(version), { media: mediaMode, predictions }));
        pruneExportCache(dir, exportCacheMaxBytes(), file);
      });
    } catch (e) {
      // The format decided mid-stream that it cannot carry the data: nothing was kept.
      if (e instanceof ExportError) throw invalid(`format: ${e.message}`, "format", e.code);
      throw e;
    }
  }
  return {
    file,
    etag: `${version.manifestSha256.slice(0, 32)}-${format}-${mediaMode}${predictions === "include" ? "-pred" : ""}-e${EXPORT_REVISION}`,
    downloadName: `project-${version.projectId}-v${version.number}-${format}.zip`,
  };
}

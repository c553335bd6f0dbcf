// Import: media files (content-addressed, sniffed, probed, thumbnailed), task lists
// (JSON/JSONL/CSV, Label Studio's format) and media by URL. All-or-nothing per file: a file
// with any bad row imports nothing and reports every bad row with its line. Rows of Loupe's native
// export (tasks.jsonl) bring their annotations along (lib/server/import-native.ts).
import { decodeTextFile } from "../annotation/text/task-text";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { config } from "../config";
import { ApiError, invalid } from "./errors";
import { accessProject } from "./access";
import { audit } from "./audit";
import { LocalMediaStore, type StagedFile, type ByteSource } from "../storage/media-store";
import { sniffAs, looksLikeMarkup, type Sniffed } from "../storage/sniff";
import { probeMedia } from "../storage/probe";
import { makeThumbnail } from "../storage/thumbnail";
import { parseTaskList, detectTaskListFormat } from "../import/parse-task-list";
import { fetchUrlToFile } from "./url-fetch";
import type { Actor } from "../auth/actor";
import type { DataType } from "../labeling-config/schema";
import { getLabelConfig } from "./projects";
import { accessMedia } from "./media";
import { taskPredictionScore } from "./prediction-score";
import { checkNativeAnnotations, insertNativeAnnotations, isNativeRow, type NativeAnnotation } from "./import-native";

export interface ImportFailure {
  file?: string;
  line?: number;
  code?: string;
  message: string;
}
export interface ImportResult {
  created: number;
  failed: ImportFailure[];
  taskIds?: number[];
  /** Annotations that came with native-format rows. */
  annotations?: number;
}

export interface ImportSource {
  name: string;
  /** A file on disk (CLI, demo) … */
  path?: string;
  /** … or a stream (upload). */
  stream?: ByteSource;
}

const TASK_LIST_EXT = /\.(json|jsonl|ndjson|csv)$/i;
/** Largest plain-text file that becomes a text task's data. */
const MAX_TEXT_TASK_BYTES = 10 * 1024 * 1024;

let store: LocalMediaStore | null = null;
let storeRoot = "";
export function mediaStore(): LocalMediaStore {
  if (!store || storeRoot !== config.mediaDir) {
    storeRoot = config.mediaDir;
    store = new LocalMediaStore(storeRoot);
  }
  return store;
}

/** Names are for display only, but a name with path tricks or control characters is refused. */
export function checkFileName(name: string): string {
  const n = name.normalize("NFC");
  if (!n || n.length > 255) throw invalid("File name must be 1 to 255 characters.", "files");
  if (/[\u0000-\u001f\u007f]/.test(n)) throw invalid(`File name ${JSON.stringify(n)} contains control characters.`, "files");
  if (n.includes("/") || n.includes("\\") || n === "." || n === ".." || /^[a-zA-Z]:/.test(n)) {
    throw invalid(`File name ${JSON.stringify(n)} must be a plain name, not a path.`, "files");
  }
  return n;
}

function failureOf(e: unknown, file?: string): ImportFailure {
  if (e instanceof ApiError) return { file, code: e.code, message: e.message };
  throw e;
}

export type Row = { data: Record<string, unknown>; predictions?: unknown[]; native?: NativeAnnotation[]; media?: { mediaId: number; fileName: string } };

/** Who imports: the owner of imported annotations, and whose media a native row may reuse. */
export interface Importer { userId: number; actor: Actor }

/** Insert task rows in one transaction (fast path: one prepared statement). */
function insertTasks(projectId: number, rows: Row[], media?: { mediaId: number; fileName: string }, importer?: Importer): number[] {
  const db = getDb();
  const sqlite = db.$client;
  const ins = sqlite.prepare(
    "INSERT INTO tasks (project_id, data, media_id, file_name, prediction_count, prediction_score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insPred = sqlite.prepare("INSERT INTO predictions (task_id, model, model_version, score, document, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  const ids: number[] = [];
  const t = Date.now();
  const withAnns = importer && rows.some((r) => r.native?.length)
    ? {
        projectId, userId: importer.userId, schemaVersion: getLabelConfig(projectId).version, now: t,
        overlap: db.get<{ o: number }>(sql`SELECT overlap AS o FROM projects WHERE id = ${projectId}`)!.o,
      }
    : null;
  sqlite.transaction(() => {
    for (const r of rows) {
      const preds = Array.isArray(r.predictions) ? r.predictions : [];
      const m = r.media ?? media;
      const parsed = preds.map((p, i) => {
        const o = (p && typeof p === "object" ? p : {}) as Record<string, unknown>;
        const model = (typeof o.model_version === "string" ? o.model_version : typeof o.model === "string" ? o.model : "imported").slice(0, 200);
        const score = typeof o.score === "number" && Number.isFinite(o.score) ? o.score : null;
        return { id: i, model, score, document: { format: "label-studio", ...o } };
      });
      const info = ins.run(projectId, JSON.stringify(r.data), m?.mediaId ?? null, m?.fileName ?? null, preds.length, taskPredictionScore(parsed), t, t);
      const id = Number(info.lastInsertRowid);
      ids.push(id);
      if (withAnns && r.native?.length) insertNativeAnnotations(sqlite, withAnns, id, r.native);
      // Kept as they came (Label Studio result format); converted when a pre-labeller or exporter needs them.
      for (const p of parsed) insPred.run(id, p.model, null, p.score, JSON.stringify(p.document), t);
    }
  })();
  return ids;
}

/** Task data for a media project must point at something to label. */
function checkRow(data: Record<string, unknown>, dataType: DataType): string | null {
  const values = Object.values(data);
  if (values.length === 0) return "task data is empty";
  if (dataType === "text") {
    return values.some((v) => typeof v === "string") ? null : "a text task needs a string field such as \"text\"";
  }
  const key = data[dataType] ?? data.url ?? data.src ?? values.find((v) => typeof v === "string" && /^https?:\/\//i.test(v));
  if (typeof key !== "string") return `a ${dataType} task needs a "${dataType}" field with the media URL`;
  if (!/^(https?:\/\/|\/)/i.test(key)) return `"${dataType}" must be an http(s) URL or a path on this server`;
  return null;
}

/** The `media` object of a native row, read again from its line (parseTaskList keeps only data). */
function nativeMediaAt(text: string[], line: number): Record<string, unknown> | null {
  try {
    const v = JSON.parse((text[line - 1] ?? "").replace(/,\s*$/, "")) as { media?: unknown };
    return v && typeof v.media === "object" && v.media ? (v.media as Record<string, unknown>) : null;
  } catch {
    return null; // a pretty-printed .json spreads a task over lines: no linking then
  }
}

/**
 * A native row exported from this server names its stored media as `/api/v1/media/<id>`: link the
 * new task to that media when the importer may read it (same rule as serving it) and the row's
 * recorded mime type and size agree with it, so the image, audio or video shows in the new project
 * too. Ids alone are not trusted: an export from another server reuses small ids for other files.
 */
function storedMediaOf(actor: Actor, data: Record<string, unknown>, dataType: DataType, rowMedia: Record<string, unknown> | null): Row["media"] {
  if (dataType === "text" || !rowMedia) return undefined;
  const ref = data[dataType];
  const m = typeof ref === "string" ? /^\/api\/v1\/media\/([1-9]\d{0,15})$/.exec(ref) : null;
  if (!m) return undefined;
  try {
    const media = accessMedia(actor, Number(m[1]));
    if (media.kind !== dataType || media.mime !== rowMedia.mime) return undefined;
    if ((media.width ?? undefined) !== rowMedia.width || (media.height ?? undefined) !== rowMedia.height) return undefined;
    if (media.duration !== null && (typeof rowMedia.duration !== "number" || Math.abs(media.duration - rowMedia.duration) > 1e-6)) return undefined;
    // The file name from a task the importer can see (names are user input of that project).
    const f = getDb().get<{ f: string | null }>(actor.user.isAdmin
      ? sql`SELECT file_name AS f FROM tasks WHERE media_id = ${media.id} AND file_name IS NOT NULL ORDER BY id LIMIT 1`
      : sql`SELECT t.file_name AS f FROM tasks t JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = ${actor.user.id}
            WHERE t.media_id = ${media.id} AND t.file_name IS NOT NULL ORDER BY t.id LIMIT 1`);
    return { mediaId: media.id, fileName: f?.f ?? media.sha256 };
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

/** Media for a row by its line, stored before the rows are inserted (native archives with media). */
export type MediaForLine = (line: number) => Promise<NonNullable<Row["media"]> | undefined>;

export async function importTaskList(projectId: number, dataType: DataType, name: string, buf: Buffer, importer?: Importer, mediaFor?: MediaForLine): Promise<ImportResult> {
  const parsed = parseTaskList(buf, name, { field: "files" });
  const failed: ImportFailure[] = parsed.errors.map((e) => ({ file: name, line: e.line, code: "invalid_row", message: e.message }));
  const rows: Row[] = [];
  const lines: number[] = [];
  const cfg = parsed.rows.some((r) => isNativeRow(r.annotations)) ? getLabelConfig(projectId).schema : null;
  const text = cfg && importer && dataType !== "text" ? buf.toString("utf8").split("\n") : [];
  for (const r of parsed.rows) {
    const problem = checkRow(r.data, dataType);
    if (problem) {
      failed.push({ file: name, line: r.line, code: "invalid_row", message: problem });
      continue;
    }
    const row: Row = { data: r.data, predictions: r.predictions };
    if (cfg && isNativeRow(r.annotations)) {
      const c = checkNativeAnnotations(r.annotations, r.data, cfg, dataType);
      if (!c.ok) failed.push({ file: name, line: r.line, code: "invalid_annotation", message: c.message });
      else row.native = c.items;
      if (importer && text.length) row.media = storedMediaOf(importer.actor, r.data, dataType, nativeMediaAt(text, r.line));
    }
    rows.push(row);
    lines.push(r.line);
  }
  if (failed.length) {
    failed.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { created: 0, failed };
  }
  if (parsed.rows.length === 0) return { created: 0, failed: [{ file: name, code: "empty", message: "The task list has no tasks." }] };
  if (mediaFor) {
    for (let i = 0; i < rows.length; i++) {
      const m = await mediaFor(lines[i]!);
      if (m) rows[i] = { ...rows[i]!, data: { ...rows[i]!.data, [dataType]: `/api/v1/media/${m.mediaId}` }, media: m };
    }
  }
  const ids = insertTasks(projectId, rows, undefined, importer);
  const annotations = rows.reduce((n, r) => n + (r.native?.length ?? 0), 0);
  return { created: ids.length, failed: [], taskIds: ids, ...(annotations ? { annotations } : {}) };
}

async function readSmall(file: string, max: number): Promise<Buffer> {
  const st = await fs.promises.stat(file);
  if (st.size > max) throw new ApiError(413, "too_large", `File is larger than ${max} bytes.`, "files");
  return fs.promises.readFile(file);
}

/** Store a staged media file and create its task; the staged file is consumed either way. */
async function importStagedMedia(projectId: number, dataType: DataType, name: string, staged: StagedFile, sniffed: Sniffed): Promise<number> {
  const s = mediaStore();
  try {
    if (dataType === "text") {
      if (sniffed.kind !== "text") throw invalid(`${name} is ${sniffed.mime}; a text project takes text files or task lists.`, "files");
      const decoded = decodeTextFile(await readSmall(staged.path, MAX_TEXT_TASK_BYTES));
      if (!decoded.ok) throw invalid(`${name} is not valid UTF-8 (bad byte at offset ${decoded.offset}). Save it as UTF-8 and import it again.`, "files");
      const text = decoded.text;
      return insertTasks(projectId, [{ data: { text } }], undefined)[0]!;
    }
    const mediaId = await storeMedia(dataType, name, staged, sniffed);
    return insertTasks(projectId, [{ data: { [dataType]: `/api/v1/media/${mediaId}` } }], { mediaId, fileName: name })[0]!;
  } finally {
    await s.discard(staged).catch(() => undefined);
  }
}

/** Stores a staged media file (probed, thumbnailed, deduplicated by content); returns its media id. The caller discards `staged`. */
export async function storeMedia(dataType: DataType, name: string, staged: StagedFile, sniffed: Sniffed): Promise<number> {
  const s = mediaStore();
  if (sniffed.kind !== dataType) {
    throw invalid(`${name} is ${sniffed.kind} (${sniffed.mime}); this project takes ${dataType} files.`, "files");
  }
  const db = getDb();
  let m = db.get<{ id: number }>(sql`SELECT id FROM media WHERE sha256 = ${staged.sha256}`);
  if (!m) {
    const info = await probeMedia(staged.path, sniffed); // refuses bombs and corrupt files
    let thumb = false;
    if (sniffed.kind === "image") {
      await makeThumbnail(staged.path, s.thumbPathOf(staged.sha256));
      thumb = true;
    }
    await s.commit(staged);
    db.run(sql`INSERT INTO media (sha256, mime, kind, size, width, height, duration, has_thumbnail)
      VALUES (${staged.sha256}, ${sniffed.mime}, ${sniffed.kind}, ${staged.size}, ${info.width ?? null},
              ${info.height ?? null}, ${info.duration ?? null}, ${thumb ? 1 : 0})
      ON CONFLICT (sha256) DO NOTHING`);
    m = db.get<{ id: number }>(sql`SELECT id FROM media WHERE sha256 = ${staged.sha256}`)!;
  }
  return m.id;
}

async function importOne(projectId: number, dataType: DataType, src: ImportSource, importer?: Importer): Promise<ImportResult> {
  const name = checkFileName(src.name);
  const s = mediaStore();
  const isList = TASK_LIST_EXT.test(name);
  const maxBytes = isList ? config.maxTaskListBytes : config.maxUploadBytes;
  const source = src.stream ?? fs.createReadStream(src.path!);
  const staged = await s.stage(source, { maxBytes, field: "files" });
  if (/\.zip$/i.test(name)) {
    try {
      const { importNativeArchive } = await import("./import-archive");
      return await importNativeArchive(projectId, dataType, name, staged.path, importer);
    } finally {
      await s.discard(staged).catch(() => undefined);
    }
  }
  if (isList) {
    try {
      if (looksLikeMarkup(staged.head) && !detectTaskListFormat(name, staged.head)) {
        throw new ApiError(415, "unsupported_media_type", `${name} is markup, not a task list.`, "files");
      }
      const buf = await fs.promises.readFile(staged.path);
      return await importTaskList(projectId, dataType, name, buf, importer);
    } finally {
      await s.discard(staged).catch(() => undefined);
    }
  }
  let sniffed: Sniffed;
  try {
    sniffed = sniffAs(staged.head, name, "files");
  } catch (e) {
    await s.discard(staged).catch(() => undefined);
    throw e;
  }
  const id = await importStagedMedia(projectId, dataType, name, staged, sniffed);
  return { created: 1, failed: [], taskIds: [id] };
}

function merge(into: ImportResult, r: ImportResult): void {
  into.created += r.created;
  into.failed.push(...r.failed);
  into.taskIds = [...(into.taskIds ?? []), ...(r.taskIds ?? [])];
  if (r.annotations) into.annotations = (into.annotations ?? 0) + r.annotations;
}

export async function importFiles(
  actor: Actor,
  projectId: number,
  files: ImportSource[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const { project } = accessProject(actor, projectId, "tasks.import");
  const out: ImportResult = { created: 0, failed: [], taskIds: [] };
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    try {
      merge(out, await importOne(projectId, project.dataType, f, { userId: actor.user.id, actor }));
    } catch (e) {
      out.failed.push(failureOf(e, f.name));
    }
    onProgress?.(i + 1, files.length);
  }
  finish(actor, projectId, out, { files: files.length });
  return out;
}

/** A task list sent as a JSON body (array, or {tasks: [...]}). */
export async function importJsonTasks(actor: Actor, projectId: number, body: unknown): Promise<ImportResult> {
  const { project } = accessProject(actor, projectId, "tasks.import");
  const list = Array.isArray(body) ? body : (body as { tasks?: unknown }).tasks;
  if (!Array.isArray(list)) throw invalid("Send a JSON array of tasks, {\"tasks\": [...]}, or {\"urls\": [...]}.", "tasks");
  // One task per line, so "line" in a failure is the task's 1-based position in the array.
  const jsonl = list.map((t) => JSON.stringify(t)).join("\n");
  const out = await importTaskList(project.id, project.dataType, "body.jsonl", Buffer.from(jsonl), { userId: actor.user.id, actor });
  finish(actor, projectId, out, { source: "json" });
  return out;
}

export async function importUrls(actor: Actor, projectId: number, urls: string[]): Promise<ImportResult> {
  const { project } = accessProject(actor, projectId, "tasks.import");
  const out: ImportResult = { created: 0, failed: [], taskIds: [] };
  const s = mediaStore();
  for (const url of urls) {
    try {
      const staged = await fetchUrlToFile(url, {
        maxBytes: config.maxUploadBytes,
        timeoutMs: config.urlFetchTimeoutMs,
        allowlist: config.urlAllowlist,
        destDir: s.tmpDir,
        field: "url",
      });
      let name: string;
      try {
        name = checkFileName(decodeURIComponent(new URL(staged.finalUrl).pathname.split("/").pop() || "download"));
      } catch {
        name = "download";
      }
      let sniffed: Sniffed;
      try {
        // The server's Content-Type is a claim like a file name: the bytes must agree with it.
        sniffed = sniffAs(staged.head, staged.contentType || name, "url");
      } catch (e) {
        await s.discard(staged).catch(() => undefined);
        throw e;
      }
      const id = await importStagedMedia(project.id, project.dataType, name, staged, sniffed);
      merge(out, { created: 1, failed: [], taskIds: [id] });
    } catch (e) {
      out.failed.push(failureOf(e, url));
    }
  }
  finish(actor, projectId, out, { urls: urls.length });
  return out;
}

function finish(actor: Actor, projectId: number, r: ImportResult, details: Record<string, unknown>): void {
  if (r.created) audit({ userId: actor.user.id, projectId, action: "tasks.import", details: { ...details, created: r.created, failed: r.failed.length } });
}


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
import { checkFit, exportZip, ExportError } from "../exporters";
import type { ExportAnnotation, ExportItem, ExportMedia, ExportSource, Split } from "../exporters/types";
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

/**
 * The exporters' item model for a version: the frozen revisions (read from annotation_revisions,
 * never the live annotation), media from the content-addressed store, in task-id order.
 */
export function exportSource(version: DatasetVersion, pageSize = EXPORT_PAGE): ExportSource {
  const db = getDb();
  const project = db.get<{ id: number; name: string; data_type: ExportSource["dataType"] }>(sql`SELECT id, name, data_type FROM projects WHERE id = ${version.projectId}`)!;
  const { schema } = getLabelConfig(version.projectId, version.schemaVersion);
  const store = mediaFiles();

  function* itemsBetween(first: number, last: number): Iterable<ExportItem> {
    const rows = db.all<{
      task_id: number; data: string; file_name: string | null; split: Split | null; annotation_id: number; revision: number;
      document: string; status: string; user_id: number | null; email: string | null; created_at: number;
      media_id: number | null; sha256: string | null; mime: string | null; width: number | null; height: number | null; duration: number | null;
    }>(sql`
      SELECT i.task_id, t.data, t.file_name, i.split, i.annotation_id, i.revision, r.document, r.status,
             a.user_id, u.email, r.created_at, m.id AS media_id, m.sha256, m.mime, m.width, m.height, m.duration
      FROM dataset_version_items i
      JOIN tasks t ON t.id = i.task_id
      JOIN annotations a ON a.id = i.annotation_id
      JOIN annotation_revisions r ON r.annotation_id = i.annotation_id AND r.revision = i.revision
      LEFT JOIN users u ON u.id = a.user_id
      LEFT JOIN media m ON m.id = t.media_id
      WHERE i.version_id = ${version.id} AND i.task_id BETWEEN ${first} AND ${last}
      ORDER BY i.task_id, i.annotation_id`);
    let cur: ExportItem | null = null;
    for (const r of rows) {
      if (!cur || cur.taskId !== r.task_id) {
        if (cur) yield cur;
        const data = JSON.parse(r.data) as Record<string, unknown>;
        let m: ExportMedia | null = null;
        if (r.sha256) {
          const sha = r.sha256;
          m = {
            fileName: r.file_name || sha, url: `/api/v1/media/${r.media_id}`, mime: r.mime ?? undefined,
            width: r.width ?? undefined, height: r.height ?? undefined, duration: r.duration ?? undefined,
            open: () => store.createReadStream(sha),
          };
        } else if (project.data_type !== "text") {
          m = urlMedia(data);
        }
        cur = { taskId: r.task_id, split: r.split, media: m, data, annotations: [] };
        if (project.data_type === "text") cur.text = taskText(data) ?? "";
      }
      const ann: ExportAnnotation = {
        id: r.annotation_id, userId: r.user_id ?? "", annotator: r.email ?? "", revision: r.revision, status: r.status,
        document: JSON.parse(r.document) as AnnotationDocument, updatedAt: new Date(r.created_at).toISOString(),
      };
      cur.annotations.push(ann);
    }
    if (cur) yield cur;
  }

  return {
    dataType: project.data_type,
    schema,
    project: { id: project.id, name: project.name },
    version: { number: version.number, name: version.name, createdAt: new Date(version.createdAt).toISOString() },
    // Keyset pages of EXPORT_PAGE tasks: memory stays bounded and no statement stays open across
    // the archive writer's awaits (better-sqlite3 refuses other queries while one iterates).
    *items(): Iterable<ExportItem> {
      let after = 0;
      for (;;) {
        const page = db.all<{ task_id: number }>(sql`
          SELECT DISTINCT task_id FROM dataset_version_items WHERE version_id = ${version.id} AND task_id > ${after}
          ORDER BY task_id LIMIT ${pageSize}`);
        if (page.length === 0) return;
        const last = page[page.length - 1]!.task_id;
        yield* itemsBetween(page[0]!.task_id, last);
        after = last;
      }
    },
  };
}

export function exportsDir(): string {
  return path.join(config.dataDir, "exports");
}

/** Cached archive path for a version, format and media mode. */
export function exportCachePath(versionId: number, format: string, mediaMode: string): string {
  return path.join(exportsDir(), `${versionId}-${format}-${mediaMode}.zip`);
}

/** Writes the chunks to a temp file beside `dest`, then renames it into place; a failure leaves nothing. */
export async function writeAtomically(dest: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    for await (const c of chunks) fs.writeSync(fd, c);
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

/**
 * The archive of version `v` in `format`: 422 when the format is unknown or does not fit (with the
 * exporter's explanation), built into the cache on first use, then reused.
 */
export async function versionArchive(actor: Actor, projectId: number, v: string, format: string, mediaMode: string): Promise<VersionArchive> {
  const version = resolveVersion(actor, projectId, v);
  if (!format) throw invalid("format: required", "format");
  if (mediaMode !== "url" && mediaMode !== "include") throw invalid('media: must be "url" or "include"', "media");
  const dataType = getDb().get<{ t: ExportSource["dataType"] }>(sql`SELECT data_type AS t FROM projects WHERE id = ${version.projectId}`)!.t;
  const { schema } = getLabelConfig(version.projectId, version.schemaVersion);
  const fit = checkFit(format, schema, dataType, { media: mediaMode });
  if (!fit.ok) throw invalid(`format: ${fit.message}`, "format", "format_does_not_fit");
  const file = exportCachePath(version.id, format, mediaMode);
  if (!fs.existsSync(file)) {
    try {
      await writeAtomically(file, exportZip(format, exportSource(version), { media: mediaMode }));
    } catch (e) {
      // The format decided mid-stream that it cannot carry the data: nothing was kept.
      if (e instanceof ExportError) throw invalid(`format: ${e.message}`, "format", e.code);
      throw e;
    }
  }
  return {
    file,
    etag: `${version.manifestSha256.slice(0, 32)}-${format}-${mediaMode}`,
    downloadName: `project-${version.projectId}-v${version.number}-${format}.zip`,
  };
}

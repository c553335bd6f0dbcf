// Importing a whole native export archive (`format=native`, a .zip): its tasks.jsonl with the
// annotations, and, when the export included media, the media files themselves, stored like any
// upload (sniffed, probed, thumbnailed, deduplicated). The archive is unpacked by the strict reader
// (lib/archive/unzip.ts) into a private temp directory, so no entry name can reach anything else.
import fs from "node:fs";
import path from "node:path";
import { unzipTo, UnzipError } from "../archive/unzip";
import { NATIVE_FORMAT } from "../exporters/native";
import { sniffAs } from "../storage/sniff";
import { config } from "../config";
import { ApiError, invalid } from "./errors";
import { importTaskList, mediaStore, storeMedia, type Importer, type ImportResult, type MediaForLine } from "./import";
import type { DataType } from "../labeling-config/schema";

export async function importNativeArchive(projectId: number, dataType: DataType, name: string, zipPath: string, importer?: Importer): Promise<ImportResult> {
  const s = mediaStore();
  fs.mkdirSync(s.tmpDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(s.tmpDir, "archive-"));
  try {
    try {
      await unzipTo(zipPath, dir, undefined, { maxTotalBytes: config.maxUploadBytes + config.maxTaskListBytes });
    } catch (e) {
      if (e instanceof UnzipError && e.code === "too_large") throw new ApiError(413, "too_large", `${name}: ${e.message}`, "files");
      if (e instanceof UnzipError) throw invalid(`${name}: ${e.message}`, "files", "invalid_archive");
      throw e;
    }
    let manifest: { format?: unknown; data_type?: unknown; tasks?: unknown };
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    } catch {
      throw invalid(`${name}: a .zip must be a Loupe native export (manifest.json missing or not JSON)`, "files", "invalid_archive");
    }
    if (manifest.format !== NATIVE_FORMAT) throw invalid(`${name}: a .zip must be a Loupe native export (manifest.json format "${NATIVE_FORMAT}")`, "files", "invalid_archive");
    if (manifest.data_type !== dataType) throw invalid(`${name}: the export holds ${String(manifest.data_type)} tasks; this project takes ${dataType}`, "files", "invalid_archive");
    const tasksName = manifest.tasks === "tasks.json" ? "tasks.json" : "tasks.jsonl";
    const tasksFile = path.join(dir, tasksName);
    if (!fs.existsSync(tasksFile)) throw invalid(`${name}: ${tasksName} is missing`, "files", "invalid_archive");
    if (fs.statSync(tasksFile).size > config.maxTaskListBytes) {
      throw new ApiError(413, "too_large", `${name}: ${tasksName} is larger than ${config.maxTaskListBytes} bytes`, "files");
    }
    const buf = fs.readFileSync(tasksFile);

    // media.path of each row by its line: the exporter writes one task per line in both layouts
    // (tasks.json is "[", then one element per line with a trailing comma, then "]").
    const pathByLine = new Map<number, { rel: string; fileName: string }>();
    const rowsRaw = buf.toString("utf8").split("\n").map((l) => safeJson(l.replace(/,\s*$/, "")));
    rowsRaw.forEach((r, i) => {
      const m = (r as { media?: { path?: unknown; file_name?: unknown } } | null)?.media;
      if (m && typeof m.path === "string") pathByLine.set(i + 1, { rel: m.path, fileName: typeof m.file_name === "string" ? m.file_name : path.posix.basename(m.path) });
    });
    const root = path.resolve(dir);
    const mediaFor: MediaForLine = async (line) => {
      const p = pathByLine.get(line);
      if (!p) return undefined;
      const file = path.resolve(root, ...p.rel.split("/"));
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) throw invalid(`${name}: line ${line}: ${p.rel} is not in the archive`, "files", "invalid_archive");
      const staged = await s.stage(fs.createReadStream(file), { maxBytes: config.maxUploadBytes, field: "files" });
      try {
        const mediaId = await storeMedia(dataType, p.fileName, staged, sniffAs(staged.head, p.fileName, "files"));
        return { mediaId, fileName: p.fileName.slice(0, 255) };
      } finally {
        await s.discard(staged).catch(() => undefined);
      }
    };
    return await importTaskList(projectId, dataType, `${name}/${tasksName}`, buf, importer, dataType === "text" ? undefined : mediaFor);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function safeJson(line: string): unknown {
  try {
    return line.trim() ? JSON.parse(line) : null;
  } catch {
    return null;
  }
}

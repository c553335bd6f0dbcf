// A version's archive: built once per (version, format, media) into the data dir, then served
// from there with Range and an ETag. The build writes a temp file and renames it into place.
import fs from "node:fs";
import { api, idOf } from "@/lib/http/route";
import { fileResponse } from "@/lib/http/file-response";
import { exportCachePath, exportSource, resolveVersion, writeAtomically } from "@/lib/server/datasets";
import { getLabelConfig } from "@/lib/server/projects";
import { invalid } from "@/lib/server/errors";
import { checkFit, exportZip, ExportError } from "@/lib/exporters";
import { getDb } from "@/lib/db/client";
import { sql } from "drizzle-orm";

export const GET = api<{ id: string; v: string }>(async ({ req, params, actor }) => {
  const version = resolveVersion(actor, idOf(params.id, "Project"), String(params.v));
  const format = req.nextUrl.searchParams.get("format") ?? "";
  if (!format) throw invalid("format: required", "format");
  const mediaMode = req.nextUrl.searchParams.get("media") ?? "url";
  if (mediaMode !== "url" && mediaMode !== "include") throw invalid('media: must be "url" or "include"', "media");
  const dataType = getDb().get<{ t: Parameters<typeof checkFit>[2] }>(sql`SELECT data_type AS t FROM projects WHERE id = ${version.projectId}`)!.t;
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
  const etag = `${version.manifestSha256.slice(0, 32)}-${format}-${mediaMode}`;
  const name = `project-${version.projectId}-v${version.number}-${format}.zip`;
  const res = fileResponse(req, file, "application/zip", etag, name);
  res.headers.set("Content-Disposition", `attachment; filename="${name}"`);
  return res;
});

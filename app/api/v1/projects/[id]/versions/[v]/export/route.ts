// A version's archive, built once per (version, format, media, predictions) and then served from the cache
// with Range, ETag and 304 (see lib/server/dataset-export.ts).
import { api, idOf } from "@/lib/http/route";
import { fileResponse } from "@/lib/http/file-response";
import { versionArchive } from "@/lib/server/dataset-export";
import { archiveSha256, reprDigest } from "@/lib/server/archive-digest";

export const GET = api<{ id: string; v: string }>(async ({ req, params, actor }) => {
  const q = req.nextUrl.searchParams;
  const a = await versionArchive(actor, idOf(params.id, "Project"), String(params.v), q.get("format") ?? "", q.get("media") ?? "url", q.get("predictions") ?? "exclude");
  const res = fileResponse(req, a.file, "application/zip", a.etag, a.downloadName);
  res.headers.set("Content-Disposition", `attachment; filename="${a.downloadName}"`);
  res.headers.set("Repr-Digest", reprDigest(await archiveSha256(a.file))); // the whole archive, also on 206 (loupe pull verifies it)
  return res;
});

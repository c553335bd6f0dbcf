import { api, idOf } from "@/lib/http/route";
import { accessMedia, fileExists, mediaFiles } from "@/lib/server/media";
import { fileResponse } from "@/lib/http/file-response";
import { notFound } from "@/lib/server/errors";

export const GET = api<{ id: string }>(({ req, params, actor }) => {
  const m = accessMedia(actor, idOf(params.id, "Media"));
  const file = mediaFiles().thumbPathOf(m.sha256);
  if (!m.hasThumbnail || !fileExists(file)) throw notFound("Thumbnail");
  return fileResponse(req, file, "image/webp", `${m.sha256}-t`, `thumb-${m.id}.webp`);
});

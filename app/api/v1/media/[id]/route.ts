import { api, idOf } from "@/lib/http/route";
import { accessMedia, mediaFiles } from "@/lib/server/media";
import { fileResponse } from "@/lib/http/file-response";

export const GET = api<{ id: string }>(({ req, params, actor }) => {
  const m = accessMedia(actor, idOf(params.id, "Media"));
  return fileResponse(req, mediaFiles().pathOf(m.sha256), m.mime, m.sha256, `media-${m.id}`);
});

import { api, idOf } from "@/lib/http/route";
import { uploadModelFile } from "@/lib/server/models";

type P = { id: string };

/**
 * Managers: the raw file as the body (application/octet-stream), `?kind=model|tokenizer|config`.
 * Streamed to disk under the cap (413), checked (422), stored; 201 {uploadId, sha256, size, signature?, prefill?}.
 */
export const POST = api<P>(async ({ req, params, actor }) => {
  const len = req.headers.get("content-length");
  return uploadModelFile(actor, idOf(params.id, "Project"), req.nextUrl.searchParams.get("kind"), req.body, len !== null && /^\d+$/.test(len) ? Number(len) : null);
});

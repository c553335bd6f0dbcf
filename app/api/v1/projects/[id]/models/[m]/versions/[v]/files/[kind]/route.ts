import { api, idOf } from "@/lib/http/route";
import { fileResponse } from "@/lib/http/file-response";
import { modelFile } from "@/lib/server/models";

type P = { id: string; m: string; v: string; kind: string };

/** Any member: a version's file (immutable: ETag = sha256, cached for a year). */
export const GET = api<P>(({ req, params, actor }) => {
  const f = modelFile(actor, idOf(params.id, "Project"), idOf(params.m, "Model"), idOf(params.v, "Model version"), params.kind);
  const mime = params.kind === "model" ? "application/octet-stream" : "application/json";
  return fileResponse(req, f.path, mime, f.sha256, f.name, { attachment: true });
});

import { api, idOf } from "@/lib/http/route";
import { diffVersions } from "@/lib/server/version-diff";

// ?against=<number|latest> (default: the version's parent).
export const GET = api<{ id: string; v: string }>(({ req, params, actor }) =>
  diffVersions(actor, idOf(params.id, "Project"), String(params.v), req.nextUrl.searchParams.get("against")),
);

import { api, idOf } from "@/lib/http/route";
import { deleteBuild, getBuild } from "@/lib/server/version-builds";

export const GET = api<{ id: string; b: string }>(({ params, actor }) => getBuild(actor, idOf(params.id, "Project"), String(params.b)));

// Dismiss a failed build or cancel a queued one (204); a running build is 409.
export const DELETE = api<{ id: string; b: string }>(({ params, actor }) => {
  deleteBuild(actor, idOf(params.id, "Project"), String(params.b));
});

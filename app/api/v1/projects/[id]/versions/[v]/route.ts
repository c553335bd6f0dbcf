import { api, idOf } from "@/lib/http/route";
import { getVersion } from "@/lib/server/datasets";

export const GET = api<{ id: string; v: string }>(({ params, actor }) => getVersion(actor, idOf(params.id, "Project"), String(params.v)));

import { api, idOf } from "@/lib/http/route";
import { listBuilds } from "@/lib/server/version-builds";

// Recent builds of the project (queued, running, failed with their error, done), newest first.
export const GET = api<{ id: string }>(({ params, actor }) => {
  const items = listBuilds(actor, idOf(params.id, "Project"));
  return { items, total: items.length };
});

import { api, idOf } from "@/lib/http/route";
import { listRevisions } from "@/lib/server/annotations";

export const GET = api<{ id: string }>(({ params, actor }) => {
  const items = listRevisions(actor, idOf(params.id, "Annotation"));
  return { items, total: items.length };
});

import { api, idOf } from "@/lib/http/route";
import { nextTask } from "@/lib/server/tasks";

/** POST: reserve the next task for the caller (a lock with the project's TTL). */
export const POST = api<{ id: string }>(({ params, actor }) => {
  const r = nextTask(actor, idOf(params.id, "Project"));
  return Response.json(r, { status: 200 });
});

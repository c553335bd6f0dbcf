import { api, idOf } from "@/lib/http/route";
import { listTasks } from "@/lib/server/tasks";

export const GET = api<{ id: string }>(({ req, params, actor }) =>
  listTasks(actor, idOf(params.id, "Project"), Object.fromEntries(req.nextUrl.searchParams)),
);

import { api, idOf } from "@/lib/http/route";
import { deleteTask, getTask } from "@/lib/server/tasks";

type P = { id: string };
export const GET = api<P>(({ params, actor }) => getTask(actor, idOf(params.id, "Task")));
export const DELETE = api<P>(({ params, actor }) => {
  deleteTask(actor, idOf(params.id, "Task"));
});

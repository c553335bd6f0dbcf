import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { assignTasks } from "@/lib/server/tasks";

export const POST = api<{ id: string }>(async ({ req, params, actor }) => {
  const r = assignTasks(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown()));
  return Response.json(r, { status: 200 });
});

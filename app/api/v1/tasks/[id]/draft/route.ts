import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { getDraft, putDraft } from "@/lib/server/annotations";

type P = { id: string };
export const GET = api<P>(({ params, actor }) => ({ draft: getDraft(actor, idOf(params.id, "Task")) }));
export const PUT = api<P>(async ({ req, params, actor }) =>
  putDraft(actor, idOf(params.id, "Task"), await jsonBody(req, z.unknown())),
);

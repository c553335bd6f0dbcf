import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { createPrediction, listPredictions } from "@/lib/server/annotations";

type P = { id: string };
export const GET = api<P>(({ params, actor }) => {
  const items = listPredictions(actor, idOf(params.id, "Task"));
  return { items, total: items.length };
});
export const POST = api<P>(async ({ req, params, actor }) =>
  createPrediction(actor, idOf(params.id, "Task"), await jsonBody(req, z.unknown())),
);

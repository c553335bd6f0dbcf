import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { createWebhook, listWebhooks } from "@/lib/server/webhooks";

type P = { id: string };

export const GET = api<P>(({ params, actor }) => {
  const items = listWebhooks(actor, idOf(params.id, "Project"));
  return { items, total: items.length };
});

/** 201 with the full `secret`: the only time it is returned. */
export const POST = api<P>(async ({ req, params, actor }) =>
  createWebhook(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown(), 64 * 1024)),
);

import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/server/webhooks";

type P = { id: string; w: string };

export const GET = api<P>(({ params, actor }) => getWebhook(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook")));

export const PATCH = api<P>(async ({ req, params, actor }) =>
  updateWebhook(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook"), await jsonBody(req, z.unknown(), 64 * 1024)),
);

export const DELETE = api<P>(({ params, actor }) => {
  deleteWebhook(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook"));
});

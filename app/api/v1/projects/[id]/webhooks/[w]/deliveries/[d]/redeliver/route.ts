import { api, idOf } from "@/lib/http/route";
import { redeliver } from "@/lib/server/webhooks";

/** 201 with the new delivery (same payload, new id); it is sent in the background. */
export const POST = api<{ id: string; w: string; d: string }>(({ params, actor }) =>
  redeliver(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook"), idOf(params.d, "Delivery")),
);

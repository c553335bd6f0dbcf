import { api, idOf } from "@/lib/http/route";
import { getDelivery } from "@/lib/server/webhooks";

export const GET = api<{ id: string; w: string; d: string }>(({ params, actor }) =>
  getDelivery(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook"), idOf(params.d, "Delivery")),
);

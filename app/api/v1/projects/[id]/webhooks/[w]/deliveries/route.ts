import { api, idOf, pageParams } from "@/lib/http/route";
import { listDeliveries } from "@/lib/server/webhooks";

// Newest first, paginated (?page=&limit=, limit <= 100).
export const GET = api<{ id: string; w: string }>(({ req, params, actor }) =>
  listDeliveries(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook"), pageParams(req.nextUrl, 100)),
);

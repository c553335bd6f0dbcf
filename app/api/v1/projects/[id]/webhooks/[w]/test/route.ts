import { api, idOf } from "@/lib/http/route";
import { sendTestPing } from "@/lib/server/webhooks";

/** 201 with the queued "ping" delivery; poll the deliveries list for its outcome. */
export const POST = api<{ id: string; w: string }>(({ params, actor }) =>
  sendTestPing(actor, idOf(params.id, "Project"), idOf(params.w, "Webhook")),
);

import { api, idOf } from "@/lib/http/route";
import { revokeToken } from "@/lib/server/tokens";

export const DELETE = api<{ id: string }>(({ params, actor }) => {
  revokeToken(actor.user.id, idOf(params.id, "Token"));
});

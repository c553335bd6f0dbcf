import { api, idOf } from "@/lib/http/route";
import { removeMember } from "@/lib/server/projects";

export const DELETE = api<{ id: string; userId: string }>(({ params, actor }) => {
  removeMember(actor, idOf(params.id, "Project"), idOf(params.userId, "Member"));
});

import { z } from "zod";
import { api, jsonBody } from "@/lib/http/route";
import { createToken, listTokens } from "@/lib/server/tokens";
import { accessProject } from "@/lib/server/access";
import { forbidden } from "@/lib/server/errors";

export const GET = api(({ actor }) => ({ items: listTokens(actor.user.id) }));

export const POST = api(async ({ req, actor }) => {
  // Tokens mint tokens only from a session: a leaked token cannot breed more.
  if (actor.via !== "session") throw forbidden("Create API tokens from a signed-in session.");
  const body = await jsonBody(req, z.object({ projectId: z.number().int().positive().optional() }).passthrough());
  if (body.projectId) accessProject(actor, body.projectId, "project.read");
  return createToken(actor.user.id, body);
});

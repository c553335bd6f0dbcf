import { z } from "zod";
import { api, jsonBody, pageParams } from "@/lib/http/route";
import { createUser, listUsers } from "@/lib/server/users";
import { forbidden } from "@/lib/server/errors";

export const GET = api(({ req, actor }) => {
  if (!actor.user.isAdmin) throw forbidden("Only admins can list users.");
  return listUsers({ ...pageParams(req.nextUrl), q: req.nextUrl.searchParams.get("q") ?? undefined });
});

export const POST = api(async ({ req, actor }) => {
  if (!actor.user.isAdmin) throw forbidden("Only admins can create users.");
  return createUser(await jsonBody(req, z.unknown()), actor.user.id);
});

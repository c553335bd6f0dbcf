import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { getUserById, toPublic, updateUser } from "@/lib/server/users";
import { forbidden, notFound } from "@/lib/server/errors";

export const GET = api<{ id: string }>(({ params, actor }) => {
  const id = idOf(params.id, "User");
  if (!actor.user.isAdmin && actor.user.id !== id) throw notFound("User");
  const u = getUserById(id);
  if (!u) throw notFound("User");
  return toPublic(u);
});

export const PATCH = api<{ id: string }>(async ({ req, params, actor }) => {
  if (!actor.user.isAdmin) throw forbidden("Only admins can change users.");
  return updateUser(idOf(params.id, "User"), await jsonBody(req, z.unknown()), actor.user.id);
});

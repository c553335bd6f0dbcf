import { z } from "zod";
import { api, jsonBody, pageParams } from "@/lib/http/route";
import { createProject, listProjects } from "@/lib/server/projects";
import { forbidden } from "@/lib/server/errors";

export const GET = api(({ req, actor }) => listProjects(actor, pageParams(req.nextUrl)));

export const POST = api(async ({ req, actor }) => {
  if (actor.tokenProjectId !== null) throw forbidden("A project-scoped token cannot create projects.");
  return createProject(actor, await jsonBody(req, z.unknown()));
});

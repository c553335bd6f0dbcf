import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { accessProject } from "@/lib/server/access";
import { getLabelConfig, putLabelConfig } from "@/lib/server/projects";

type P = { id: string };

export const GET = api<P>(({ req, params, actor }) => {
  const { project } = accessProject(actor, idOf(params.id, "Project"), "project.read");
  const v = Number(req.nextUrl.searchParams.get("version")) || undefined;
  return getLabelConfig(project.id, v);
});

export const PUT = api<P>(async ({ req, params, actor }) =>
  putLabelConfig(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown())),
);

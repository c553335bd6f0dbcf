import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { accessProject } from "@/lib/server/access";
import { deleteProject, getLabelConfig, updateProject } from "@/lib/server/projects";

type P = { id: string };

export const GET = api<P>(({ params, actor }) => {
  const { project, role } = accessProject(actor, idOf(params.id, "Project"), "project.read");
  return { ...project, role, schema: getLabelConfig(project.id).schema };
});

export const PATCH = api<P>(async ({ req, params, actor }) =>
  updateProject(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown())),
);

export const DELETE = api<P>(({ params, actor }) => {
  deleteProject(actor, idOf(params.id, "Project"));
});

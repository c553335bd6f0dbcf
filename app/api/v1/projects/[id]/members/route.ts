import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { accessProject } from "@/lib/server/access";
import { addMember, listMembers, removeMember } from "@/lib/server/projects";

type P = { id: string };

export const GET = api<P>(({ params, actor }) => {
  const { project } = accessProject(actor, idOf(params.id, "Project"), "members.read");
  const items = listMembers(project.id);
  return { items, total: items.length };
});

export const POST = api<P>(async ({ req, params, actor }) =>
  addMember(actor, idOf(params.id, "Project"), await jsonBody(req, z.unknown())),
);

/** DELETE with a body {userId} (the contract's form); /members/:userId works too. */
export const DELETE = api<P>(async ({ req, params, actor }) => {
  const body = await jsonBody(req, z.object({ userId: z.number().int().positive() }));
  removeMember(actor, idOf(params.id, "Project"), body.userId);
});

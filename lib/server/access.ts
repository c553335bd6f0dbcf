// Every project-scoped query starts here: the caller's role decides what they see.
// Non-members get 404 (ids cannot be enumerated); members lacking the right get 403.
import { and, eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { projects, projectMembers, type Project, type Role } from "../db/schema";
import { can, type Action } from "../auth/permissions";
import { forbidden, notFound } from "./errors";
import type { Actor } from "../auth/actor";

export interface ProjectAccess {
  project: Project;
  role: Role | null;
  isAdmin: boolean;
  can: (a: Action) => boolean;
}

export function roleIn(projectId: number, userId: number): Role | null {
  const m = getDb()
    .select({ role: projectMembers.role })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
    .get();
  return m?.role ?? null;
}

export function accessProject(actor: Actor, projectId: number, action: Action): ProjectAccess {
  if (actor.tokenProjectId !== null && actor.tokenProjectId !== projectId) throw notFound("Project");
  const project = getDb().select().from(projects).where(eq(projects.id, projectId)).get();
  if (!project) throw notFound("Project");
  const role = roleIn(projectId, actor.user.id);
  const p = { isAdmin: actor.user.isAdmin, role };
  if (!p.isAdmin && !role) throw notFound("Project");
  if (!can(p, action)) throw forbidden();
  return { project, role, isAdmin: p.isAdmin, can: (a) => can(p, a) };
}

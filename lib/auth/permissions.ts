// Who may do what in a project. Pure: callers pass the user's role (or null for non-members).
import type { Role } from "../db/schema";

export type Action =
  | "project.read"
  | "project.update"
  | "project.delete"
  | "members.read"
  | "members.manage"
  | "tasks.import"
  | "tasks.delete"
  | "tasks.assign"
  | "tasks.readAll"
  | "tasks.label"
  | "annotations.readAll"
  | "annotations.review"
  | "versions.read"
  | "versions.create"
  | "webhooks.manage";

const ALLOWED: Record<Role, ReadonlySet<Action>> = {
  manager: new Set<Action>([
    "project.read", "project.update", "project.delete", "members.read", "members.manage",
    "tasks.import", "tasks.delete", "tasks.assign", "tasks.readAll", "tasks.label",
    "annotations.readAll", "annotations.review", "versions.read", "versions.create", "webhooks.manage",
  ]),
  reviewer: new Set<Action>([
    "project.read", "members.read", "tasks.readAll", "tasks.label", "annotations.readAll",
    "annotations.review", "versions.read",
  ]),
  annotator: new Set<Action>(["project.read", "tasks.label"]),
};

export interface Principal {
  isAdmin: boolean;
  /** The role in the project at hand, or null when not a member. */
  role: Role | null;
}

export function can(p: Principal, action: Action): boolean {
  if (p.isAdmin) return true;
  if (!p.role) return false;
  return ALLOWED[p.role].has(action);
}

export const ROLES: readonly Role[] = ["manager", "reviewer", "annotator"];

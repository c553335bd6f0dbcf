// View-only helpers shared by server pages: who is signed in, and what they may see of a project.
// Memoised per request with React's cache(), so a layout and its page do the lookup once.
import { cache } from "react";
import { redirect, notFound } from "next/navigation";
import { sessionActor, type Actor } from "@/lib/auth/actor";
import { accessProject, type ProjectAccess } from "@/lib/server/access";
import { ApiError } from "@/lib/server/errors";
import type { Action } from "@/lib/auth/permissions";

export const currentActor = cache(sessionActor);

/** The signed-in actor, or a redirect to /login that comes back to `path` afterwards. */
export async function requireActor(path: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return actor;
}

/** A numeric id from a route segment; anything else is a 404. */
export function idFrom(raw: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) notFound();
  return Number(raw);
}

const readProject = cache((actor: Actor, id: number): ProjectAccess | "notfound" => {
  try {
    return accessProject(actor, id, "project.read");
  } catch (e) {
    if (e instanceof ApiError) return "notfound";
    throw e;
  }
});

export type Gate = { ok: true; access: ProjectAccess } | { ok: false; access: ProjectAccess };

/**
 * The project for this page: 404 for non-members (ids are not enumerable), and
 * `ok: false` when the member's role lacks `action`, so the page can render a 403 message.
 */
export async function projectGate(path: string, rawId: string, action: Action = "project.read"): Promise<Gate & { actor: Actor }> {
  const actor = await requireActor(path);
  const access = readProject(actor, idFrom(rawId));
  if (access === "notfound") notFound();
  return { ok: access.can(action), access, actor };
}

/** Runs a service call; its 404 becomes the not-found page, other ApiErrors are rethrown. */
export function or404<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) notFound();
    throw e;
  }
}

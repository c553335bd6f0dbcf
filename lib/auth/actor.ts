// Who is calling: a signed-in user (session cookie) or an API token (Bearer).
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import { lookupToken } from "../server/tokens";
import { getUserById } from "../server/users";
import type { User } from "../db/schema";

export interface Actor {
  user: User;
  via: "session" | "token";
  /** Set for project-scoped tokens: the only project this caller may touch. */
  tokenProjectId: number | null;
  readOnly: boolean;
}

export async function actorFromRequest(req: Request): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return null;
    const tok = lookupToken(m[1]!);
    if (!tok) return null;
    const user = getUserById(tok.userId);
    if (!user || user.disabled) return null;
    return { user, via: "token", tokenProjectId: tok.projectId, readOnly: tok.readOnly };
  }
  return sessionActor();
}

/** The signed-in user for server components and session-only routes. */
export async function sessionActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: number } | null;
  if (!session?.uid) return null;
  const user = getUserById(session.uid);
  if (!user || user.disabled) return null;
  return { user, via: "session", tokenProjectId: null, readOnly: false };
}

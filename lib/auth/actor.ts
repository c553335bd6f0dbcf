// Who is calling: a signed-in user (session cookie) or an API token (Bearer).
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { authOptions } from "./options";
import { authSecret } from "./secret";
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
  // Read the session cookie from the request itself (works in route handlers and tests alike).
  const jwt = await getToken({ req: req as unknown as Parameters<typeof getToken>[0]["req"], secret: authSecret() });
  return userActor(typeof jwt?.uid === "number" ? jwt.uid : undefined);
}

function userActor(uid: number | undefined): Actor | null {
  if (!uid) return null;
  const user = getUserById(uid);
  if (!user || user.disabled) return null;
  return { user, via: "session", tokenProjectId: null, readOnly: false };
}

/** The signed-in user for server components and session-only routes. */
export async function sessionActor(): Promise<Actor | null> {
  const session = (await getServerSession(authOptions())) as { uid?: number } | null;
  return userActor(session?.uid);
}

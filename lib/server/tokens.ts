// API tokens: random secrets shown once; only their sha256 is stored.
import crypto from "node:crypto";
import { z } from "zod";
import { and, eq, isNull, desc } from "drizzle-orm";
import { getDb } from "../db/client";
import { apiTokens, projects } from "../db/schema";
import { notFound } from "./errors";
import { parseOr422 } from "../validation";
import { audit } from "./audit";

const PREFIX = "loupe_";

export const hashToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export const newTokenInput = z.object({
  name: z.string().trim().max(100).optional(),
  projectId: z.number().int().positive().optional(),
  readOnly: z.boolean().optional(),
});

export interface TokenInfo {
  id: number;
  name: string;
  prefix: string;
  projectId: number | null;
  readOnly: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export function createToken(userId: number, input: unknown): { token: string; info: TokenInfo } {
  const v = parseOr422(newTokenInput, input);
  const db = getDb();
  if (v.projectId && !db.select({ id: projects.id }).from(projects).where(eq(projects.id, v.projectId)).get()) {
    throw notFound("Project");
  }
  const token = PREFIX + crypto.randomBytes(32).toString("base64url");
  const row = db
    .insert(apiTokens)
    .values({
      userId,
      name: v.name ?? "",
      tokenHash: hashToken(token),
      prefix: token.slice(0, PREFIX.length + 6),
      projectId: v.projectId ?? null,
      readOnly: !!v.readOnly,
    })
    .returning()
    .get();
  audit({ userId, action: "token.create", targetType: "token", targetId: row.id, projectId: v.projectId ?? null });
  return { token, info: info(row) };
}

function info(r: typeof apiTokens.$inferSelect): TokenInfo {
  return {
    id: r.id, name: r.name, prefix: r.prefix, projectId: r.projectId, readOnly: r.readOnly,
    createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt,
  };
}

export function listTokens(userId: number): TokenInfo[] {
  return getDb().select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.id)).all().map(info);
}

export function revokeToken(userId: number, id: number): void {
  const r = getDb()
    .update(apiTokens)
    .set({ revokedAt: Date.now() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .run();
  if (r.changes === 0) throw notFound("Token");
  audit({ userId, action: "token.revoke", targetType: "token", targetId: id });
}

/** The live token row for a presented secret, or undefined. Touches last_used_at (at most once a minute). */
export function lookupToken(token: string) {
  if (!token.startsWith(PREFIX)) return undefined;
  const db = getDb();
  const row = db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(token))).get();
  if (!row || row.revokedAt) return undefined;
  const t = Date.now();
  if (!row.lastUsedAt || t - row.lastUsedAt > 60_000) {
    db.update(apiTokens).set({ lastUsedAt: t }).where(eq(apiTokens.id, row.id)).run();
  }
  return row;
}

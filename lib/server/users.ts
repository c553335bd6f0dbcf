import { z } from "zod";
import { eq, sql, asc } from "drizzle-orm";
import { getDb } from "../db/client";
import { users, type User } from "../db/schema";
import { hashPassword, verifyPassword } from "../auth/password";
import { conflict, notFound } from "./errors";
import { parseOr422, safeName } from "../validation";
import { audit } from "./audit";

export const newUserInput = z.object({
  email: z.string().trim().toLowerCase().email("must be an email address").max(254),
  password: z.string().min(8, "must be at least 8 characters").max(200),
  name: safeName.optional(),
  isAdmin: z.boolean().optional(),
});
export type NewUserInput = z.input<typeof newUserInput>;

export type PublicUser = Pick<User, "id" | "email" | "name" | "isAdmin" | "disabled" | "createdAt">;

export function toPublic(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, disabled: u.disabled, createdAt: u.createdAt };
}

export async function createUser(input: unknown, actorId: number | null = null): Promise<PublicUser> {
  const v = parseOr422(newUserInput, input);
  const db = getDb();
  if (db.select({ id: users.id }).from(users).where(eq(users.email, v.email)).get()) {
    throw conflict(`A user with email ${v.email} already exists.`);
  }
  const passwordHash = await hashPassword(v.password);
  const row = db
    .insert(users)
    .values({ email: v.email, name: v.name ?? v.email.split("@")[0]!, passwordHash, isAdmin: !!v.isAdmin })
    .returning()
    .get();
  audit({ userId: actorId, action: "user.create", targetType: "user", targetId: row.id });
  return toPublic(row);
}

export function getUserById(id: number): User | undefined {
  return getDb().select().from(users).where(eq(users.id, id)).get();
}

export function getUserByEmail(email: string): User | undefined {
  return getDb().select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

/** The user for these credentials, or null (same answer for unknown email and wrong password). */
export async function authenticate(email: string, password: string): Promise<User | null> {
  const u = getUserByEmail(email);
  if (!u || u.disabled) {
    // Spend the same time as a real check so email existence does not leak by timing.
    await verifyPassword(password, "$2b$10$CwTycUXWue0Thq9StjUM0uJ8Ii8o7Sxq3pUUsBUoBr6V1N8nhyTC.");
    return null;
  }
  return (await verifyPassword(password, u.passwordHash)) ? u : null;
}

export function listUsers(opts: { page: number; limit: number; q?: string }): { items: PublicUser[]; total: number } {
  const db = getDb();
  const where = opts.q ? sql`${users.email} LIKE ${"%" + opts.q + "%"} OR ${users.name} LIKE ${"%" + opts.q + "%"}` : undefined;
  const items = db.select().from(users).where(where).orderBy(asc(users.id)).limit(opts.limit).offset((opts.page - 1) * opts.limit).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(users).where(where).get()!.n;
  return { items: items.map(toPublic), total };
}

export const updateUserInput = z.object({
  name: safeName.optional(),
  password: z.string().min(8, "must be at least 8 characters").max(200).optional(),
  isAdmin: z.boolean().optional(),
  disabled: z.boolean().optional(),
});

export async function updateUser(id: number, input: unknown, actorId: number): Promise<PublicUser> {
  const v = parseOr422(updateUserInput, input);
  const db = getDb();
  if (!getUserById(id)) throw notFound("User");
  const patch: Partial<User> = {};
  if (v.name !== undefined) patch.name = v.name;
  if (v.isAdmin !== undefined) patch.isAdmin = v.isAdmin;
  if (v.disabled !== undefined) patch.disabled = v.disabled;
  if (v.password) patch.passwordHash = await hashPassword(v.password);
  const row = db.update(users).set(patch).where(eq(users.id, id)).returning().get()!;
  audit({ userId: actorId, action: "user.update", targetType: "user", targetId: id, details: { fields: Object.keys(v) } });
  return toPublic(row);
}

export function countUsers(): number {
  return getDb().select({ n: sql<number>`count(*)` }).from(users).get()!.n;
}

/** The oldest admin account (CLI and demo seeding act as it when no user is named). */
export function firstAdmin(): User | undefined {
  return getDb().select().from(users).where(eq(users.isAdmin, true)).orderBy(asc(users.id)).limit(1).get();
}

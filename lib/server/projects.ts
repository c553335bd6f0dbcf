import { z } from "zod";
import { and, eq, sql, desc } from "drizzle-orm";
import { getDb } from "../db/client";
import { projects, projectMembers, labelSchemas, tasks, users, type Project } from "../db/schema";
import { labelConfigSchema, kindIssues, DATA_TYPES, type LabelConfig, type DataType } from "../labeling-config/schema";
import { parseOr422, safeName } from "../validation";
import { invalid, notFound, conflict } from "./errors";
import { audit } from "./audit";
import { accessProject } from "./access";
import { recomputeStatuses } from "./tasks";
import type { Actor } from "../auth/actor";

export const createProjectInput = z.object({
  name: safeName,
  dataType: z.enum(DATA_TYPES),
  description: z.string().max(10_000).optional(),
  instructions: z.string().max(100_000).optional(),
  overlap: z.number().int().min(1).max(100).optional(),
  schema: z.unknown().optional(),
});

export const updateProjectInput = z.object({
  name: safeName.optional(),
  description: z.string().max(10_000).optional(),
  instructions: z.string().max(100_000).optional(),
  overlap: z.number().int().min(1).max(100).optional(),
  lockTtl: z.number().int().min(30).max(86_400).optional(),
  /** The labelling queue's order (ADR 0017): "id" or "least_confident" (lowest prediction score first). */
  taskOrder: z.enum(["id", "least_confident"]).optional(),
});

/** Validate a schema for a data type; 422 names the first bad field, prefixed "schema.". */
export function validateLabelConfig(raw: unknown, dataType: DataType, prefix = "schema"): LabelConfig {
  const cfg = parseOr422(labelConfigSchema, raw ?? {}, prefix);
  const issue = kindIssues(cfg, dataType)[0];
  if (issue) throw invalid(`${prefix}.${issue.path}: ${issue.message}`, `${prefix}.${issue.path}`);
  return cfg;
}

export interface ProjectSummary extends Project {
  role: string | null;
  taskCount: number;
  completedCount: number;
}

export function createProject(actor: Actor, input: unknown): Project {
  const v = parseOr422(createProjectInput, input);
  const cfg = validateLabelConfig(v.schema, v.dataType);
  const db = getDb();
  const project = db.transaction((tx) => {
    const p = tx
      .insert(projects)
      .values({
        name: v.name,
        dataType: v.dataType,
        description: v.description ?? "",
        instructions: v.instructions ?? "",
        overlap: v.overlap ?? 1,
        createdBy: actor.user.id,
      })
      .returning()
      .get();
    tx.insert(labelSchemas).values({ projectId: p.id, version: 1, schema: cfg, createdBy: actor.user.id }).run();
    tx.insert(projectMembers).values({ projectId: p.id, userId: actor.user.id, role: "manager" }).run();
    return p;
  });
  audit({ userId: actor.user.id, projectId: project.id, action: "project.create", targetType: "project", targetId: project.id });
  return project;
}

export function listProjects(actor: Actor, opts: { page: number; limit: number }): { items: ProjectSummary[]; total: number } {
  const db = getDb();
  const uid = actor.user.id;
  const scope = actor.tokenProjectId !== null
    ? sql`p.id = ${actor.tokenProjectId} AND (${actor.user.isAdmin ? 1 : 0} = 1 OR m.user_id IS NOT NULL)`
    : actor.user.isAdmin ? sql`1 = 1` : sql`m.user_id IS NOT NULL`;
  const rows = db.all<Record<string, unknown>>(sql`
    SELECT p.*, m.role AS role,
      (SELECT count(*) FROM tasks t WHERE t.project_id = p.id) AS task_count,
      (SELECT count(*) FROM tasks t WHERE t.project_id = p.id AND t.status = 'completed') AS completed_count
    FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ${uid}
    WHERE ${scope} ORDER BY p.id DESC LIMIT ${opts.limit} OFFSET ${(opts.page - 1) * opts.limit}`);
  const total = db.get<{ n: number }>(sql`
    SELECT count(*) AS n FROM projects p LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = ${uid}
    WHERE ${scope}`)!.n;
  return {
    items: rows.map((r) => ({
      id: r.id as number,
      name: r.name as string,
      description: r.description as string,
      dataType: r.data_type as DataType,
      instructions: r.instructions as string,
      schemaVersion: r.schema_version as number,
      overlap: r.overlap as number,
      lockTtl: r.lock_ttl as number,
      taskOrder: ((r.task_order as string) === "least_confident" ? "least_confident" : "id") as Project["taskOrder"],
      createdBy: r.created_by as number | null,
      createdAt: r.created_at as number,
      updatedAt: r.updated_at as number,
      role: (r.role as string | null) ?? null,
      taskCount: r.task_count as number,
      completedCount: r.completed_count as number,
    })),
    total,
  };
}

export function projectStats(projectId: number) {
  const db = getDb();
  const byStatus = db
    .select({ status: tasks.status, n: sql<number>`count(*)` })
    .from(tasks)
    .where(eq(tasks.projectId, projectId))
    .groupBy(tasks.status)
    .all();
  const counts = { new: 0, in_progress: 0, completed: 0 } as Record<string, number>;
  for (const r of byStatus) counts[r.status] = r.n;
  const annotations = db.get<{ n: number; skipped: number }>(
    sql`SELECT count(*) AS n, coalesce(sum(status = 'skipped'), 0) AS skipped FROM annotations WHERE project_id = ${projectId}`,
  )!;
  const perDay = db.all<{ day: string; n: number }>(sql`
    SELECT date(created_at / 1000, 'unixepoch') AS day, count(*) AS n FROM annotations
    WHERE project_id = ${projectId} AND created_at > ${Date.now() - 14 * 86_400_000} GROUP BY day ORDER BY day`);
  const perUser = db.all<{ userId: number; email: string; n: number }>(sql`
    SELECT a.user_id AS userId, u.email AS email, count(*) AS n FROM annotations a JOIN users u ON u.id = a.user_id
    WHERE a.project_id = ${projectId} GROUP BY a.user_id ORDER BY n DESC LIMIT 20`);
  const total = counts.new! + counts.in_progress! + counts.completed!;
  return { total, byStatus: counts, annotations: annotations.n, skipped: annotations.skipped, perDay, perUser };
}

export function updateProject(actor: Actor, id: number, input: unknown): Project {
  accessProject(actor, id, "project.update");
  const v = parseOr422(updateProjectInput, input);
  const row = getDb().update(projects).set({ ...v, updatedAt: Date.now() }).where(eq(projects.id, id)).returning().get()!;
  if (v.overlap !== undefined) recomputeStatuses(id);
  audit({ userId: actor.user.id, projectId: id, action: "project.update", targetType: "project", targetId: id, details: { fields: Object.keys(v) } });
  return row;
}

export function deleteProject(actor: Actor, id: number): void {
  accessProject(actor, id, "project.delete");
  getDb().delete(projects).where(eq(projects.id, id)).run();
  audit({ userId: actor.user.id, action: "project.delete", targetType: "project", targetId: id });
}

export function getLabelConfig(projectId: number, version?: number): { version: number; schema: LabelConfig } {
  const db = getDb();
  const row = version
    ? db.select().from(labelSchemas).where(and(eq(labelSchemas.projectId, projectId), eq(labelSchemas.version, version))).get()
    : db.select().from(labelSchemas).where(eq(labelSchemas.projectId, projectId)).orderBy(desc(labelSchemas.version)).limit(1).get();
  if (!row) throw notFound("Schema version");
  return { version: row.version, schema: row.schema as LabelConfig };
}

export function putLabelConfig(actor: Actor, projectId: number, raw: unknown): { version: number; schema: LabelConfig } {
  const { project } = accessProject(actor, projectId, "project.update");
  const cfg = validateLabelConfig(raw, project.dataType, "schema");
  const db = getDb();
  const version = db.transaction((tx) => {
    const cur = tx.select({ v: projects.schemaVersion }).from(projects).where(eq(projects.id, projectId)).get()!.v;
    const next = cur + 1;
    tx.insert(labelSchemas).values({ projectId, version: next, schema: cfg, createdBy: actor.user.id }).run();
    tx.update(projects).set({ schemaVersion: next, updatedAt: Date.now() }).where(eq(projects.id, projectId)).run();
    return next;
  });
  audit({ userId: actor.user.id, projectId, action: "schema.update", targetType: "project", targetId: projectId, details: { version } });
  return { version, schema: cfg };
}

// ---- members ----

export const memberInput = z
  .object({
    userId: z.number().int().positive().optional(),
    email: z.string().trim().toLowerCase().email().optional(),
    role: z.enum(["manager", "reviewer", "annotator"]),
  })
  .refine((m) => m.userId || m.email, { message: "give userId or email", path: ["email"] });

export function listMembers(projectId: number) {
  return getDb()
    .select({ userId: users.id, email: users.email, name: users.name, role: projectMembers.role, createdAt: projectMembers.createdAt })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(eq(projectMembers.projectId, projectId))
    .orderBy(projectMembers.createdAt)
    .all();
}

export function addMember(actor: Actor, projectId: number, input: unknown) {
  accessProject(actor, projectId, "members.manage");
  const v = parseOr422(memberInput, input);
  const db = getDb();
  const user = v.userId
    ? db.select().from(users).where(eq(users.id, v.userId)).get()
    : db.select().from(users).where(eq(users.email, v.email!)).get();
  if (!user) throw invalid("No user with that id or email; an admin must create the account first.", v.userId ? "userId" : "email");
  db.insert(projectMembers)
    .values({ projectId, userId: user.id, role: v.role })
    .onConflictDoUpdate({ target: [projectMembers.projectId, projectMembers.userId], set: { role: v.role } })
    .run();
  audit({ userId: actor.user.id, projectId, action: "member.set", targetType: "user", targetId: user.id, details: { role: v.role } });
  return { userId: user.id, email: user.email, name: user.name, role: v.role };
}

export function removeMember(actor: Actor, projectId: number, userId: number): void {
  accessProject(actor, projectId, "members.manage");
  const db = getDb();
  db.transaction((tx) => {
    const managers = tx
      .select({ id: projectMembers.userId })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.role, "manager")))
      .all()
      .map((m) => m.id);
    if (managers.length === 1 && managers[0] === userId) throw conflict("A project needs at least one manager.");
    const r = tx.delete(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId))).run();
    if (r.changes === 0) throw notFound("Member");
  });
  audit({ userId: actor.user.id, projectId, action: "member.remove", targetType: "user", targetId: userId });
}

export function projectIdsOf(userId: number): number[] {
  return getDb().select({ id: projectMembers.projectId }).from(projectMembers).where(eq(projectMembers.userId, userId)).all().map((r) => r.id);
}


// Tasks: the table (paginated, sorted, filtered), reading one task, and the labelling queue.
import { z } from "zod";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "../db/client";
import { tasks, taskLocks, taskAssignments, media, projects, datasetVersions, datasetVersionItems, type Task } from "../db/schema";
import { conflict, notFound, invalid } from "./errors";
import { parseOr422 } from "../validation";
import { accessProject, type ProjectAccess } from "./access";
import type { Actor } from "../auth/actor";
import { audit } from "./audit";

export const taskQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  sort: z.enum(["id", "createdAt", "status", "annotations", "predictions", "score"]).default("id"),
  order: z.enum(["asc", "desc"]).default("asc"),
  status: z.enum(["new", "in_progress", "completed"]).optional(),
  annotator: z.union([z.literal("me"), z.coerce.number().int().positive()]).optional(),
  label: z.string().max(100).optional(),
});
export type TaskQuery = z.output<typeof taskQuery>;

const SORT_COLUMNS: Record<TaskQuery["sort"], string> = {
  id: "t.id",
  createdAt: "t.id", // ids grow with creation time, and the index serves them
  status: "t.status",
  annotations: "t.annotation_count",
  predictions: "t.prediction_count",
  // Tasks without a scored prediction always last; the direction applies to the score.
  score: "t.prediction_score IS NULL, t.prediction_score",
};

export interface MediaRef {
  id: number;
  kind: string;
  mime: string;
  width: number | null;
  height: number | null;
  duration: number | null;
  url: string;
  thumbnailUrl: string | null;
}

export interface TaskRow {
  id: number;
  projectId: number;
  status: Task["status"];
  fileName: string | null;
  /** A short plain-text preview of the data (rendered as text, never HTML). */
  preview: string;
  annotationCount: number;
  predictionCount: number;
  /** Lowest score of the latest predictions (ADR 0017); null when none is scored. */
  predictionScore: number | null;
  createdAt: number;
  media: MediaRef | null;
}

export function mediaRef(m: { id: number; kind: string; mime: string; width: number | null; height: number | null; duration: number | null; hasThumbnail: boolean | number }): MediaRef {
  return {
    id: m.id,
    kind: m.kind,
    mime: m.mime,
    width: m.width,
    height: m.height,
    duration: m.duration,
    url: `/api/v1/media/${m.id}`,
    thumbnailUrl: m.hasThumbnail ? `/api/v1/media/${m.id}/thumbnail` : null,
  };
}

function preview(data: unknown): string {
  if (data && typeof data === "object") {
    const d = data as Record<string, unknown>;
    const v = d.text ?? d.title ?? Object.values(d).find((x) => typeof x === "string");
    if (typeof v === "string") return v.length > 160 ? v.slice(0, 157) + "…" : v;
  }
  return "";
}

/** Annotators who cannot read all tasks see those assigned to them or that they have worked on. */
function visibilityFilter(access: ProjectAccess, userId: number): SQL | null {
  if (access.can("tasks.readAll")) return null;
  return sql`(t.id IN (SELECT task_id FROM task_assignments WHERE user_id = ${userId})
    OR t.id IN (SELECT task_id FROM annotations WHERE project_id = ${access.project.id} AND user_id = ${userId}))`;
}

export function listTasks(actor: Actor, projectId: number, rawQuery: unknown): { items: TaskRow[]; total: number } {
  const access = accessProject(actor, projectId, "project.read");
  const q = parseOr422(taskQuery, rawQuery);
  const where: SQL[] = [sql`t.project_id = ${projectId}`];
  if (q.status) where.push(sql`t.status = ${q.status}`);
  if (q.annotator !== undefined) {
    const uid = q.annotator === "me" ? actor.user.id : q.annotator;
    where.push(sql`t.id IN (SELECT task_id FROM annotations WHERE project_id = ${projectId} AND user_id = ${uid})`);
  }
  if (q.label) where.push(sql`t.id IN (SELECT task_id FROM task_labels WHERE project_id = ${projectId} AND label = ${q.label})`);
  const vis = visibilityFilter(access, actor.user.id);
  if (vis) where.push(vis);
  const whereSql = sql.join(where, sql` AND `);
  const dir = q.order === "desc" ? sql.raw("DESC") : sql.raw("ASC");
  const col = sql.raw(SORT_COLUMNS[q.sort]);
  const db = getDb();
  const rows = db.all<Record<string, unknown>>(sql`
    SELECT t.id, t.project_id, t.status, t.file_name, t.data, t.annotation_count, t.prediction_count, t.prediction_score, t.created_at,
      m.id AS m_id, m.kind AS m_kind, m.mime AS m_mime, m.width AS m_width, m.height AS m_height,
      m.duration AS m_duration, m.has_thumbnail AS m_thumb
    FROM tasks t LEFT JOIN media m ON m.id = t.media_id
    WHERE ${whereSql} ORDER BY ${col} ${dir}, t.id ${dir}
    LIMIT ${q.limit} OFFSET ${(q.page - 1) * q.limit}`);
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM tasks t WHERE ${whereSql}`)!.n;
  return {
    total,
    items: rows.map((r) => ({
      id: r.id as number,
      projectId: r.project_id as number,
      status: r.status as Task["status"],
      fileName: (r.file_name as string | null) ?? null,
      preview: preview(JSON.parse(r.data as string)),
      annotationCount: r.annotation_count as number,
      predictionCount: r.prediction_count as number,
      predictionScore: (r.prediction_score as number | null) ?? null,
      createdAt: r.created_at as number,
      media: r.m_id
        ? mediaRef({
            id: r.m_id as number,
            kind: r.m_kind as string,
            mime: r.m_mime as string,
            width: r.m_width as number | null,
            height: r.m_height as number | null,
            duration: r.m_duration as number | null,
            hasThumbnail: r.m_thumb as number,
          })
        : null,
    })),
  };
}

/** A task the caller may see (404 otherwise), with its project access. */
export function accessTask(actor: Actor, taskId: number): { task: Task; access: ProjectAccess } {
  const task = getDb().select().from(tasks).where(eq(tasks.id, taskId)).get();
  if (!task) throw notFound("Task");
  let access: ProjectAccess;
  try {
    access = accessProject(actor, task.projectId, "project.read");
  } catch {
    throw notFound("Task");
  }
  if (!access.can("tasks.readAll")) {
    // Annotators: tasks assigned to someone else are not theirs to see.
    const assigned = getDb().select({ u: taskAssignments.userId }).from(taskAssignments).where(eq(taskAssignments.taskId, taskId)).all();
    if (assigned.length > 0 && !assigned.some((a) => a.u === actor.user.id)) throw notFound("Task");
  }
  return { task, access };
}

export function getTask(actor: Actor, taskId: number) {
  const { task, access } = accessTask(actor, taskId);
  const m = task.mediaId ? getDb().select().from(media).where(eq(media.id, task.mediaId)).get() : undefined;
  const nav = getDb().get<{ prev: number | null; next: number | null }>(sql`
    SELECT (SELECT max(id) FROM tasks WHERE project_id = ${task.projectId} AND id < ${task.id}) AS prev,
           (SELECT min(id) FROM tasks WHERE project_id = ${task.projectId} AND id > ${task.id}) AS next`)!;
  return {
    id: task.id,
    projectId: task.projectId,
    status: task.status,
    data: task.data,
    fileName: task.fileName,
    annotationCount: task.annotationCount,
    predictionCount: task.predictionCount,
    predictionScore: task.predictionScore,
    createdAt: task.createdAt,
    media: m ? mediaRef(m) : null,
    project: { id: access.project.id, name: access.project.name, dataType: access.project.dataType },
    role: access.role,
    prevId: access.can("tasks.readAll") ? nav.prev : null,
    nextId: access.can("tasks.readAll") ? nav.next : null,
  };
}

/**
 * The next task for this annotator: their own unexpired slot if they hold one; else a task
 * assigned to them or unassigned, not yet done by them, with a free slot (completed
 * annotations + live locks < overlap). Taking it writes a lock, in one transaction, so two
 * people never get the same slot.
 */
export function nextTask(actor: Actor, projectId: number): { taskId: number | null; lockedUntil: number | null } {
  const access = accessProject(actor, projectId, "tasks.label");
  const uid = actor.user.id;
  const db = getDb();
  const t = Date.now();
  const ttl = access.project.lockTtl * 1000;
  return db.transaction((tx) => {
    tx.run(sql`DELETE FROM task_locks WHERE expires_at <= ${t}`);
    // CROSS JOIN keeps SQLite walking this user's few locks, not the project's tasks.
    const held = tx.get<{ id: number }>(sql`
      SELECT l.task_id AS id FROM task_locks l CROSS JOIN tasks t ON t.id = l.task_id
      WHERE l.user_id = ${uid} AND t.project_id = ${projectId}
        AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = l.task_id AND a.user_id = ${uid})
      ORDER BY l.task_id LIMIT 1`);
    let taskId = held?.id ?? null;
    // Candidates in order of preference, each an index walk that stops at the first hit:
    // tasks assigned to this person, then partly done ones (to finish their overlap), then new.
    const open = sql`NOT EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.user_id = ${uid})
      AND t.annotation_count + (SELECT count(*) FROM task_locks l WHERE l.task_id = t.id) < ${access.project.overlap}`;
    const unassigned = sql`NOT EXISTS (SELECT 1 FROM task_assignments x WHERE x.task_id = t.id)`;
    // "least_confident" (ADR 0017): within each group, scored tasks by ascending prediction_score
    // (ties by id), then unscored ones by id. Two walks of tasks_project_status_score_idx per
    // status, so it stays an index walk at any size (NULLs sort first in SQLite, hence the split).
    const leastConfident = access.project.taskOrder === "least_confident";
    const byStatus = (status: "in_progress" | "new") =>
      leastConfident
        ? [
            sql`SELECT t.id FROM tasks t WHERE t.project_id = ${projectId} AND t.status = ${status} AND t.prediction_score IS NOT NULL AND ${unassigned} AND ${open} ORDER BY t.prediction_score, t.id LIMIT 1`,
            sql`SELECT t.id FROM tasks t WHERE t.project_id = ${projectId} AND t.status = ${status} AND t.prediction_score IS NULL AND ${unassigned} AND ${open} ORDER BY t.id LIMIT 1`,
          ]
        : [sql`SELECT t.id FROM tasks t WHERE t.project_id = ${projectId} AND t.status = ${status} AND ${unassigned} AND ${open} ORDER BY t.id LIMIT 1`];
    const candidates = [
      sql`SELECT t.id FROM task_assignments x CROSS JOIN tasks t ON t.id = x.task_id
          WHERE x.user_id = ${uid} AND t.project_id = ${projectId} AND t.status != 'completed' AND ${open}
          ORDER BY ${leastConfident ? sql.raw("t.prediction_score IS NULL, t.prediction_score, ") : sql.raw("")}t.id LIMIT 1`,
      ...byStatus("in_progress"),
      ...byStatus("new"),
    ];
    for (const q of candidates) {
      if (taskId !== null) break;
      taskId = tx.get<{ id: number }>(q)?.id ?? null;
    }
    if (taskId === null) return { taskId: null, lockedUntil: null };
    tx.insert(taskLocks)
      .values({ taskId, userId: uid, expiresAt: t + ttl })
      .onConflictDoUpdate({ target: [taskLocks.taskId, taskLocks.userId], set: { expiresAt: t + ttl } })
      .run();
    return { taskId, lockedUntil: t + ttl };
  });
}

export function releaseLock(taskId: number, userId: number): void {
  getDb().delete(taskLocks).where(and(eq(taskLocks.taskId, taskId), eq(taskLocks.userId, userId))).run();
}

export const assignInput = z.object({
  taskIds: z.array(z.number().int().positive()).min(1).max(10_000),
  userIds: z.array(z.number().int().positive()).max(100),
});

/** Replace the assignees of these tasks (an empty userIds list unassigns them). */
export function assignTasks(actor: Actor, projectId: number, input: unknown): { updated: number } {
  accessProject(actor, projectId, "tasks.assign");
  const v = parseOr422(assignInput, input);
  const db = getDb();
  const members = new Set(
    db.all<{ id: number }>(sql`SELECT user_id AS id FROM project_members WHERE project_id = ${projectId}`).map((r) => r.id),
  );
  const bad = v.userIds.findIndex((u) => !members.has(u));
  if (bad >= 0) throw invalid("That user is not a member of this project.", `userIds.${bad}`);
  const updated = db.transaction((tx) => {
    let n = 0;
    for (const id of v.taskIds) {
      const ok = tx.get<{ id: number }>(sql`SELECT id FROM tasks WHERE id = ${id} AND project_id = ${projectId}`);
      if (!ok) continue;
      tx.delete(taskAssignments).where(eq(taskAssignments.taskId, id)).run();
      for (const u of v.userIds) tx.insert(taskAssignments).values({ taskId: id, userId: u }).run();
      n++;
    }
    return n;
  });
  audit({ userId: actor.user.id, projectId, action: "tasks.assign", details: { tasks: updated, users: v.userIds } });
  return { updated };
}

export function deleteTask(actor: Actor, taskId: number): void {
  const { task, access } = accessTask(actor, taskId);
  if (!access.can("tasks.delete")) throw notFound("Task");
  // Dataset versions are immutable: deleting a task they froze would change what they contain.
  const held = getDb()
    .select({ number: datasetVersions.number })
    .from(datasetVersionItems)
    .innerJoin(datasetVersions, eq(datasetVersions.id, datasetVersionItems.versionId))
    .where(eq(datasetVersionItems.taskId, taskId))
    .orderBy(datasetVersions.number)
    .limit(1)
    .get();
  if (held) throw conflict(`Task #${taskId} is in dataset version ${held.number}; versions are immutable, so it cannot be deleted.`, { version: held.number });
  getDb().delete(tasks).where(eq(tasks.id, taskId)).run();
  audit({ userId: actor.user.id, projectId: task.projectId, action: "task.delete", targetType: "task", targetId: taskId });
}

/** Re-derive every task's status from its completed annotations (after the overlap changes). */
export function recomputeStatuses(projectId: number): void {
  const p = getDb().select({ overlap: projects.overlap }).from(projects).where(eq(projects.id, projectId)).get();
  if (!p) return;
  getDb().run(sql`UPDATE tasks SET status = CASE WHEN annotation_count >= ${p.overlap} THEN 'completed'
    WHEN annotation_count > 0 THEN 'in_progress' ELSE 'new' END WHERE project_id = ${projectId}`);
}

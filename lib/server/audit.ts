import { getDb } from "../db/client";
import { auditLog } from "../db/schema";

export function audit(entry: {
  userId: number | null;
  action: string;
  projectId?: number | null;
  targetType?: string;
  targetId?: number;
  details?: Record<string, unknown>;
}): void {
  getDb()
    .insert(auditLog)
    .values({
      userId: entry.userId,
      action: entry.action,
      projectId: entry.projectId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? null,
    })
    .run();
}

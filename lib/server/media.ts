// Reading stored media: only for members of a project with a task that uses it.
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { config } from "../config";
import { notFound } from "./errors";
import { LocalMediaStore } from "../storage/media-store";
import type { Actor } from "../auth/actor";
import type { Media } from "../db/schema";

export function accessMedia(actor: Actor, mediaId: number): Media {
  const db = getDb();
  const m = db.get<Record<string, unknown>>(sql`SELECT * FROM media WHERE id = ${mediaId}`);
  if (!m) throw notFound("Media");
  if (!actor.user.isAdmin || actor.tokenProjectId !== null) {
    const scope = actor.tokenProjectId !== null ? sql`AND t.project_id = ${actor.tokenProjectId}` : sql``;
    const ok = actor.user.isAdmin
      ? db.get(sql`SELECT 1 FROM tasks t WHERE t.media_id = ${mediaId} ${scope} LIMIT 1`)
      : db.get(sql`SELECT 1 FROM tasks t JOIN project_members pm ON pm.project_id = t.project_id AND pm.user_id = ${actor.user.id}
          WHERE t.media_id = ${mediaId} ${scope} LIMIT 1`);
    if (!ok) throw notFound("Media");
  }
  return {
    id: m.id as number, sha256: m.sha256 as string, mime: m.mime as string, kind: m.kind as Media["kind"],
    size: m.size as number, width: m.width as number | null, height: m.height as number | null,
    duration: m.duration as number | null, hasThumbnail: !!m.has_thumbnail, createdAt: m.created_at as number,
  };
}

export function mediaFiles() {
  return new LocalMediaStore(config.mediaDir);
}

export function fileExists(p: string): boolean {
  return fs.existsSync(p);
}

// One SQLite connection per process, opened durable (WAL + synchronous=FULL) and migrated.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";
import { config } from "../config";
import { applyMigrations } from "./migrate";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const g = globalThis as unknown as { __loupeDb?: { path: string; db: Db } };

export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  applyMigrations(db);
  return db;
}

/** The process-wide database for LOUPE_DATA_DIR (reopened if the directory changes, as in tests). */
export function getDb(): Db {
  const file = config.dbPath;
  if (!g.__loupeDb || g.__loupeDb.path !== file) {
    g.__loupeDb?.db.$client.close();
    g.__loupeDb = { path: file, db: openDatabase(file) };
  }
  return g.__loupeDb.db;
}

export function closeDb(): void {
  g.__loupeDb?.db.$client.close();
  g.__loupeDb = undefined;
}

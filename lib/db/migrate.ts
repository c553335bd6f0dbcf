import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import fs from "node:fs";
import path from "node:path";

/** Where drizzle-kit's SQL lives; found from the working directory or this file. */
export function migrationsFolder(): string {
  const candidates = [
    process.env.LOUPE_MIGRATIONS_DIR,
    path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle"),
  ].filter((p): p is string => !!p);
  for (const c of candidates) if (fs.existsSync(path.join(c, "meta", "_journal.json"))) return c;
  throw new Error(`drizzle migrations not found (looked in ${candidates.join(", ")})`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function applyMigrations(db: BetterSQLite3Database<any>): void {
  migrate(db, { migrationsFolder: migrationsFolder() });
}

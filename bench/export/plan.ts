// Prints the query plans of the export source's statements (EXPLAIN QUERY PLAN) on a small seed.
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { seedExportBench } from "./seed";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-export-plan-"));
await seedExportBench(dir, 2000);
const { getDb } = await import("../../lib/db/client");
const c = getDb().$client;
const qs = process.argv.slice(2);
for (const q of qs) {
  console.log(q.replace(/\s+/g, " ").slice(0, 120));
  const params = (q.match(/\?/g) ?? []).map(() => 1);
  for (const r of c.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as Array<{ detail: string }>) console.log("   ", r.detail);
}
fs.rmSync(dir, { recursive: true, force: true });

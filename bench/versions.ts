// `npm run bench -- --only versions`: dataset version creation for 100,000 tasks, each with one
// submitted annotation of a few rect regions, seeded by raw inserts into a temp SQLite data dir.
// Measures the background build end to end (queue -> chunked scan -> one commit transaction), the
// process's RSS during the build, and the longest event-loop stall (what an HTTP request in the
// same server process would have waited at worst).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance, monitorEventLoopDelay } from "node:perf_hooks";

export type Row = { name: string; value: number; unit: string; goal?: string; ok?: boolean; note?: string };
export interface VersionsBenchResult {
  rows: Row[];
  detail: Record<string, number>;
}

export async function runVersionsBench(opts: { tasks?: number } = {}): Promise<VersionsBenchResult> {
  const N = opts.tasks ?? 100_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-bench-versions-"));
  process.env.LOUPE_DATA_DIR = dir;
  process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { createUser, getUserByEmail } = await import("../lib/server/users");
  const { createProject } = await import("../lib/server/projects");
  const { queueBuild, waitForBuild, buildHooks } = await import("../lib/server/version-builds");
  const { diffVersions } = await import("../lib/server/version-diff");

  const db = getDb();
  await createUser({ email: "bench@loupe.local", password: "benchbench", isAdmin: true });
  const user = getUserByEmail("bench@loupe.local")!;
  const actor = { user, via: "session" as const, tokenProjectId: null, readOnly: false };
  const labels = ["car", "person", "bike", "truck"];
  const project = createProject(actor, { name: "versions bench", dataType: "image", schema: { labels: labels.map((name) => ({ name, kinds: ["rect"] })) } });

  // Seed: raw prepared inserts in one transaction (the import path is benchmarked elsewhere).
  const t0 = performance.now();
  const c = db.$client;
  const schemaVersion = (c.prepare("SELECT max(version) AS v FROM label_schemas WHERE project_id = ?").get(project.id) as { v: number | null }).v ?? 1;
  const insTask = c.prepare("INSERT INTO tasks (project_id, data, status, annotation_count) VALUES (?, ?, 'completed', 1)");
  const insAnn = c.prepare("INSERT INTO annotations (task_id, project_id, user_id, status, revision, schema_version, document) VALUES (?, ?, ?, 'submitted', 1, ?, ?)");
  const insRev = c.prepare("INSERT INTO annotation_revisions (annotation_id, revision, document, status, user_id) VALUES (?, 1, ?, 'submitted', ?)");
  c.transaction(() => {
    for (let i = 0; i < N; i++) {
      const task = insTask.run(project.id, JSON.stringify({ image: `https://example.com/img/${i}.jpg` })).lastInsertRowid;
      const regions = Array.from({ length: 3 + (i % 3) }, (_, k) => ({
        id: `r${k}`, kind: "rect", label: labels[(i + k) % labels.length], x: 10 + k * 20, y: 5 + (i % 50), width: 30, height: 20 + k, rotation: 0,
      }));
      const doc = JSON.stringify({ regions, classifications: {}, relations: [] });
      const ann = insAnn.run(task, project.id, user.id, schemaVersion, doc).lastInsertRowid;
      insRev.run(ann, doc, user.id);
    }
  })();
  const seedSecs = (performance.now() - t0) / 1000;

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let chunks = 0;
  buildHooks.afterChunk = () => {
    chunks++;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const b0 = performance.now();
  const build = queueBuild(actor, project.id, { name: "bench", split: { seed: 42, train: 0.8, val: 0.1, test: 0.1 } });
  const done = await waitForBuild(project.id, build.id, 30 * 60_000);
  const buildSecs = (performance.now() - b0) / 1000;
  loop.disable();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  buildHooks.afterChunk = undefined;
  if (done.status !== "done") throw new Error(`build ${done.status}: ${done.error}`);
  const v = c.prepare("SELECT task_count AS tasks, annotation_count AS anns FROM dataset_versions WHERE project_id = ? AND number = ?").get(project.id, done.version) as { tasks: number; anns: number };
  if (v.tasks !== N || v.anns !== N) throw new Error(`version has ${v.tasks} tasks / ${v.anns} annotations, expected ${N}`);

  // The same data again (same hash) and a diff of the two 100k-item versions.
  const again = await waitForBuild(project.id, queueBuild(actor, project.id, { name: "again", split: { seed: 42, train: 0.8, val: 0.1, test: 0.1 } }).id, 30 * 60_000);
  const d0 = performance.now();
  const d = diffVersions(actor, project.id, String(again.version), String(done.version));
  const diffMs = performance.now() - d0;
  if (d.tasks.unchanged !== N) throw new Error(`diff of identical versions: ${JSON.stringify(d.tasks)}`);

  const maxStallMs = loop.max / 1e6;
  const rows: Row[] = [
    {
      name: `version build, ${N / 1000}k tasks (1 ann each)`, value: +buildSecs.toFixed(2), unit: "s", goal: "seconds",
      ok: buildSecs < 60, note: `${Math.round(N / buildSecs)} annotations/s, ${chunks} chunks, seed ${seedSecs.toFixed(1)} s`,
    },
    {
      name: "version build: peak RSS", value: Math.round(peakRss / 2 ** 20), unit: "MB",
      note: `${Math.round(rssBefore / 2 ** 20)} MB before the build${gc ? " (after GC)" : ""}; process maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB incl. seeding`,
    },
    { name: "version build: longest event-loop stall", value: +maxStallMs.toFixed(1), unit: "ms", note: "the final commit transaction is one synchronous block" },
    { name: `version diff, ${N / 1000}k vs ${N / 1000}k items`, value: Math.round(diffMs), unit: "ms" },
  ];
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
  return { rows, detail: { tasks: N, buildSecs, seedSecs, peakRssMB: peakRss / 2 ** 20, rssBeforeMB: rssBefore / 2 ** 20, maxStallMs, diffMs, chunks } };
}

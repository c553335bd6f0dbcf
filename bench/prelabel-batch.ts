// Batch pre-labelling and "least confident first" (ADR 0017):
// 1. nextTask with taskOrder "least_confident" on 100k tasks (half with a prediction score),
//    in-process against a temp SQLite file, like the foundation queue row; plus POST-prediction
//    cost with the score kept in step, and the query plan (must use the score index).
// 2. With --prelabel-base URL: the batch page in headless chromium over N copies of the demo
//    meeting.wav (Silero VAD, wasm) -> tasks/minute end to end (fetch, decode, VAD, POST).
//   npm run bench -- --only prelabel-batch [--prelabel-base http://127.0.0.1:3440] [--batch-tasks 8]
import fs from "node:fs";
import { signedInPage } from "./sign-in";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Page } from "playwright-core";

type Row = { name: string; value: number; unit: string; goal?: string; ok?: boolean; note?: string };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function runNextTaskOrderBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-bench-order-"));
  process.env.LOUPE_DATA_DIR = dir;
  process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");
  const { getDb, closeDb } = await import("../lib/db/client");
  const { createUser, getUserByEmail } = await import("../lib/server/users");
  const { createProject, updateProject } = await import("../lib/server/projects");
  const { nextTask } = await import("../lib/server/tasks");
  const { createAnnotation, createPrediction } = await import("../lib/server/annotations");
  const { sql } = await import("drizzle-orm");
  const db = getDb();
  await createUser({ email: "bench@loupe.local", password: "benchbench", isAdmin: true });
  const user = getUserByEmail("bench@loupe.local")!;
  const actor = { user, via: "session" as const, tokenProjectId: null, readOnly: false };
  const project = createProject(actor, { name: "bench order", dataType: "text", schema: { labels: [{ name: "PER" }, { name: "ORG" }] } });
  const N = 100_000;
  const sqlite = db.$client;
  const ins = sqlite.prepare("INSERT INTO tasks (project_id, data, prediction_count, prediction_score, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const t = Date.now();
  sqlite.transaction(() => {
    for (let i = 0; i < N; i++) {
      const scored = i % 2 === 0;
      ins.run(project.id, JSON.stringify({ text: `Task ${i}: Angela met Emmanuel in Paris.` }), scored ? 1 : 0, scored ? Math.round(rnd() * 1e6) / 1e6 : null, t, t);
    }
  })();
  updateProject(actor, project.id, { taskOrder: "least_confident" });

  // POST a prediction (validated, stored, prediction_score recomputed in the same transaction).
  const first = db.get<{ id: number }>(sql`SELECT min(id) AS id FROM tasks WHERE project_id = ${project.id}`)!.id;
  const pt: number[] = [];
  for (let i = 0; i < 300; i++) {
    const s = performance.now();
    createPrediction(actor, first + 1 + 2 * i, { model: "dictionary", document: { regions: [{ id: "a", kind: "span", label: "PER", start: 9, end: 15, score: 0.9 }, { id: "b", kind: "span", label: "ORG", start: 20, end: 28, score: 0.6 }] } });
    pt.push(performance.now() - s);
  }
  rows.push({ name: "POST prediction + prediction_score (p95)", value: +pct(pt, 95).toFixed(2), unit: "ms", note: `p50 ${pct(pt, 50).toFixed(2)} ms, 300 posts into a 100k-task project` });

  const plan = db
    .all<{ detail: string }>(sql`EXPLAIN QUERY PLAN SELECT t.id FROM tasks t WHERE t.project_id = ${project.id} AND t.status = 'new' AND t.prediction_score IS NOT NULL ORDER BY t.prediction_score, t.id LIMIT 1`)
    .map((r) => r.detail)
    .join("; ");

  const qt: number[] = [];
  let prev = -1;
  let ordered = true;
  for (let i = 0; i < 300; i++) {
    const s = performance.now();
    const n = nextTask(actor, project.id);
    qt.push(performance.now() - s);
    const score = db.get<{ s: number | null }>(sql`SELECT prediction_score AS s FROM tasks WHERE id = ${n.taskId}`)!.s;
    if (score === null || score < prev) ordered = false;
    prev = score ?? prev;
    createAnnotation(actor, n.taskId!, { document: {}, status: "skipped" });
  }
  rows.push({
    name: "next task, least confident first, 100k (p95)",
    value: +pct(qt, 95).toFixed(2),
    unit: "ms",
    goal: "<= 10",
    ok: pct(qt, 95) <= 10 && ordered,
    note: `p50 ${pct(qt, 50).toFixed(2)} ms, 50k scored; ascending scores: ${ordered}; plan: ${plan}`,
  });

  // The unscored tail: every scored task done -> the walk over NULL scores (simulate by clearing scores).
  db.run(sql`UPDATE tasks SET prediction_score = NULL WHERE project_id = ${project.id}`);
  const qn: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = performance.now();
    const n = nextTask(actor, project.id);
    qn.push(performance.now() - s);
    createAnnotation(actor, n.taskId!, { document: {}, status: "skipped" });
  }
  rows.push({ name: "next task, least confident, unscored tail (p95)", value: +pct(qn, 95).toFixed(2), unit: "ms", note: `p50 ${pct(qn, 50).toFixed(2)} ms` });
  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows;
}

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

/** The batch page over `tasks` copies of meeting.wav (~15 s each), wasm, one browser tab. */
export async function runBatchThroughputBench(o: { base: string; tasks?: number; email?: string; password?: string }): Promise<Row[]> {
  const n = o.tasks ?? 8;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
  });
  try {
    const page = await signedInPage(browser, { base: o.base, email: o.email ?? "admin@e2e.test", password: o.password ?? "e2e-admin-password", viewport: { width: 1280, height: 860 } });
    const p = await api(page, "POST", "/api/v1/projects", { name: `Bench: batch ${Date.now()}`, dataType: "audio", schema: { labels: [{ name: "speech", kinds: ["segment"] }] } });
    const wav = fs.readFileSync(path.resolve("demo/audio/meeting.wav"));
    for (let i = 0; i < n; i++) {
      // Distinct bytes per file (media is content-addressed): flip one sample's low bit.
      const b = Buffer.from(wav);
      const k = b.length - 2 * (i + 1);
      b[k] = b[k]! ^ 1;
      await page.request.post(`/api/v1/projects/${p.id}/import`, { multipart: { files: { name: `meeting-${i}.wav`, mimeType: "audio/wav", buffer: b } } });
    }
    await page.goto(`/projects/${p.id}/prelabel`);
    await page.getByTestId("batch-empty").waitFor();
    await page.getByTestId("scope-all").check();
    await page.evaluate(() => window.localStorage.setItem("loupe.prelabel.preference", "wasm"));
    await page.reload();
    await page.getByTestId("scope-all").check();
    const t0 = performance.now();
    await page.getByTestId("batch-start").click();
    await page.locator('[data-testid="prelabel-batch"][data-phase="done"]').waitFor({ timeout: 600_000 });
    const secs = (performance.now() - t0) / 1000;
    const done = Number((await page.getByTestId("batch-done").textContent())?.replace(/\D/g, ""));
    const failed = Number((await page.getByTestId("batch-failed").textContent())?.replace(/\D/g, ""));
    const perTask = await page.locator('[data-testid="batch-recent"] li span.tabular-nums').allTextContents();
    const taskSecs = perTask.map((s) => parseFloat(s)).filter((x) => Number.isFinite(x));
    return [
      {
        name: `batch pre-label: VAD over ${n} x meeting.wav (15 s), chromium wasm`,
        value: +((done / secs) * 60).toFixed(1),
        unit: "tasks/min",
        note: `${done} done, ${failed} failed in ${secs.toFixed(1)} s incl. model load; per task p50 ${taskSecs.length ? pct(taskSecs, 50).toFixed(2) : "?"} s; load ${os.loadavg()[0]!.toFixed(2)}`,
      },
    ];
  } finally {
    await browser.close();
  }
}

export async function runPrelabelBatchBench(o: { base?: string; tasks?: number }): Promise<{ rows: Row[] }> {
  const load = os.loadavg()[0]!.toFixed(2);
  const rows = await runNextTaskOrderBench();
  for (const r of rows) r.note = `${r.note ?? ""}; load ${load}`;
  if (o.base) rows.push(...(await runBatchThroughputBench({ base: o.base, tasks: o.tasks })));
  return { rows };
}

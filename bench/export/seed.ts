// Seeds a temp LOUPE_DATA_DIR for the export bench with raw prepared inserts in one transaction:
// an image project, TASKS tasks with a 1920x1080 media row each, one submitted annotation of 4
// regions (rect, rotated rect, two polygons) per task with its revision row, and dataset version 1
// freezing all of them with a seeded 80/10/10 split. No service code is involved (version creation
// is benchmarked elsewhere), so the seed is fast and independent of how versions get built.
import fs from "node:fs";
import path from "node:path";

export interface Seeded { dataDir: string; projectId: number; versionId: number; tasks: number; annotations: number; regions: number; seconds: number }

export const BENCH_SCHEMA = {
  labels: [
    { name: "car", kinds: ["rect", "polygon"], attributes: [{ name: "occluded", type: "checkbox" }] },
    { name: "person", kinds: ["rect"] },
    { name: "road", kinds: ["polygon"] },
    { name: "sign", kinds: ["rect", "polygon"] },
  ],
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const W = 1920, H = 1080;

/** The 4 regions of task i: deterministic (seeded), inside the image, 3-decimal coordinates. */
export function benchRegions(rand: () => number): unknown[] {
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const box = () => {
    const w = 20 + rand() * 300, h = 20 + rand() * 200;
    return { x: r3(rand() * (W - w)), y: r3(rand() * (H - h)), width: r3(w), height: r3(h) };
  };
  const poly = (n: number) => {
    const cx = 200 + rand() * (W - 400), cy = 200 + rand() * (H - 400), rad = 30 + rand() * 150;
    return Array.from({ length: n }, (_, k) => {
      const t = (2 * Math.PI * k) / n, rr = rad * (0.6 + 0.4 * rand());
      return [r3(cx + rr * Math.cos(t)), r3(cy + rr * Math.sin(t))];
    });
  };
  return [
    { id: "r1", kind: "rect", label: "car", ...box(), rotation: 0, attributes: { occluded: rand() < 0.3 } },
    { id: "r2", kind: "rect", label: rand() < 0.5 ? "person" : "sign", ...box(), rotation: r3(rand() * 90) },
    { id: "r3", kind: "polygon", label: "road", points: poly(8) },
    { id: "r4", kind: "polygon", label: rand() < 0.5 ? "car" : "sign", points: poly(6) },
  ];
}

export async function seedExportBench(dataDir: string, tasks: number): Promise<Seeded> {
  const t0 = performance.now();
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.LOUPE_DATA_DIR = dataDir;
  process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");
  const { getDb, closeDb } = await import("../../lib/db/client");
  const db = getDb().$client;
  const now = Date.UTC(2026, 0, 1);
  const userId = Number(db.prepare("INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)").run("bench@loupe.local", "bench", "x", now).lastInsertRowid);
  const projectId = Number(db.prepare("INSERT INTO projects (name, data_type, created_by, created_at, updated_at) VALUES (?, 'image', ?, ?, ?)").run("export bench", userId, now, now).lastInsertRowid);
  db.prepare("INSERT INTO label_schemas (project_id, version, schema, created_by, created_at) VALUES (?, 1, ?, ?, ?)").run(projectId, JSON.stringify(BENCH_SCHEMA), userId, now);
  db.prepare("INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, 'manager', ?)").run(projectId, userId, now);

  const insMedia = db.prepare("INSERT INTO media (sha256, mime, kind, size, width, height, created_at) VALUES (?, 'image/jpeg', 'image', 123456, ?, ?, ?)");
  const insTask = db.prepare("INSERT INTO tasks (project_id, data, media_id, file_name, status, annotation_count, created_at, updated_at) VALUES (?, ?, ?, ?, 'completed', 1, ?, ?)");
  const insAnn = db.prepare("INSERT INTO annotations (task_id, project_id, user_id, status, revision, schema_version, document, created_at, updated_at) VALUES (?, ?, ?, 'submitted', 1, 1, ?, ?, ?)");
  const insRev = db.prepare("INSERT INTO annotation_revisions (annotation_id, revision, document, status, user_id, created_at) VALUES (?, 1, ?, 'submitted', ?, ?)");
  const insItem = db.prepare("INSERT INTO dataset_version_items (version_id, task_id, annotation_id, revision, split) VALUES (?, ?, ?, 1, ?)");
  const rand = mulberry32(42);
  let regions = 0;
  const labelCounts: Record<string, number> = {};
  const versionId = db.transaction(() => {
    const v = Number(db.prepare(`INSERT INTO dataset_versions (project_id, number, name, notes, filter, split, schema_version, manifest_sha256, task_count, annotation_count, label_counts, status, created_by, created_at)
      VALUES (?, 1, 'bench', '', '{"status":"submitted"}', '{"train":0.8,"val":0.1,"test":0.1,"seed":42}', 1, ?, ?, ?, '{}', 'ready', ?, ?)`)
      .run(projectId, "0".repeat(64), tasks, tasks, userId, now).lastInsertRowid);
    for (let i = 1; i <= tasks; i++) {
      const name = `img-${String(i).padStart(6, "0")}.jpg`;
      const mediaId = Number(insMedia.run(i.toString(16).padStart(64, "0"), W, H, now).lastInsertRowid);
      const taskId = Number(insTask.run(projectId, JSON.stringify({ image: name, source: `cam-${i % 17}` }), mediaId, name, now, now).lastInsertRowid);
      const regs = benchRegions(rand);
      regions += regs.length;
      const doc = JSON.stringify({ version: 1, regions: regs, classifications: {}, relations: [] });
      const annId = Number(insAnn.run(taskId, projectId, userId, doc, now + i, now + i).lastInsertRowid);
      insRev.run(annId, doc, userId, now + i);
      // label_counts as the version builder's LabelCounter keeps them (exporters rely on the keys).
      for (const r of regs as Array<{ label?: string; labels?: string[] }>) {
        for (const l of new Set([...(r.label ? [r.label] : []), ...(r.labels ?? [])])) labelCounts[l] = (labelCounts[l] ?? 0) + 1;
      }
      const u = rand();
      insItem.run(v, taskId, annId, u < 0.8 ? "train" : u < 0.9 ? "val" : "test");
    }
    const sorted = Object.fromEntries(Object.entries(labelCounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    db.prepare("UPDATE dataset_versions SET label_counts = ? WHERE id = ?").run(JSON.stringify(sorted), v);
    return v;
  })();
  closeDb();
  return { dataDir, projectId, versionId, tasks, annotations: tasks, regions, seconds: (performance.now() - t0) / 1000 };
}

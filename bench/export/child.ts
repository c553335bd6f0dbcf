// One export measurement in its own process, so peak RSS (VmHWM / maxRSS) belongs to it alone.
//   tsx bench/export/child.ts <mode> <dataDir> <versionId> <outFile>
// mode: coco | yolo-detect | yolo-segment | native | floor. Prints one JSON line on stdout.
import fs from "node:fs";
import path from "node:path";

const [mode, dataDir, versionIdArg, outFile] = process.argv.slice(2) as [string, string, string, string];
process.env.LOUPE_DATA_DIR = dataDir;
process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");

function hwmMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

const { getDb } = await import("../../lib/db/client");
const { exportSource, writeAtomically, EXPORT_PAGE } = await import("../../lib/server/dataset-export");
const { exportZip } = await import("../../lib/exporters");
const { sql } = await import("drizzle-orm");
const db = getDb();
const versionId = Number(versionIdArg);
const version = db.get<Record<string, unknown>>(sql`SELECT * FROM dataset_versions WHERE id = ${versionId}`)!;
const v = {
  id: version.id as number, projectId: version.project_id as number, number: version.number as number, name: version.name as string,
  schemaVersion: version.schema_version as number, createdAt: version.created_at as number,
} as Parameters<typeof exportSource>[0];
const rssBefore = hwmMb();

let count = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
if (mode === "floor") {
  // The bare floor: the exporter's query shape and paging, each row's document parsed and the row
  // JSON.stringify-ed to a file in ~64 KiB writes. No format logic, no zip, no deflate.
  const c = db.$client;
  const pageQ = c.prepare("SELECT DISTINCT task_id FROM dataset_version_items WHERE version_id = ? AND task_id > ? ORDER BY task_id LIMIT ?");
  const rowsQ = c.prepare(`
      SELECT i.task_id, t.data, t.file_name, i.split, i.annotation_id, i.revision, r.document, r.status,
             a.user_id, u.email, r.created_at, m.id AS media_id, m.sha256, m.mime, m.width, m.height, m.duration
      FROM dataset_version_items i
      JOIN tasks t ON t.id = i.task_id
      JOIN annotations a ON a.id = i.annotation_id
      JOIN annotation_revisions r ON r.annotation_id = i.annotation_id AND r.revision = i.revision
      LEFT JOIN users u ON u.id = a.user_id
      LEFT JOIN media m ON m.id = t.media_id
      WHERE i.version_id = ? AND i.task_id BETWEEN ? AND ?
      ORDER BY i.task_id, i.annotation_id`);
  const fd = fs.openSync(outFile, "w");
  let buf: string[] = [];
  let size = 0;
  let after = 0;
  for (;;) {
    const page = pageQ.all(versionId, after, EXPORT_PAGE) as Array<{ task_id: number }>;
    if (page.length === 0) break;
    const last = page[page.length - 1]!.task_id;
    for (const row of rowsQ.all(versionId, page[0]!.task_id, last) as Array<Record<string, unknown>>) {
      const doc = JSON.parse(row.document as string) as { regions: unknown[] };
      count += doc.regions.length;
      const s = JSON.stringify({ ...row, data: JSON.parse(row.data as string), document: doc }) + "\n";
      buf.push(s);
      size += s.length;
      if (size >= 65536) { fs.writeSync(fd, buf.join("")); buf = []; size = 0; }
    }
    after = last;
  }
  if (buf.length) fs.writeSync(fd, buf.join(""));
  fs.closeSync(fd);
} else {
  const [format, variant] = mode.split("-") as [string, string | undefined];
  const options = { media: "url" as const, ...(variant ? { yoloVariant: variant as "detect" | "segment" } : {}) };
  await writeAtomically(outFile, exportZip(format, exportSource(v), options));
  const n = db.get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM dataset_version_items WHERE version_id = ${versionId}`)!.n;
  count = n * 4;
}
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(JSON.stringify({ mode, annotations: count, seconds: secs, perSecond: count / secs, cpuSeconds, perCpuSecond: count / cpuSeconds, peakRssMb: hwmMb(), rssBeforeMb: rssBefore, bytes: fs.statSync(outFile).size }) + "\n");

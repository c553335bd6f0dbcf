// The export path at scale: the database source's read hints (split passes, ordinals) give the same
// files as reading everything; archives are deterministic across page sizes; the cache is pruned
// by least-recent use, stale temp files go, and concurrent requests build an archive once.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, getDb } from "@/lib/db/client";
import { getUserByEmail } from "@/lib/server/users";
import { exportSource, exportsDir, pruneExportCache, removeStaleTempFiles, versionArchive, exportBuildCount, buildOnce } from "@/lib/server/dataset-export";
import { exportEntries, exportZip } from "@/lib/exporters";
import { collectBytes } from "@/lib/exporters/zip";
import type { ExportOptions, ExportSource } from "@/lib/exporters/types";
import type { DatasetVersion } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { seedExportBench } from "@/bench/export/seed";

let version: DatasetVersion;
let actor: Actor;
const tempDirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(d);
  return d;
};

afterAll(() => {
  closeDb();
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function files(format: string, src: ExportSource, options: ExportOptions = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of exportEntries(format, src, options)) {
    const d = typeof e.data === "function" ? await e.data() : e.data;
    let text = "";
    if (typeof d === "string") text = d;
    else if (d instanceof Uint8Array) text = Buffer.from(d).toString("utf8");
    else for await (const c of d as AsyncIterable<string | Uint8Array>) text += typeof c === "string" ? c : Buffer.from(c).toString("utf8");
    out.set(e.path, text);
  }
  return out;
}

/** The same source with every read hint ignored: each pass reads every item in full. */
const ignoringHints = (src: ExportSource): ExportSource => ({ ...src, items: () => src.items() });

beforeAll(async () => {
  closeDb();
  const dir = tempDir("loupe-export-cache-");
  await seedExportBench(dir, 1200);
  getDb();
  const row = getDb().$client.prepare("SELECT * FROM dataset_versions WHERE id = 1").get() as Record<string, number | string>;
  version = { id: row.id, projectId: row.project_id, number: row.number, name: row.name, schemaVersion: row.schema_version, createdAt: row.created_at, manifestSha256: row.manifest_sha256 } as unknown as DatasetVersion;
  actor = { user: getUserByEmail("bench@loupe.local")!, via: "session", tokenProjectId: null, readOnly: false };
}, 60_000);

describe("export source read hints", () => {
  it("give the same files as reading every item in full (unique names: split passes skip other splits)", async () => {
    const src = exportSource(version, 97);
    for (const [format, options] of [["coco", {}], ["yolo", { yoloVariant: "detect" }], ["native", {}]] as const) {
      const a = await files(format, src, options);
      const b = await files(format, ignoringHints(src), options);
      expect([...a.keys()]).toEqual([...b.keys()]);
      for (const [p, t] of a) expect(t, `${format} ${p}`).toBe(b.get(p));
    }
    const coco = await files("coco", src);
    const train = JSON.parse(coco.get("annotations/instances_train.json")!);
    const val = JSON.parse(coco.get("annotations/instances_val.json")!);
    // Image ids are positions in the whole version, whichever split's pass wrote them.
    const ids = [...train.images, ...val.images, ...JSON.parse(coco.get("annotations/instances_test.json")!).images].map((i: { id: number }) => i.id).sort((x: number, y: number) => x - y);
    expect(ids).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect(val.annotations.length).toBe(val.images.length * 4);
  });

  it("also with colliding names and an image of unknown size (the full-read path)", async () => {
    const c = getDb().$client;
    c.prepare("UPDATE tasks SET file_name = 'IMG-000001.jpg' WHERE id IN (5, 600, 1100)").run();
    c.prepare("UPDATE media SET width = NULL WHERE id = 7").run();
    try {
      const src = exportSource(version, 50);
      for (const format of ["coco", "yolo", "native"]) {
        const a = await files(format, src);
        const b = await files(format, ignoringHints(src));
        for (const [p, t] of a) expect(t, `${format} ${p}`).toBe(b.get(p));
      }
      const media = (await files("coco", src)).get("media.jsonl")!;
      expect(media).toContain('"file_name":"IMG-000001.jpg","path":"images/');
      expect(media).toMatch(/IMG-000001-2\.jpg/);
    } finally {
      c.prepare("UPDATE tasks SET file_name = printf('img-%06d.jpg', id) WHERE id IN (5, 600, 1100)").run();
      c.prepare("UPDATE media SET width = 1920 WHERE id = 7").run();
    }
  });

  it("archives are byte-identical across runs and page sizes", async () => {
    const a = await collectBytes(exportZip("coco", exportSource(version)));
    const b = await collectBytes(exportZip("coco", exportSource(version, 13)));
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const y1 = await collectBytes(exportZip("yolo", exportSource(version, 500)));
    const y2 = await collectBytes(exportZip("yolo", exportSource(version, 501)));
    expect(Buffer.compare(Buffer.from(y1), Buffer.from(y2))).toBe(0);
  });
});

describe("export cache", () => {
  it("builds an archive once for concurrent requests, then serves it and marks it used", async () => {
    fs.rmSync(exportsDir(), { recursive: true, force: true });
    const before = exportBuildCount();
    const [a, b, c] = await Promise.all([
      versionArchive(actor, version.projectId, "1", "coco", "url"),
      versionArchive(actor, version.projectId, "1", "coco", "url"),
      versionArchive(actor, version.projectId, "latest", "coco", "url"),
    ]);
    expect(exportBuildCount() - before).toBe(1);
    expect(b.file).toBe(a.file);
    expect(c.file).toBe(a.file);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(a.file, old, old);
    await versionArchive(actor, version.projectId, "1", "coco", "url");
    expect(exportBuildCount() - before).toBe(1);
    expect(Date.now() - fs.statSync(a.file).mtimeMs).toBeLessThan(600_000);
  });

  it("a failed build is not cached: the next request builds again", async () => {
    let n = 0;
    const fail = () => { n++; return Promise.reject(new Error("disk full")); };
    await expect(Promise.all([buildOnce("/x/y.zip", fail), buildOnce("/x/y.zip", fail)])).rejects.toThrow("disk full");
    expect(n).toBe(1);
    await expect(buildOnce("/x/y.zip", fail)).rejects.toThrow("disk full");
    expect(n).toBe(2);
  });

  it("prunes least recently used archives down to the cap, never the one it keeps", () => {
    const dir = tempDir("loupe-prune-");
    const make = (name: string, size: number, ageMin: number) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, Buffer.alloc(size));
      const t = new Date(Date.now() - ageMin * 60_000);
      fs.utimesSync(f, t, t);
      return f;
    };
    make("1-coco-url.zip", 100, 30);
    make("2-coco-url.zip", 100, 20);
    const recent = make("3-yolo-url.zip", 100, 10);
    make("notes.txt", 1000, 40);
    expect(pruneExportCache(dir, 150, recent)).toEqual(["1-coco-url.zip", "2-coco-url.zip"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["3-yolo-url.zip", "notes.txt"]);
    // The kept archive stays even when it alone is over the cap.
    expect(pruneExportCache(dir, 10, recent)).toEqual([]);
    expect(pruneExportCache(dir, 10)).toEqual(["3-yolo-url.zip"]);
    expect(pruneExportCache(path.join(dir, "missing"), 0)).toEqual([]);
  });

  it("removes temp files of dead builds older than an hour, keeps fresh ones", () => {
    const dir = tempDir("loupe-tmp-");
    const old = path.join(dir, "1-coco-url.zip.1.2.abc.tmp");
    const fresh = path.join(dir, "1-coco-url.zip.1.3.def.tmp");
    fs.writeFileSync(old, "x");
    fs.writeFileSync(fresh, "x");
    fs.writeFileSync(path.join(dir, "1-coco-url.zip"), "x");
    const t = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(old, t, t);
    fs.utimesSync(path.join(dir, "1-coco-url.zip"), t, t);
    expect(removeStaleTempFiles(dir)).toEqual([path.basename(old)]);
    expect(fs.readdirSync(dir).sort()).toEqual(["1-coco-url.zip", path.basename(fresh)].sort());
  });
});

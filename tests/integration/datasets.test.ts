import { describe, it, expect, beforeAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { freshDataDir, call, userWithToken, FIXTURES } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as versions from "@/app/api/v1/projects/[id]/versions/route";
import * as version from "@/app/api/v1/projects/[id]/versions/[v]/route";
import * as exportRoute from "@/app/api/v1/projects/[id]/versions/[v]/export/route";
import { getDb } from "@/lib/db/client";
import { assignSplit } from "@/lib/server/datasets";
import { writeAtomically, exportSource, exportBuildCount, exportCachePath } from "@/lib/server/dataset-export";
import { exportZip } from "@/lib/exporters";
import { datasetVersions } from "@/lib/db/schema";
import { and, eq } from "drizzle-orm";

/** Entries of a ZIP via its central directory (sizes only; enough for these small archives). */
function readZip(buf: Uint8Array): Map<string, Buffer> {
  const b = Buffer.from(buf);
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(-1);
  const count = b.readUInt16LE(eocd + 10);
  const out = new Map<string, Buffer>();
  for (let i = 0, p = b.readUInt32LE(eocd + 16); i < count; i++) {
    expect(b.readUInt32LE(p)).toBe(0x02014b50);
    const method = b.readUInt16LE(p + 10), csize = b.readUInt32LE(p + 20);
    const nlen = b.readUInt16LE(p + 28), xlen = b.readUInt16LE(p + 30), clen = b.readUInt16LE(p + 32);
    const off = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nlen).toString("utf8");
    const start = off + 30 + b.readUInt16LE(off + 26) + b.readUInt16LE(off + 28);
    const raw = b.subarray(start, start + csize);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

type U = { token: string; user: { id: number } };
let dataDir: string;
let mgr: U, a1: U, rev: U;
let pid: string, emptyPid: string;
let taskIds: number[] = [];
const annIds: number[] = [];

const schema = {
  labels: [
    { name: "car", kinds: ["rect"] },
    { name: "person", kinds: ["rect"] },
  ],
};
const rect = (id: string, label: string) => ({ id, kind: "rect", label, x: 1, y: 2, width: 3, height: 4, rotation: 0 });

/** The synchronous form old clients use: ?wait=1 waits for the background build (201 + summary). */
async function create(body: unknown, token = mgr.token, id = pid) {
  return call(versions.POST, "POST", "/x?wait=1", { token, params: { id }, body });
}
async function manifest(v: string, token = mgr.token, id = pid) {
  return call(version.GET, "GET", "/x", { token, params: { id, v } });
}

beforeAll(async () => {
  dataDir = freshDataDir();
  mgr = await userWithToken("m@d.test");
  a1 = await userWithToken("a1@d.test");
  rev = await userWithToken("r@d.test");
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Cars", dataType: "image", schema } });
  pid = String(p.json.id);
  const e = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Empty", dataType: "image", schema } });
  emptyPid = String(e.json.id);
  for (const [u, role] of [[a1, "annotator"], [rev, "reviewer"]] as const) {
    await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role } });
  }
  const tasks = Array.from({ length: 40 }, (_, i) => ({ data: { image: `https://example.com/${i}.jpg` } }));
  const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: tasks });
  expect(r.status).toBe(201);
  const list = await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=100", { token: mgr.token, params: { id: pid } });
  taskIds = list.json.items.map((t: { id: number }) => t.id);
  // 30 annotated tasks: even ones "car", odd ones "person"; task 30..39 unannotated.
  for (let i = 0; i < 30; i++) {
    const s = await call(taskAnns.POST, "POST", "/x", {
      token: a1.token, params: { id: String(taskIds[i]) }, body: { document: { regions: [rect("r1", i % 2 ? "person" : "car")] } },
    });
    expect(s.status).toBe(201);
    annIds.push(s.json.id);
  }
  // All revisions so far written on 2026-01-10; the reviewer's edits below get "now".
  getDb().run(sql`UPDATE annotation_revisions SET created_at = ${Date.parse("2026-01-10T12:00:00Z")}`);
  // The reviewer accepts (edits) the first five.
  for (let i = 0; i < 5; i++) {
    const u = await call(ann.PUT, "PUT", "/x", {
      token: rev.token, params: { id: String(annIds[i]) }, body: { revision: 1, document: { regions: [rect("r1", i % 2 ? "person" : "car")] } },
    });
    expect(u.status).toBe(200);
  }
});

describe("dataset versions", () => {
  let v1: { sha256: string; number: number };

  it("creates a version of all submitted annotations with a seeded split", async () => {
    const r = await create({ name: "first", notes: "hello", split: { seed: 7, train: 0.7, val: 0.2, test: 0.1 } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ number: 1, name: "first", notes: "hello", parent: null, status: "ready", schemaVersion: 1 });
    expect(r.json.counts).toMatchObject({ tasks: 30, annotations: 30 });
    expect(r.json.counts.train + r.json.counts.val + r.json.counts.test).toBe(30);
    expect(r.json.counts.train).toBeGreaterThan(r.json.counts.test);
    expect(r.json.labelCounts).toEqual({ car: 15, person: 15 });
    expect(r.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    v1 = r.json;
  });

  it("splits roughly by the ratios over many tasks", () => {
    const s = { seed: "abc", train: 0.8, val: 0.1, test: 0.1 };
    const counts = { train: 0, val: 0, test: 0 };
    for (let t = 1; t <= 5000; t++) counts[assignSplit(s, t)]++;
    expect(counts.train / 5000).toBeGreaterThan(0.77);
    expect(counts.train / 5000).toBeLessThan(0.83);
    expect(counts.val / 5000).toBeGreaterThan(0.08);
    expect(counts.test / 5000).toBeGreaterThan(0.08);
  });

  it("gives the same hash for unchanged data, keeps splits stable, and records the parent", async () => {
    const r = await create({ name: "again", notes: "other notes", split: { seed: 7, train: 0.7, val: 0.2, test: 0.1 } });
    expect(r.status).toBe(201);
    expect(r.json.number).toBe(2);
    expect(r.json.parent).toBe(1);
    expect(r.json.sha256).toBe(v1.sha256);
    const m1 = (await manifest("1")).json;
    const m2 = (await manifest("2")).json;
    expect(m2.items.map((i: { split: string }) => i.split)).toEqual(m1.items.map((i: { split: string }) => i.split));
    expect(m1.items.map((i: { taskId: number }) => i.taskId)).toEqual(taskIds.slice(0, 30));
  });

  it("refuses to delete a task a version holds (409), and still deletes one no version holds", async () => {
    const held = await call(taskRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: String(taskIds[0]) } });
    expect(held.status).toBe(409);
    expect(held.json.error.message).toMatch(/dataset version \d+/);
    expect((await manifest("latest")).json.items.some((x: { taskId: number }) => x.taskId === taskIds[0])).toBe(true);
    // Task 39 has no annotation, so no version holds it.
    const free = await call(taskRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: String(taskIds[39]) } });
    expect(free.status).toBe(204);
  });

  it("serves the manifest for a number and for latest", async () => {
    const latest = await manifest("latest");
    expect(latest.status).toBe(200);
    expect(latest.json).toMatchObject({ number: 2, project: { id: Number(pid), name: "Cars", dataType: "image" }, parent: 1 });
    expect(latest.json.items[0]).toEqual({
      taskId: taskIds[0], annotationId: annIds[0], revision: 2, split: expect.stringMatching(/^(train|val|test)$/),
      documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/), mediaSha256: null,
    });
    expect((await manifest("99")).status).toBe(404);
    expect((await manifest("abc")).status).toBe(404);
    const list = await call(versions.GET, "GET", "/x", { token: mgr.token, params: { id: pid } });
    expect(list.json.items.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    expect(list.json.total).toBe(2);
  });

  it("filters: reviewed only, by label, by date", async () => {
    const reviewed = await create({ filter: { status: "reviewed" } });
    expect(reviewed.json.counts).toMatchObject({ tasks: 5, annotations: 5 });
    const people = await create({ filter: { labels: ["person"] } });
    expect(people.json.counts.tasks).toBe(15);
    expect(people.json.labelCounts).toEqual({ person: 15 });
    // As of 2026-01-11: the reviewer's later edits are not in, so revision 1 of everything.
    const asOf = await create({ filter: { to: "2026-01-11" } });
    expect(asOf.json.counts.annotations).toBe(30);
    const m = (await manifest(String(asOf.json.number))).json;
    expect(m.items.every((i: { revision: number }) => i.revision === 1)).toBe(true);
    expect(m.filter.to).toBe("2026-01-11T00:00:00.000Z");
    // Written after 2026-02-01: only the reviewer's edits.
    const since = await create({ filter: { from: "2026-02-01T00:00:00Z" } });
    expect(since.json.counts.annotations).toBe(5);
    const before = await create({ filter: { to: "2025-01-01" } });
    expect(before.json.counts).toMatchObject({ tasks: 0, annotations: 0 });
  });

  it("refuses invalid filters and splits with 422 and the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ filter: { status: "accepted-ish" } }, "filter.status"],
      [{ filter: { labels: ["truck"] } }, "filter.labels"],
      [{ filter: { labels: [] } }, "filter.labels"],
      [{ filter: { from: "yesterday" } }, "filter.from"],
      [{ filter: { from: "2026-02-01", to: "2026-01-01" } }, "filter.to"],
      [{ filter: { colour: "red" } }, "filter"],
      [{ split: { seed: 1, train: 0.5, val: 0.2, test: 0.2 } }, "split.train"],
      [{ split: { seed: 1, train: 1.5, val: 0, test: -0.5 } }, "split.train"],
    ];
    for (const [body, field] of cases) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.error.field, JSON.stringify(body)).toBe(field);
    }
  });

  it("an edit changes the hash and an old version still holds the old revision", async () => {
    const before = await create({});
    const u = await call(ann.PUT, "PUT", "/x", {
      token: a1.token, params: { id: String(annIds[10]) }, body: { revision: 1, document: { regions: [rect("r1", "person"), rect("r2", "car")] } },
    });
    expect(u.status).toBe(200);
    const after = await create({});
    expect(after.json.sha256).not.toBe(before.json.sha256);
    expect(after.json.parent).toBe(before.json.number);
    const oldM = (await manifest(String(before.json.number))).json;
    const newM = (await manifest(String(after.json.number))).json;
    const find = (m: { items: Array<{ annotationId: number; revision: number }> }) => m.items.find((i) => i.annotationId === annIds[10])!;
    expect(find(oldM).revision).toBe(1);
    expect(find(newM).revision).toBe(2);
  });

  it("allows a version of an empty project and its export is a valid archive", async () => {
    const r = await create({}, mgr.token, emptyPid);
    expect(r.status).toBe(201);
    expect(r.json.counts).toMatchObject({ tasks: 0, annotations: 0 });
    const x = await call(exportRoute.GET, "GET", "/x?format=coco", { token: mgr.token, params: { id: emptyPid, v: "latest" } });
    expect(x.status).toBe(200);
    const files = readZip(fs.readFileSync(exportCachePath(r.json.id, "coco", "url")));
    expect(files.has("export-report.json")).toBe(true);
    // One instances file per split present; an empty version gets an empty (valid) train file.
    expect([...files.keys()].sort()).toEqual(["annotations/instances_train.json", "export-report.json", "media.jsonl"]);
    const coco = JSON.parse(files.get("annotations/instances_train.json")!.toString("utf8"));
    expect(coco.images).toEqual([]);
    expect(coco.annotations).toEqual([]);
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(["car", "person"]);
    // YOLO of the empty version: still a data.yaml naming the classes.
    const y = await call(exportRoute.GET, "GET", "/x?format=yolo", { token: mgr.token, params: { id: emptyPid, v: "latest" } });
    expect(y.status).toBe(200);
    const yolo = readZip(fs.readFileSync(exportCachePath(r.json.id, "yolo", "url")));
    expect(yolo.get("data.yaml")?.toString("utf8")).toMatch(/car/);
    expect(files.get("media.jsonl")!.length).toBe(0);
    expect(JSON.parse(files.get("export-report.json")!.toString("utf8"))).toMatchObject({ format: "coco", warnings: {} });
  });

  it("refuses a format that does not fit, or an unknown one, with 422", async () => {
    const c = await call(exportRoute.GET, "GET", "/x?format=conll", { token: mgr.token, params: { id: pid, v: "1" } });
    expect(c.status).toBe(422);
    expect(c.json.error.code).toBe("format_does_not_fit");
    expect(c.json.error.message).toMatch(/CoNLL/);
    const u = await call(exportRoute.GET, "GET", "/x?format=nope", { token: mgr.token, params: { id: pid, v: "1" } });
    expect(u.status).toBe(422);
    const m = await call(exportRoute.GET, "GET", "/x?format=coco&media=maybe", { token: mgr.token, params: { id: pid, v: "1" } });
    expect(m.status).toBe(422);
    expect(m.json.error.field).toBe("media");
  });

  it("exports deterministically, caches the archive and serves Range requests", async () => {
    const get = async (headers: Record<string, string> = {}) => {
      const req = await call(exportRoute.GET, "GET", "/x?format=coco", { token: mgr.token, params: { id: pid, v: "1" }, headers });
      return req;
    };
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/zip");
    const cached = path.join(dataDir, "exports");
    const files = fs.readdirSync(cached);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const file = path.join(cached, files.find((f) => f.includes("-coco-url"))!);
    const bytes1 = fs.readFileSync(file);
    const builds = exportBuildCount();
    const ino = fs.statSync(file).ino;
    const second = await get();
    expect(second.status).toBe(200);
    // Served from the cache, not rebuilt (a serve touches the mtime, for least-recently-used pruning).
    expect(exportBuildCount()).toBe(builds);
    expect(fs.statSync(file).ino).toBe(ino);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    // Rebuilding from scratch gives the same bytes.
    fs.rmSync(file);
    await get();
    expect(Buffer.compare(fs.readFileSync(file), bytes1)).toBe(0);
    const range = await get({ range: "bytes=0-3" });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toBe(`bytes 0-3/${bytes1.length}`);
    expect(range.text.startsWith("PK")).toBe(true);
    // If-Range: the same ETag resumes (206); another one gets the whole archive (200).
    const resumed = await get({ range: "bytes=2-3", "if-range": first.headers.get("etag")! });
    expect(resumed.status).toBe(206);
    const stale = await get({ range: "bytes=2-3", "if-range": '"an-older-archive"' });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("content-length")).toBe(String(bytes1.length));
    const notModified = await get({ "if-none-match": first.headers.get("etag")! });
    expect(notModified.status).toBe(304);
  });

  it("streams the same items whatever the page size", async () => {
    const v = getDb().select().from(datasetVersions).where(and(eq(datasetVersions.projectId, Number(pid)), eq(datasetVersions.number, 1))).get()!;
    const collect = async (pageSize: number) => {
      const ids: Array<string | number> = [];
      for (const it of exportSource(v, pageSize).items() as Iterable<{ taskId: string | number }>) ids.push(it.taskId);
      const parts: Uint8Array[] = [];
      for await (const c of exportZip("native", exportSource(v, pageSize))) parts.push(c);
      return { ids, zip: Buffer.concat(parts) };
    };
    const small = await collect(7), big = await collect(500);
    expect(small.ids).toEqual(taskIds.slice(0, 30));
    expect(big.ids).toEqual(small.ids);
    expect(Buffer.compare(small.zip, big.zip)).toBe(0);
  });

  it("leaves no file behind when an archive build fails", async () => {
    const dest = path.join(dataDir, "exports", "failing.zip");
    async function* chunks() {
      yield new Uint8Array([1, 2, 3]);
      throw new Error("boom");
    }
    await expect(writeAtomically(dest, chunks())).rejects.toThrow("boom");
    expect(fs.existsSync(dest)).toBe(false);
    expect(fs.readdirSync(path.dirname(dest)).filter((f) => f.startsWith("failing"))).toEqual([]);
  });

  it("downloads byte-identical archives twice over HTTP", async () => {
    const dl = async () => {
      const req = new (await import("next/server")).NextRequest("http://localhost:3000/x?format=native", { headers: { authorization: `Bearer ${mgr.token}` } });
      const res = await exportRoute.GET(req, { params: Promise.resolve({ id: pid, v: "1" }) });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const a = await dl();
    const b = await dl();
    expect(a.length).toBeGreaterThan(100);
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it("includes stored media from the content-addressed store, and exports text projects", async () => {
    const ip = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Fruit", dataType: "image", schema } })).json.id);
    const form = new FormData();
    const jpg = fs.readFileSync(path.join(FIXTURES, "images/fruits.jpg"));
    form.append("files", new File([new Uint8Array(jpg)], "fruits.jpg", { type: "image/jpeg" }));
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: ip }, form })).status).toBe(201);
    const t = (await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: ip } })).json.items[0].id;
    expect((await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(t) }, body: { document: { regions: [rect("r1", "car")] } } })).status).toBe(201);
    const v = await create({}, mgr.token, ip);
    expect(v.status).toBe(201);
    const m = (await manifest("latest", mgr.token, ip)).json;
    expect(m.items[0].mediaSha256).toMatch(/^[0-9a-f]{64}$/);
    const x = await call(exportRoute.GET, "GET", "/x?format=coco&media=include", { token: mgr.token, params: { id: ip, v: "1" } });
    expect(x.status).toBe(200);
    const zip = fs.readFileSync(exportCachePath(v.json.id, "coco", "include"));
    expect(zip.indexOf(jpg)).toBeGreaterThan(0); // stored, not deflated

    const tp = String((await call(projects.POST, "POST", "/x", {
      token: mgr.token, body: { name: "Text", dataType: "text", schema: { labels: [{ name: "PER", kinds: ["span"] }] } },
    })).json.id);
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: tp }, body: [{ data: { text: "Ada Lovelace wrote." } }] })).status).toBe(201);
    const tt = (await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: tp } })).json.items[0].id;
    const span = { id: "s1", kind: "span", label: "PER", start: 0, end: 12, text: "Ada Lovelace" };
    const a = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(tt) }, body: { document: { regions: [span] } } });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    expect((await create({}, mgr.token, tp)).status).toBe(201);
    const c = await call(exportRoute.GET, "GET", "/x?format=conll", { token: mgr.token, params: { id: tp, v: "latest" } });
    expect(c.status).toBe(200);
    const tv = (await manifest("latest", mgr.token, tp)).json;
    const files = readZip(fs.readFileSync(exportCachePath(tv.id, "conll", "url")));
    expect([...files.values()].some((f) => f.toString("utf8").includes("B-PER"))).toBe(true);
  });

  it("refuses another project's token and a non-manager's create", async () => {
    const other = await userWithToken("m@d.test", { projectId: Number(emptyPid) });
    expect((await manifest("1", other.token)).status).toBe(404);
    expect((await create({}, other.token)).status).toBe(404);
    expect((await call(exportRoute.GET, "GET", "/x?format=coco", { token: other.token, params: { id: pid, v: "1" } })).status).toBe(404);
    const own = await userWithToken("m@d.test", { projectId: Number(pid) });
    expect((await manifest("1", own.token)).status).toBe(200);
    const annot = await create({}, a1.token);
    expect(annot.status).toBe(403);
    expect((await manifest("1", a1.token)).status).toBe(403);
    const reviewer = await create({}, rev.token);
    expect(reviewer.status).toBe(403);
    expect((await manifest("1", rev.token)).status).toBe(200);
    const ro = await userWithToken("m@d.test", { projectId: Number(pid), readOnly: true });
    expect((await create({}, ro.token)).status).toBe(403);
  });
});

describe("version media size", () => {
  it("records the bytes of the version's stored media (each file once); URL-only data counts 0", async () => {
    const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Sized", dataType: "image", schema } });
    const id = String(p.json.id);
    const jpg = fs.readFileSync(path.join(FIXTURES, "images/fruits.jpg"));
    const png = fs.readFileSync(path.join(FIXTURES, "images/page.png"));
    const form = new FormData();
    form.append("files", new File([new Uint8Array(jpg)], "fruits.jpg", { type: "image/jpeg" }));
    form.append("files", new File([new Uint8Array(png)], "page.png", { type: "image/png" }));
    const up = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id }, form });
    expect(up.status).toBe(201);
    const list = await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=10", { token: mgr.token, params: { id } });
    const ids: number[] = list.json.items.map((t: { id: number }) => t.id);
    expect(ids).toHaveLength(2);
    // Only the first task is annotated: the version holds one file.
    const s = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(ids[0]) }, body: { document: { regions: [rect("r1", "car")] } } });
    expect(s.status).toBe(201);
    const v = await create({}, mgr.token, id);
    expect(v.status).toBe(201);
    const firstIsJpg = list.json.items[0].fileName === "fruits.jpg";
    expect(v.json.mediaBytes).toBe(firstIsJpg ? jpg.length : png.length);
    // Both annotated: both files, listed the same way.
    await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(ids[1]) }, body: { document: { regions: [rect("r1", "car")] } } });
    const v2 = await create({}, mgr.token, id);
    expect(v2.json.mediaBytes).toBe(jpg.length + png.length);
    const l = await call(versions.GET, "GET", "/x", { token: mgr.token, params: { id } });
    expect(l.json.items.map((x: { mediaBytes: number }) => x.mediaBytes)).toEqual([jpg.length + png.length, firstIsJpg ? jpg.length : png.length]);
    // The Cars project's tasks reference images by URL: nothing stored.
    const cars = await manifest("1");
    expect(cars.json.mediaBytes).toBe(0);
  });
});

describe("predictions in exports", () => {
  it("leaves unaccepted predictions out unless ?predictions=include, caches both separately, and refuses other values", async () => {
    const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Predicted", dataType: "image", schema } });
    const id = String(p.json.id);
    await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id }, body: [{ data: { image: "https://example.com/p.jpg" } }] });
    const list = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id } });
    const s = await call(taskAnns.POST, "POST", "/x", {
      token: mgr.token, params: { id: String(list.json.items[0].id) },
      body: { document: { regions: [rect("m1", "car"), { ...rect("p1", "person"), origin: "prediction", model: "detector", score: 0.42 }] } },
    });
    expect(s.status).toBe(201);
    const v = await create({}, mgr.token, id);
    expect(v.status).toBe(201);
    const cocoOf = async (q: string) => {
      const r = await call(exportRoute.GET, "GET", `/x?format=coco${q}`, { token: mgr.token, params: { id, v: "latest" } });
      expect(r.status).toBe(200);
      return { etag: r.headers.get("etag"), coco: JSON.parse(readZip(fs.readFileSync(exportCachePath(v.json.id, "coco", "url", q ? "include" : "exclude"))).get("annotations/instances_train.json")!.toString("utf8")) };
    };
    const plain = await cocoOf("");
    expect(plain.coco.annotations).toHaveLength(1);
    const withPred = await cocoOf("&predictions=include");
    expect(withPred.coco.annotations).toHaveLength(2);
    expect(withPred.etag).not.toBe(plain.etag);
    const bad = await call(exportRoute.GET, "GET", "/x?format=coco&predictions=maybe", { token: mgr.token, params: { id, v: "latest" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("predictions");
  });
});

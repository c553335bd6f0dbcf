// Round trip: a version exported in the native format and imported into another project gives the
// same annotations (regions of every kind, attributes, origin, classifications, relations).
import { describe, it, expect, beforeAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskRoute from "@/app/api/v1/tasks/[id]/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as versions from "@/app/api/v1/projects/[id]/versions/route";
import * as exportRoute from "@/app/api/v1/projects/[id]/versions/[v]/export/route";
import { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { unzipTo } from "@/lib/archive/unzip";

type U = { token: string; user: { id: number } };
let mgr: U, ann: U;
let tmp: string;

const imageSchema = {
  labels: [
    { name: "car", kinds: ["rect", "polygon"], attributes: [{ name: "occluded", type: "checkbox" }] },
    { name: "person", kinds: ["keypoints", "ellipse"] },
    { name: "lane", kinds: ["polyline"] },
  ],
  classifications: [{ name: "weather", choices: ["sun", "rain"], multiple: false }],
};
const textSchema = { labels: [{ name: "PER" }, { name: "LOC" }] };

const imageDocs = [
  {
    regions: [
      { id: "r1", kind: "rect", label: "car", x: 10, y: 20, width: 100, height: 50, rotation: 30, attributes: { occluded: true } },
      { id: "r2", kind: "polygon", label: "car", points: [[0, 0], [50, 0], [50, 40]], origin: "prediction", model: "yolo-v8", score: 0.87 },
      { id: "r3", kind: "keypoints", label: "person", points: [[5, 5, 2], [6, 7, 1], [0, 0, 0]] },
      { id: "r4", kind: "ellipse", label: "person", cx: 40, cy: 40, rx: 10, ry: 5, rotation: 15 },
      { id: "r5", kind: "polyline", label: "lane", points: [[0, 90], [100, 95]] },
    ],
    classifications: { weather: ["rain"] },
    relations: [{ from: "r1", to: "r2", label: "same" }],
  },
  { regions: [{ id: "a", kind: "rect", label: "car", x: 1, y: 1, width: 2, height: 2, rotation: 0 }], classifications: { weather: ["sun"] }, relations: [] },
];

async function project(name: string, dataType: string, schema: unknown): Promise<string> {
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name, dataType, schema } });
  expect(p.status).toBe(201);
  return String(p.json.id);
}

async function tasksWithAnnotations(pid: string) {
  const list = await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=100", { token: mgr.token, params: { id: pid } });
  const out = [];
  for (const t of list.json.items) {
    const a = await call(taskAnns.GET, "GET", "/x", { token: mgr.token, params: { id: String(t.id) } });
    const full = await call(taskRoute.GET, "GET", "/x", { token: mgr.token, params: { id: String(t.id) } });
    out.push({ task: { ...t, data: full.json.data }, annotations: a.json.items ?? a.json });
  }
  return out;
}

/** Version 1 of the project, exported natively and unpacked: the tasks.jsonl path. */
async function exportNative(pid: string, name: string, media = "url"): Promise<string> {
  const v = await call(versions.POST, "POST", "/x?wait=1", { token: mgr.token, params: { id: pid }, body: {} });
  expect(v.status).toBe(201);
  const n = String(v.json.number ?? v.json.version?.number);
  // Binary-safe: the handler called directly (harness call() decodes bodies as text).
  const res = await exportRoute.GET(new NextRequest(`http://localhost/x?format=native&media=${media}`, { headers: { authorization: `Bearer ${mgr.token}` } }), { params: Promise.resolve({ id: pid, v: n }) });
  expect(res.status).toBe(200);
  const zip = path.join(tmp, `${name}.zip`);
  fs.writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
  await unzipTo(zip, path.join(tmp, name));
  return path.join(tmp, name, "tasks.jsonl");
}

async function importFile(pid: string, file: string, token = mgr.token) {
  const form = new FormData();
  form.append("files", new File([fs.readFileSync(file)], "tasks.jsonl"));
  return call(importRoute.POST, "POST", "/x", { token, params: { id: pid }, form });
}

const strip = (a: { document: unknown; status: string }) => ({ document: a.document, status: a.status });

beforeAll(async () => {
  freshDataDir();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-rt-"));
  mgr = await userWithToken("m@rt.test");
  ann = await userWithToken("ann@rt.test");
});

describe("native export -> import round trip", () => {
  it("image project: every region kind, attributes, origin, classifications and relations survive", async () => {
    const a = await project("A", "image", imageSchema);
    const tasks = [0, 1, 2].map((i) => ({ data: { image: `https://example.com/${i}.jpg`, meta: { i } } }));
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: a }, body: tasks })).status).toBe(201);
    const src = await tasksWithAnnotations(a);
    for (let i = 0; i < imageDocs.length; i++) {
      const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(src[i]!.task.id) }, body: { document: imageDocs[i] } });
      expect(r.status).toBe(201);
    }
    const jsonl = await exportNative(a, "img");
    const b = await project("B", "image", imageSchema);
    const imp = await importFile(b, jsonl);
    expect(imp.status).toBe(201);
    expect(imp.json).toMatchObject({ created: 2, annotations: 2, failed: [] });

    const before = (await tasksWithAnnotations(a)).filter((t) => t.annotations.length);
    const after = await tasksWithAnnotations(b);
    expect(after.map((t) => t.task.data)).toEqual(before.map((t) => t.task.data));
    expect(after.map((t) => t.annotations.map(strip))).toEqual(before.map((t) => t.annotations.map(strip)));
    expect(after[0]!.annotations[0].document.regions[1]).toMatchObject({ origin: "prediction", model: "yolo-v8", score: 0.87 });
    // Imported annotations belong to the importer, are submitted, complete their task; the origin is audited.
    for (const t of after) {
      expect(t.task.status).toBe("completed");
      expect(t.annotations[0]).toMatchObject({ userId: mgr.user.id, status: "submitted", revision: 1 });
    }
    const audit = getDb().all<{ details: string }>(sql`SELECT details FROM audit_log WHERE action = 'annotation.imported' AND project_id = ${Number(b)} ORDER BY id`);
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0]!.details).origin).toMatchObject({ annotator: "m@rt.test", userId: mgr.user.id, revision: 1, annotationId: before[0]!.annotations[0].id });
    const labelsB = getDb().all<{ label: string }>(sql`SELECT DISTINCT label FROM task_labels WHERE project_id = ${Number(b)} ORDER BY label`);
    expect(labelsB.map((l) => l.label)).toEqual(["car", "lane", "person"]);
  });

  it("text project: spans with emoji offsets survive", async () => {
    const a = await project("TA", "text", textSchema);
    const text = "🙂 Ada Lovelace met 👋 Babbage in London.";
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: a }, body: [{ data: { text } }] })).status).toBe(201);
    const [t] = await tasksWithAnnotations(a);
    const cps = [...text];
    const at = (s: string) => [...text.slice(0, text.indexOf(s))].length;
    const span = (id: string, label: string, s: string) => ({ id, kind: "span", label, start: at(s), end: at(s) + [...s].length, text: cps.slice(at(s), at(s) + [...s].length).join("") });
    const doc = { regions: [span("p", "PER", "Ada Lovelace"), span("q", "PER", "Babbage"), span("l", "LOC", "London")], relations: [{ from: "p", to: "q" }] };
    const c = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(t!.task.id) }, body: { document: doc } });
    expect(c.status).toBe(201);
    const jsonl = await exportNative(a, "txt");
    const b = await project("TB", "text", textSchema);
    expect((await importFile(b, jsonl)).status).toBe(201);
    const [u] = await tasksWithAnnotations(b);
    expect(u!.task.data).toEqual({ text });
    expect(u!.annotations.map(strip)).toEqual((await tasksWithAnnotations(a))[0]!.annotations.map(strip));
    // The same rows sent as a JSON body (the tasks.json layout) import the same way.
    const c2 = await project("TC", "text", textSchema);
    const rows = fs.readFileSync(jsonl, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: c2 }, body: rows });
    expect(r.json).toMatchObject({ created: 1, annotations: 1 });
    expect((await tasksWithAnnotations(c2))[0]!.annotations.map(strip)).toEqual(u!.annotations.map(strip));
  });

  it("links stored media from this server when the importer may read it, and only then", async () => {
    const a = await project("MA", "image", imageSchema);
    const form = new FormData();
    form.append("files", new File([fs.readFileSync(path.resolve("tests/fixtures/images/fruits.jpg"))], "fruits.jpg", { type: "image/jpeg" }));
    const up = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: a }, form });
    expect(up.status).toBe(201);
    const tid = up.json.taskIds[0];
    expect((await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(tid) }, body: { document: imageDocs[1] } })).status).toBe(201);
    const jsonl = await exportNative(a, "media");
    const mediaOf = (pid: string) => getDb().all<{ media_id: number | null; file_name: string | null }>(sql`SELECT media_id, file_name FROM tasks WHERE project_id = ${Number(pid)}`);
    const b = await project("MB", "image", imageSchema);
    expect((await importFile(b, jsonl)).status).toBe(201);
    expect(mediaOf(b)).toEqual([{ media_id: mediaOf(a)[0]!.media_id, file_name: "fruits.jpg" }]);
    // A row whose recorded media does not match the stored file (another server's id) is not linked.
    const row = JSON.parse(fs.readFileSync(jsonl, "utf8").trim());
    row.media.width += 1;
    const other = path.join(tmp, "other-server.jsonl");
    fs.writeFileSync(other, JSON.stringify(row) + "\n");
    const b2 = await project("MB2", "image", imageSchema);
    expect((await importFile(b2, other)).status).toBe(201);
    expect(mediaOf(b2)).toEqual([{ media_id: null, file_name: null }]);
    // Someone who cannot read project MA gets the task and annotation, but not MA's media.
    const stranger = await userWithToken("stranger@rt.test");
    const p = await call(projects.POST, "POST", "/x", { token: stranger.token, body: { name: "S", dataType: "image", schema: imageSchema } });
    const form2 = new FormData();
    form2.append("files", new File([fs.readFileSync(jsonl)], "tasks.jsonl"));
    const r = await call(importRoute.POST, "POST", "/x", { token: stranger.token, params: { id: String(p.json.id) }, form: form2 });
    expect(r.json).toMatchObject({ created: 1, annotations: 1 });
    expect(mediaOf(String(p.json.id))).toEqual([{ media_id: null, file_name: null }]);
  });

  it("refuses rows whose documents do not fit the project (422 with the line), importing nothing", async () => {
    const b = await project("C", "image", { labels: [{ name: "car", kinds: ["rect"] }] });
    const rows = [
      { task_id: 1, data: { image: "https://example.com/1.jpg" }, annotations: [{ id: 1, annotator: "x", document: { regions: [{ id: "a", kind: "rect", label: "car", x: 0, y: 0, width: 1, height: 1, rotation: 0 }] } }] },
      { task_id: 2, data: { image: "https://example.com/2.jpg" }, annotations: [{ id: 2, annotator: "x", document: { regions: [{ id: "a", kind: "rect", label: "truck", x: 0, y: 0, width: 1, height: 1, rotation: 0 }] } }] },
      { task_id: 3, data: { image: "https://example.com/3.jpg" }, annotations: [{ id: 3, document: { regions: [{ id: "a", kind: "polygon", label: "car", points: [[0, 0]] }] } }] },
    ];
    const f = path.join(tmp, "bad.jsonl");
    fs.writeFileSync(f, rows.map((r) => JSON.stringify(r)).join("\n"));
    const r = await importFile(b, f);
    expect(r.status).toBe(422);
    expect(r.json.failed).toEqual([
      expect.objectContaining({ line: 2, message: 'annotations.0.document.regions.0.label: unknown label "truck"' }),
      expect.objectContaining({ line: 3, message: "annotations.0.document.regions.0.points: a polygon needs at least 3 points" }),
    ]);
    expect((await tasksWithAnnotations(b))).toHaveLength(0);
  });

  it("an annotator (no import right) cannot import annotations", async () => {
    const b = await project("D", "image", imageSchema);
    const f = path.join(tmp, "one.jsonl");
    fs.writeFileSync(f, JSON.stringify({ data: { image: "https://example.com/1.jpg" }, annotations: [{ document: { regions: [] } }] }));
    const r = await importFile(b, f, ann.token);
    expect([403, 404]).toContain(r.status);
  });

  // Last: it swaps in a fresh data directory, i.e. another server.
  it("a native .zip with media included imports into another server: media, tasks and annotations", async () => {
    const a = await project("ZA", "image", imageSchema);
    for (const f of ["fruits.jpg", "page.png"]) {
      const form = new FormData();
      form.append("files", new File([fs.readFileSync(path.resolve("tests/fixtures/images", f))], f));
      const up = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: a }, form });
      expect(up.status).toBe(201);
      const doc = { regions: [{ id: "r", kind: "rect", label: "car", x: 1, y: 2, width: 3, height: 4, rotation: 0, attributes: { occluded: true } }], classifications: { weather: ["sun"] }, relations: [] };
      expect((await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(up.json.taskIds[0]) }, body: { document: doc } })).status).toBe(201);
    }
    await exportNative(a, "zipsrc", "include");
    const zipBytes = fs.readFileSync(path.join(tmp, "zipsrc.zip"));
    const before = (await tasksWithAnnotations(a)).map((t) => ({ anns: t.annotations.map(strip) }));

    freshDataDir();
    const m2 = await userWithToken("m2@rt.test");
    const p = await call(projects.POST, "POST", "/x", { token: m2.token, body: { name: "ZB", dataType: "image", schema: imageSchema } });
    const b = String(p.json.id);
    const form = new FormData();
    form.append("files", new File([zipBytes], "export.zip"));
    const r = await call(importRoute.POST, "POST", "/x", { token: m2.token, params: { id: b }, form });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ created: 2, annotations: 2 });
    const rows = getDb().all<{ media_id: number | null; file_name: string; data: string; sha256: string; width: number }>(sql`
      SELECT t.media_id, t.file_name, t.data, m.sha256, m.width FROM tasks t JOIN media m ON m.id = t.media_id WHERE t.project_id = ${Number(b)} ORDER BY t.id`);
    expect(rows.map((x) => x.file_name)).toEqual(["fruits.jpg", "page.png"]);
    for (const x of rows) {
      expect(JSON.parse(x.data).image).toBe(`/api/v1/media/${x.media_id}`);
      expect(x.width).toBeGreaterThan(0);
    }
    const after = [];
    for (const t of rows) {
      const tid = getDb().get<{ id: number }>(sql`SELECT id FROM tasks WHERE media_id = ${t.media_id} AND project_id = ${Number(b)}`)!.id;
      const an = await call(taskAnns.GET, "GET", "/x", { token: m2.token, params: { id: String(tid) } });
      after.push((an.json.items ?? an.json).map(strip));
    }
    expect(after).toEqual(before.map((x) => x.anns));

    // Not a native export: refused with a clear 422.
    const bad = new FormData();
    const { zipStream, collectBytes } = await import("@/lib/exporters/zip");
    bad.append("files", new File([Buffer.from(await collectBytes(zipStream([{ path: "hello.txt", data: "hi" }])))], "random.zip"));
    const rb = await call(importRoute.POST, "POST", "/x", { token: m2.token, params: { id: b }, form: bad });
    expect(rb.status).toBe(422);
    expect(rb.json.error.message).toMatch(/must be a Loupe native export/);
  });
});

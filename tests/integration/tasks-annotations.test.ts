import { describe, it, expect, beforeAll } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as next from "@/app/api/v1/projects/[id]/next/route";
import * as assign from "@/app/api/v1/projects/[id]/assign/route";
import * as task from "@/app/api/v1/tasks/[id]/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as draft from "@/app/api/v1/tasks/[id]/draft/route";
import * as preds from "@/app/api/v1/tasks/[id]/predictions/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";
import * as projectRoute from "@/app/api/v1/projects/[id]/route";
import { getDb } from "@/lib/db/client";
import { sql } from "drizzle-orm";
import * as revs from "@/app/api/v1/annotations/[id]/revisions/route";

type U = { token: string; user: { id: number } };
let mgr: U, a1: U, a2: U, rev: U, outsider: U;
let pid: string;

const schema = {
  labels: [
    { name: "car", hotkey: "1", kinds: ["rect", "polygon"] },
    { name: "person", hotkey: "2" },
  ],
  classifications: [{ name: "weather", choices: ["sun", "rain"] }],
};

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@x.test");
  a1 = await userWithToken("a1@x.test");
  a2 = await userWithToken("a2@x.test");
  rev = await userWithToken("r@x.test");
  outsider = await userWithToken("o@x.test");
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "P", dataType: "image", schema } });
  pid = String(p.json.id);
  for (const [u, role] of [[a1, "annotator"], [a2, "annotator"], [rev, "reviewer"]] as const) {
    await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role } });
  }
  const tasks = Array.from({ length: 5 }, (_, i) => ({ data: { image: `https://example.com/${i}.jpg` } }));
  const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: tasks });
  expect(r.status).toBe(201);
  expect(r.json.created).toBe(5);
});

const rect = (id: string, label = "car") => ({ id, kind: "rect", label, x: 1, y: 2, width: 30, height: 40, rotation: 0 });

describe("the labelling queue", () => {
  it("gives two annotators different tasks and the same one again to the same person", async () => {
    const t1 = await call(next.POST, "POST", "/x", { token: a1.token, params: { id: pid } });
    const t2 = await call(next.POST, "POST", "/x", { token: a2.token, params: { id: pid } });
    expect(t1.json.taskId).toBeTypeOf("number");
    expect(t2.json.taskId).not.toBe(t1.json.taskId);
    const again = await call(next.POST, "POST", "/x", { token: a1.token, params: { id: pid } });
    expect(again.json.taskId).toBe(t1.json.taskId);
  });

  it("moves on after a submission and respects assignments", async () => {
    const t1 = (await call(next.POST, "POST", "/x", { token: a1.token, params: { id: pid } })).json.taskId;
    const s = await call(taskAnns.POST, "POST", "/x", { token: a1.token, params: { id: String(t1) }, body: { document: { regions: [rect("r1")] } } });
    expect(s.status).toBe(201);
    const after = (await call(next.POST, "POST", "/x", { token: a1.token, params: { id: pid } })).json.taskId;
    expect(after).not.toBe(t1);
    // Assign the last task to a2 only: a1 never gets it.
    const list = await call(taskList.GET, "GET", "/x?sort=id&order=desc&limit=1", { token: mgr.token, params: { id: pid } });
    const last = list.json.items[0].id;
    const as = await call(assign.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { taskIds: [last], userIds: [a2.user.id] } });
    expect(as.json.updated).toBe(1);
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const n = (await call(next.POST, "POST", "/x", { token: a1.token, params: { id: pid } })).json.taskId;
      if (n === null) break;
      seen.add(n);
      await call(taskAnns.POST, "POST", "/x", { token: a1.token, params: { id: String(n) }, body: { document: {}, status: "skipped", skipReason: "blurry" } });
    }
    expect(seen.has(last)).toBe(false);
    expect((await call(task.GET, "GET", "/x", { token: a1.token, params: { id: String(last) } })).status).toBe(404);
    expect((await call(task.GET, "GET", "/x", { token: a2.token, params: { id: String(last) } })).status).toBe(200);
  });
});

describe("slot locks", () => {
  it("hold a single-slot task for one person until the lock expires, with overlap for more", async () => {
    const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "L", dataType: "text" } });
    const id = String(p.json.id);
    for (const u of [a1, a2]) await call(members.POST, "POST", "/x", { token: mgr.token, params: { id }, body: { userId: u.user.id, role: "annotator" } });
    await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id }, body: [{ text: "only one" }] });
    const first = await call(next.POST, "POST", "/x", { token: a1.token, params: { id } });
    expect(first.json.taskId).toBeTypeOf("number");
    expect((await call(next.POST, "POST", "/x", { token: a2.token, params: { id } })).json.taskId).toBeNull();
    getDb().run(sql`UPDATE task_locks SET expires_at = 0`);
    expect((await call(next.POST, "POST", "/x", { token: a2.token, params: { id } })).json.taskId).toBe(first.json.taskId);
    // With overlap 2 both may hold the task at once.
    await call(projectRoute.PATCH, "PATCH", "/x", { token: mgr.token, params: { id }, body: { overlap: 2 } });
    expect((await call(next.POST, "POST", "/x", { token: a1.token, params: { id } })).json.taskId).toBe(first.json.taskId);
  });
});

describe("annotations", () => {
  let taskId: string;
  let annId: string;
  beforeAll(async () => {
    const l = await call(taskList.GET, "GET", "/x?limit=1", { token: mgr.token, params: { id: pid } });
    taskId = String(l.json.items[0].id);
  });

  it("validates documents with field paths", async () => {
    const cases: Array<[unknown, string]> = [
      [{ regions: [rect("a", "truck")] }, "document.regions.0.label"],
      [{ regions: [{ id: "p", kind: "polygon", label: "car", points: [[0, 0], [1, 1]] }] }, "document.regions.0.points"],
      [{ regions: [{ id: "k", kind: "blob", label: "car" }] }, "document.regions.0.kind"],
      [{ regions: [{ ...rect("a"), width: "wide" }] }, "document.regions.0.width"],
      [{ regions: [{ id: "e", kind: "ellipse", label: "car", cx: 1, cy: 1, rx: 2, ry: 2 }] }, "document.regions.0.kind"],
      [{ regions: [rect("a"), rect("a")] }, "document.regions.1.id"],
      [{ classifications: { weather: ["snow"] } }, "document.classifications.weather"],
      [{ regions: [rect("a")], relations: [{ from: "a", to: "zz" }] }, "document.relations.0.to"],
    ];
    for (const [doc, field] of cases) {
      const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { document: doc } });
      expect(r.status, JSON.stringify(doc)).toBe(422);
      expect(r.json.error.field).toBe(field);
    }
  });

  it("saves revisions and refuses stale writes with 409", async () => {
    const c = await call(taskAnns.POST, "POST", "/x", {
      token: mgr.token,
      params: { id: taskId },
      body: { document: { regions: [rect("r1")], classifications: { weather: ["sun"] } } },
    });
    expect(c.status).toBe(201);
    annId = String(c.json.id);
    expect(c.json.revision).toBe(1);
    const u = await call(ann.PUT, "PUT", "/x", { token: mgr.token, params: { id: annId }, body: { revision: 1, document: { regions: [rect("r1"), rect("r2", "person")] } } });
    expect(u.status).toBe(200);
    expect(u.json.revision).toBe(2);
    const stale = await call(ann.PUT, "PUT", "/x", { token: mgr.token, params: { id: annId }, body: { revision: 1, document: { regions: [] } } });
    expect(stale.status).toBe(409);
    expect(stale.json.error.currentRevision).toBe(2);
    const cur = await call(ann.GET, "GET", "/x", { token: mgr.token, params: { id: annId } });
    expect(cur.json.document.regions).toHaveLength(2);
    const h = await call(revs.GET, "GET", "/x", { token: mgr.token, params: { id: annId } });
    expect(h.json.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
  });

  it("lets reviewers fix others' work but not annotators", async () => {
    expect((await call(ann.PUT, "PUT", "/x", { token: rev.token, params: { id: annId }, body: { revision: 2, document: { regions: [rect("r1")] } } })).status).toBe(200);
    expect((await call(ann.GET, "GET", "/x", { token: a2.token, params: { id: annId } })).status).toBe(404);
    expect((await call(ann.GET, "GET", "/x", { token: outsider.token, params: { id: annId } })).status).toBe(404);
  });

  it("keeps a draft per user and clears it on submit", async () => {
    const put = await call(draft.PUT, "PUT", "/x", { token: a2.token, params: { id: taskId }, body: { document: { regions: [rect("d1", "anything-goes-in-a-draft")] } } });
    expect(put.status).toBe(200);
    expect((await call(draft.GET, "GET", "/x", { token: a2.token, params: { id: taskId } })).json.draft.document.regions).toHaveLength(1);
    expect((await call(draft.GET, "GET", "/x", { token: mgr.token, params: { id: taskId } })).json.draft).toBeNull();
    await call(taskAnns.POST, "POST", "/x", { token: a2.token, params: { id: taskId }, body: { document: { regions: [rect("d1")] } } });
    expect((await call(draft.GET, "GET", "/x", { token: a2.token, params: { id: taskId } })).json.draft).toBeNull();
  });

  it("stores predictions marked as such", async () => {
    const p = await call(preds.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { model: "yolo", score: 0.9, document: { regions: [{ ...rect("p1"), score: 0.8 }] } } });
    expect(p.status).toBe(201);
    const l = await call(preds.GET, "GET", "/x", { token: mgr.token, params: { id: taskId } });
    expect(l.json.items[0].document.regions[0].origin).toBe("prediction");
  });
});

describe("the task table", () => {
  it("paginates, filters by status, annotator and label, and sorts", async () => {
    const p = { id: pid };
    const all = await call(taskList.GET, "GET", "/x?limit=2&page=1", { token: mgr.token, params: p });
    expect(all.json.total).toBe(5);
    expect(all.json.items).toHaveLength(2);
    const done = await call(taskList.GET, "GET", "/x?status=completed", { token: mgr.token, params: p });
    expect(done.json.total).toBeGreaterThan(0);
    expect(done.json.items.every((t: { status: string }) => t.status === "completed")).toBe(true);
    const mine = await call(taskList.GET, "GET", `/x?annotator=${a1.user.id}`, { token: mgr.token, params: p });
    expect(mine.json.total).toBeGreaterThanOrEqual(1);
    const cars = await call(taskList.GET, "GET", "/x?label=car", { token: mgr.token, params: p });
    expect(cars.json.total).toBeGreaterThanOrEqual(1);
    // The reviewer's fix removed the only "person" region: the label filter follows the latest revision.
    const people = await call(taskList.GET, "GET", "/x?label=person", { token: mgr.token, params: p });
    expect(people.json.total).toBe(0);
    const sorted = await call(taskList.GET, "GET", "/x?sort=annotations&order=desc", { token: mgr.token, params: p });
    const counts = sorted.json.items.map((t: { annotationCount: number }) => t.annotationCount);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    const bad = await call(taskList.GET, "GET", "/x?status=bogus", { token: mgr.token, params: p });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("status");
  });

  it("shows annotators only their own tasks", async () => {
    const r = await call(taskList.GET, "GET", "/x", { token: a2.token, params: { id: pid } });
    expect(r.json.total).toBeLessThan(5);
  });
});

// "Least confident first" (ADR 0017): tasks.prediction_score kept in step with POST predictions,
// the project setting's validation, nextTask's order and the task table's score sort.
import { describe, it, expect, beforeAll } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as projectRoute from "@/app/api/v1/projects/[id]/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as next from "@/app/api/v1/projects/[id]/next/route";
import * as task from "@/app/api/v1/tasks/[id]/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as preds from "@/app/api/v1/tasks/[id]/predictions/route";

type U = { token: string; user: { id: number } };
let mgr: U, ann: U, ann2: U;
let pid: string;
let ids: number[];

const schema = { labels: [{ name: "car", kinds: ["rect"] }] };
const rect = (id: string, score?: number) => ({ id, kind: "rect", label: "car", x: 1, y: 2, width: 3, height: 4, rotation: 0, ...(score !== undefined ? { score } : {}) });
const predict = (taskId: number, body: unknown, token = mgr.token) => call(preds.POST, "POST", "/x", { token, params: { id: String(taskId) }, body });
const scoreOf = async (taskId: number) => (await call(task.GET, "GET", "/x", { token: mgr.token, params: { id: String(taskId) } })).json.predictionScore;
const nextFor = async (u: U) => (await call(next.POST, "POST", "/x", { token: u.token, params: { id: pid } })).json.taskId as number | null;

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@order.test");
  ann = await userWithToken("a@order.test");
  ann2 = await userWithToken("b@order.test");
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Order", dataType: "image", schema } });
  pid = String(p.json.id);
  for (const u of [ann, ann2]) await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role: "annotator" } });
  const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: Array.from({ length: 6 }, (_, i) => ({ data: { image: `https://example.com/${i}.jpg` } })) });
  expect(r.status).toBe(201);
  ids = (await call(taskList.GET, "GET", "/x?limit=10", { token: mgr.token, params: { id: pid } })).json.items.map((t: { id: number }) => t.id);
  expect(ids).toHaveLength(6);
});

describe("tasks.prediction_score", () => {
  it("is null without predictions", async () => {
    expect(await scoreOf(ids[0]!)).toBeNull();
  });

  it("is the lowest region score of the latest prediction per model", async () => {
    const t = ids[0]!;
    expect((await predict(t, { model: "det", document: { regions: [rect("a", 0.9), rect("b", 0.4)] } })).status).toBe(201);
    expect(await scoreOf(t)).toBeCloseTo(0.4);
    // A newer run of the same model supersedes the older one.
    await predict(t, { model: "det", document: { regions: [rect("a", 0.7)] } });
    expect(await scoreOf(t)).toBeCloseTo(0.7);
    // Another model's run counts too: the task is as unsure as its least sure model.
    await predict(t, { model: "other", document: { regions: [rect("c", 0.5)] } });
    expect(await scoreOf(t)).toBeCloseTo(0.5);
  });

  it("falls back to the prediction's own score, and stays null when nothing is scored", async () => {
    await predict(ids[1]!, { model: "det", score: 0.8, document: { regions: [rect("a")] } });
    expect(await scoreOf(ids[1]!)).toBeCloseTo(0.8);
    await predict(ids[5]!, { model: "det", document: { regions: [] } });
    expect(await scoreOf(ids[5]!)).toBeNull();
  });
});

describe("prediction_score on import", () => {
  it("imported predictions with a score set it (Label Studio rows)", async () => {
    const other = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Imported", dataType: "image", schema } });
    const r = await call(importRoute.POST, "POST", "/x", {
      token: mgr.token,
      params: { id: String(other.json.id) },
      body: [
        { data: { image: "https://example.com/a.jpg" }, predictions: [{ model_version: "m1", score: 0.7, result: [] }, { model_version: "m2", score: 0.2, result: [] }] },
        { data: { image: "https://example.com/b.jpg" } },
      ],
    });
    expect(r.status).toBe(201);
    const rows = (await call(taskList.GET, "GET", "/x?sort=score", { token: mgr.token, params: { id: String(other.json.id) } })).json.items;
    expect(rows.map((t: { predictionScore: number | null }) => t.predictionScore)).toEqual([0.2, null]);
  });
});

describe("the taskOrder setting", () => {
  it("defaults to id and rejects unknown values with a field", async () => {
    const g = await call(projectRoute.GET, "GET", "/x", { token: mgr.token, params: { id: pid } });
    expect(g.json.taskOrder).toBe("id");
    const bad = await call(projectRoute.PATCH, "PATCH", "/x", { token: mgr.token, params: { id: pid }, body: { taskOrder: "random" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("taskOrder");
  });

  it("only managers change it", async () => {
    const r = await call(projectRoute.PATCH, "PATCH", "/x", { token: ann.token, params: { id: pid }, body: { taskOrder: "least_confident" } });
    expect(r.status).toBeGreaterThanOrEqual(403);
    expect(r.status).toBeLessThan(405);
  });

  it("by id (default) hands out the lowest id", async () => {
    expect(await nextFor(ann)).toBe(ids[0]);
  });

  it("least_confident: lowest score first, ties by id, unscored tasks last", async () => {
    // scores: t0 0.5, t1 0.8, t2 0.3, t3 0.3 (tie with t2), t4 none, t5 none (empty prediction)
    await predict(ids[2]!, { model: "det", document: { regions: [rect("x", 0.3), rect("y", 0.95)] } });
    await predict(ids[3]!, { model: "det", document: { regions: [rect("x", 0.3)] } });
    const r = await call(projectRoute.PATCH, "PATCH", "/x", { token: mgr.token, params: { id: pid }, body: { taskOrder: "least_confident" } });
    expect(r.status).toBe(200);
    expect(r.json.taskOrder).toBe("least_confident");
    // ann2 has no lock yet: gets the least confident task (tie 0.3: lower id).
    expect(await nextFor(ann2)).toBe(ids[2]);
    // Each annotator keeps their slot; a third walk shows the rest of the order by completing tasks.
    const order: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = await nextFor(ann2);
      if (t === null) break;
      order.push(t);
      const s = await call(taskAnns.POST, "POST", "/x", { token: ann2.token, params: { id: String(t) }, body: { document: { regions: [] } } });
      expect(s.status).toBe(201);
    }
    // ann holds ids[0] (taken above under the id order), so ann2 never gets it.
    expect(order).toEqual([ids[2], ids[3], ids[1], ids[4], ids[5]]);
  });

  it("the task table sorts by prediction score, unscored last in both directions", async () => {
    const asc = await call(taskList.GET, "GET", "/x?sort=score", { token: mgr.token, params: { id: pid } });
    expect(asc.status).toBe(200);
    expect(asc.json.items.map((t: { id: number }) => t.id)).toEqual([ids[2], ids[3], ids[0], ids[1], ids[4], ids[5]]);
    expect(asc.json.items[0].predictionScore).toBeCloseTo(0.3);
    const desc = await call(taskList.GET, "GET", "/x?sort=score&order=desc", { token: mgr.token, params: { id: pid } });
    expect(desc.json.items.map((t: { id: number }) => t.id)).toEqual([ids[1], ids[0], ids[3], ids[2], ids[5], ids[4]]);
  });
});

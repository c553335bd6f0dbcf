// Background builds of dataset versions and the version diff, through the route handlers.
import { describe, it, expect, beforeAll, afterEach } from "vitest";
import { sql } from "drizzle-orm";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";
import * as versions from "@/app/api/v1/projects/[id]/versions/route";
import * as version from "@/app/api/v1/projects/[id]/versions/[v]/route";
import * as builds from "@/app/api/v1/projects/[id]/versions/builds/route";
import * as buildRoute from "@/app/api/v1/projects/[id]/versions/builds/[b]/route";
import * as diffRoute from "@/app/api/v1/projects/[id]/versions/[v]/diff/route";
import { getDb } from "@/lib/db/client";
import { datasetVersionBuilds, type DatasetVersionBuild } from "@/lib/db/schema";
import { manifestHash } from "@/lib/server/datasets";
import { buildHooks, buildTuning, resetRunnerForTests } from "@/lib/server/version-builds";

type U = { token: string; user: { id: number } };
let mgr: U, a1: U, rev: U, outsider: U;
let pid: string, otherPid: string;
let taskIds: number[] = [];
const annIds: number[] = [];

const schema = { labels: [{ name: "car", kinds: ["rect"] }, { name: "person", kinds: ["rect"] }] };
const rect = (id: string, label: string) => ({ id, kind: "rect", label, x: 1, y: 2, width: 3, height: 4, rotation: 0 });

const post = (body: unknown, token = mgr.token, id = pid, q = "") => call(versions.POST, "POST", `/x${q}`, { token, params: { id }, body });
const getBuild = (b: number | string, token = mgr.token, id = pid) => call(buildRoute.GET, "GET", "/x", { token, params: { id, b: String(b) } });
const listVersions = (token = mgr.token, id = pid) => call(versions.GET, "GET", "/x", { token, params: { id } });
const del = (b: number | string, token = mgr.token, id = pid) => call(buildRoute.DELETE, "DELETE", "/x", { token, params: { id, b: String(b) } });
const rowOf = (id: number) => getDb().select().from(datasetVersionBuilds).where(sql`id = ${id}`).get()!;
const itemCount = () => getDb().get<{ n: number }>(sql`SELECT count(*) AS n FROM dataset_version_items`)!.n;
/** Waits (a few ms at a time) until `cond` holds. */
async function until(cond: () => boolean) {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((res) => setTimeout(res, 2));
  expect(cond()).toBe(true);
}
const diff = (v: string, against?: string, token = mgr.token, id = pid) =>
  call(diffRoute.GET, "GET", against === undefined ? "/x" : `/x?against=${encodeURIComponent(against)}`, { token, params: { id, v } });

/** Polls the build through the API until it is done, failed or cancelled. */
async function settle(b: number, token = mgr.token) {
  for (let i = 0; i < 2000; i++) {
    const r = await getBuild(b, token);
    expect(r.status).toBe(200);
    if (r.json.status === "done" || r.json.status === "failed" || r.json.status === "cancelled") return r.json;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error("build did not settle");
}

async function annotate(i: number, labels: string[], token = a1.token) {
  const r = await call(taskAnns.POST, "POST", "/x", { token, params: { id: String(taskIds[i]) }, body: { document: { regions: labels.map((l, k) => rect(`r${k}`, l)) } } });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id as number;
}

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@b.test");
  a1 = await userWithToken("a1@b.test");
  rev = await userWithToken("r@b.test");
  outsider = await userWithToken("o@b.test");
  pid = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Builds", dataType: "image", schema } })).json.id);
  otherPid = String((await call(projects.POST, "POST", "/x", { token: outsider.token, body: { name: "Other", dataType: "image", schema } })).json.id);
  for (const [u, role] of [[a1, "annotator"], [rev, "reviewer"]] as const) {
    await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role } });
  }
  const tasks = Array.from({ length: 30 }, (_, i) => ({ data: { image: `https://example.com/${i}.jpg` } }));
  expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: tasks })).status).toBe(201);
  taskIds = (await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=100", { token: mgr.token, params: { id: pid } })).json.items.map((t: { id: number }) => t.id);
  for (let i = 0; i < 25; i++) annIds.push(await annotate(i, [i % 2 ? "person" : "car"]));
});

afterEach(() => {
  buildHooks.afterChunk = undefined;
  buildHooks.beforeCommit = undefined;
  buildTuning.chunk = 1000;
  buildTuning.progressEveryMs = 250;
  buildTuning.cancelWaitMs = 3000;
});

describe("background builds", () => {
  it("answers 202 with a queued build, records progress per chunk, and creates exactly one version", async () => {
    buildTuning.chunk = 4;
    buildTuning.progressEveryMs = 0;
    const rows: DatasetVersionBuild[] = [];
    let seenThroughApi: { status: string; phase: string; done: number; total: number } | null = null;
    buildHooks.afterChunk = async (b) => {
      rows.push(getDb().select().from(datasetVersionBuilds).where(sql`id = ${b.id}`).get()!);
      if (rows.length === 3) seenThroughApi = (await getBuild(b.id)).json; // the build is held here meanwhile
    };
    const before = (await listVersions()).json.total;
    const r = await post({ name: "bg", split: { seed: 1, train: 0.8, val: 0.1, test: 0.1 } });
    expect(r.status).toBe(202);
    expect(r.json.build).toMatchObject({ status: "queued", phase: "queued", done: 0, version: null, name: "bg", error: null });
    expect(Date.parse(r.json.build.asOf)).toBeGreaterThan(0);
    const done = await settle(r.json.build.id);
    expect(done).toMatchObject({ status: "done", phase: "done", version: before + 1, error: null });
    // 30 tasks (25 annotated) in chunks of 4: 8 chunks, progress growing, total known from the start.
    expect(rows.map((x) => x.done)).toEqual([4, 8, 12, 16, 20, 24, 28, 30]);
    expect(rows.every((x) => x.status === "running" && x.phase === "reading" && x.total === 30)).toBe(true);
    expect(seenThroughApi).toMatchObject({ status: "running", phase: "reading", done: 12, total: 30 });
    const list = (await listVersions()).json;
    expect(list.total).toBe(before + 1);
    expect(list.items[0]).toMatchObject({ number: before + 1, name: "bg", counts: { tasks: 25, annotations: 25 } });
    // The list carries split counts too (tasks per split), summing to the task count.
    expect(list.items[0].counts.train + list.items[0].counts.val + list.items[0].counts.test).toBe(25);
    const all = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json;
    expect(all.items[0]).toMatchObject({ id: r.json.build.id, status: "done", version: before + 1 });
  });

  it("gives the hash of the canonical manifest, and the same hash again for unchanged data (asOf is not hashed)", async () => {
    const a = await post({ name: "h1" }, mgr.token, pid, "?wait=1");
    expect(a.status).toBe(201);
    await new Promise((res) => setTimeout(res, 5)); // a later asOf
    const b = await post({ name: "h2", notes: "different notes" }, mgr.token, pid, "?wait=1");
    expect(b.json.sha256).toBe(a.json.sha256);
    expect(b.json.parent).toBe(a.json.number);
    const m = (await call(version.GET, "GET", "/x", { token: mgr.token, params: { id: pid, v: String(a.json.number) } })).json;
    expect(m.items).toHaveLength(25);
    expect(manifestHash({ projectId: Number(pid), schemaVersion: m.schemaVersion, filter: m.filter, split: m.split, items: m.items })).toBe(a.json.sha256);
  });

  it("sees the data as of its asOf: an edit made while the build runs is not in the version", async () => {
    buildTuning.chunk = 5;
    let edited = false;
    buildHooks.afterChunk = async (b) => {
      if (edited) return;
      edited = true;
      while (Date.now() <= b.asOf + 1) await new Promise((res) => setTimeout(res, 1));
      const u = await call(ann.PUT, "PUT", "/x", { token: a1.token, params: { id: String(annIds[20]) }, body: { revision: 1, document: { regions: [rect("r1", "car"), rect("r2", "car")] } } });
      expect(u.status).toBe(200);
    };
    const r = await post({});
    const done = await settle(r.json.build.id);
    const m = (await call(version.GET, "GET", "/x", { token: mgr.token, params: { id: pid, v: String(done.version) } })).json;
    expect(edited).toBe(true);
    expect(m.items.find((i: { annotationId: number }) => i.annotationId === annIds[20]).revision).toBe(1);
    const next = await post({}, mgr.token, pid, "?wait=1");
    expect(next.json.sha256).not.toBe(m.sha256);
  });

  it("a failure inside the final transaction leaves no version, only a failed build with its error", async () => {
    const before = (await listVersions()).json;
    const items = itemCount();
    buildHooks.beforeCommit = () => {
      throw new Error("disk on fire");
    };
    const r = await post({ name: "doomed" });
    expect(r.status).toBe(202);
    const failed = await settle(r.json.build.id);
    expect(failed).toMatchObject({ status: "failed", phase: "failed", version: null, error: "disk on fire" });
    expect((await listVersions()).json.total).toBe(before.total);
    expect(itemCount()).toBe(items);
    const waited = await post({ name: "doomed too" }, mgr.token, pid, "?wait=1");
    expect(waited.status).toBe(409);
    expect(waited.json.error).toMatchObject({ code: "build_failed", build: { status: "failed", error: "disk on fire" } });
    buildHooks.beforeCommit = undefined;
    // The failed build is listed with its error; the number it would have had is not used up.
    const list = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json;
    expect(list.items.filter((b: { status: string }) => b.status === "failed").map((b: { name: string; error: string }) => [b.name, b.error])).toEqual([
      ["doomed too", "disk on fire"],
      ["doomed", "disk on fire"],
    ]);
    const ok = await post({}, mgr.token, pid, "?wait=1");
    expect(ok.json.number).toBe(before.items[0].number + 1);
    // Dismiss: 204, then gone.
    expect((await call(buildRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, b: String(r.json.build.id) } })).status).toBe(204);
    expect((await getBuild(r.json.build.id)).status).toBe(404);
  });

  it("cancels a queued build, and a running one between pages: no version, no items, the number is not used up", async () => {
    buildTuning.chunk = 4; // 30 tasks: 8 pages
    buildTuning.progressEveryMs = 0;
    const before = (await listVersions()).json;
    const items = itemCount();
    let pages = 0;
    let cancelAnswer: Promise<{ status: number; json: any }> | null = null;
    let second: { id: number } | null = null;
    buildHooks.afterChunk = async (b) => {
      pages++;
      if (pages === 1) {
        // One build at a time: a build queued meanwhile waits, and cancelling it just removes it.
        second = (await post({ name: "second" })).json.build;
        expect((await getBuild(second!.id)).json.status).toBe("queued");
        expect((await del(second!.id)).status).toBe(204);
        expect((await getBuild(second!.id)).status).toBe(404);
      }
      if (pages === 2) {
        cancelAnswer = del(b.id); // not awaited: it waits for the runner, which is held here
        await until(() => rowOf(b.id).phase === "cancelling");
        expect((await getBuild(b.id)).json).toMatchObject({ status: "running", phase: "cancelling" });
      }
    };
    const a = (await post({ name: "stopped" })).json.build;
    await until(() => cancelAnswer !== null);
    const answer = await cancelAnswer!;
    expect(answer.status).toBe(200);
    expect(answer.json.build).toMatchObject({ id: a.id, status: "cancelled", phase: "cancelled", version: null, error: null, name: "stopped" });
    // The runner stopped at the next page boundary: 2 of 8 pages read.
    expect(pages).toBe(2);
    expect(rowOf(a.id)).toMatchObject({ status: "cancelled", phase: "cancelled", versionId: null, done: 8 });
    expect((await listVersions()).json.total).toBe(before.total);
    expect(itemCount()).toBe(items);
    // Listed as cancelled; the next build gets the number the cancelled one would have had.
    const list = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json;
    expect(list.items.find((x: { id: number }) => x.id === a.id)).toMatchObject({ status: "cancelled" });
    buildHooks.afterChunk = undefined;
    const ok = await post({ name: "after cancel" }, mgr.token, pid, "?wait=1");
    expect(ok.status).toBe(201);
    expect(ok.json.number).toBe(before.items[0].number + 1);
    // A cancelled build is dismissed like a failed one.
    expect((await del(a.id)).status).toBe(204);
    expect((await getBuild(a.id)).status).toBe(404);
  });

  it("answers 202 while the build is still stopping, and the build ends cancelled once it reaches a page boundary", async () => {
    buildTuning.chunk = 10;
    buildTuning.progressEveryMs = 0;
    buildTuning.cancelWaitMs = 0;
    const before = (await listVersions()).json.total;
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    let pages = 0;
    buildHooks.afterChunk = async () => {
      pages++;
      await held;
    };
    const a = (await post({ name: "slow" })).json.build;
    await until(() => pages === 1);
    const r = await del(a.id);
    expect(r.status).toBe(202);
    expect(r.json.build).toMatchObject({ id: a.id, status: "running", phase: "cancelling", version: null });
    // A second DELETE while it stops says the same; it does not dismiss the running row.
    expect((await del(a.id)).status).toBe(202);
    release();
    expect(await settle(a.id)).toMatchObject({ status: "cancelled", phase: "cancelled", version: null });
    expect(pages).toBe(1);
    expect((await listVersions()).json.total).toBe(before);
  });

  it("a cancel that gets in before the final transaction rolls it back; ?wait=1 answers 409 build_cancelled", async () => {
    const before = (await listVersions()).json.total;
    const items = itemCount();
    // The cancel's UPDATE committed just before the commit took the write lock (the same ordering
    // a DELETE served between the last page and the transaction has): the commit sees it and rolls back.
    buildHooks.beforeCommit = (b) => {
      getDb().update(datasetVersionBuilds).set({ phase: "cancelling" }).where(sql`id = ${b.id}`).run();
    };
    const r = await post({ name: "raced" }, mgr.token, pid, "?wait=1");
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: "build_cancelled", build: { status: "cancelled", version: null } });
    expect((await listVersions()).json.total).toBe(before);
    expect(itemCount()).toBe(items);
    buildHooks.beforeCommit = undefined;
    // A DELETE served after the last page, while the build is about to write: cancelled, no version.
    buildTuning.chunk = 10;
    let pages = 0;
    let answer: Promise<{ status: number; json: any }> | null = null;
    buildHooks.afterChunk = async (b) => {
      if (++pages !== 3) return; // 30 tasks: the third page is the last
      answer = del(b.id);
      await until(() => rowOf(b.id).phase === "cancelling");
    };
    const a = (await post({ name: "late" })).json.build;
    await until(() => answer !== null);
    expect((await answer!).json.build).toMatchObject({ id: a.id, status: "cancelled" });
    expect((await listVersions()).json.total).toBe(before);
    expect(itemCount()).toBe(items);
  });

  it("cancelling after completion does nothing harmful: the version stays and the build notice is dismissed", async () => {
    const done = await post({ name: "kept" }, mgr.token, pid, "?wait=1");
    expect(done.status).toBe(201);
    const b = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json.items.find((x: { version: number }) => x.version === done.json.number);
    expect(b).toMatchObject({ status: "done" });
    expect((await del(b.id)).status).toBe(204);
    const v = (await call(version.GET, "GET", "/x", { token: mgr.token, params: { id: pid, v: String(done.json.number) } })).json;
    expect(v).toMatchObject({ number: done.json.number, name: "kept", sha256: done.json.sha256 });
    expect(v.items).toHaveLength(25);
    expect((await post({}, mgr.token, pid, "?wait=1")).json.number).toBe(done.json.number + 1);
  });

  it("cancels at once a running row no runner in this process is executing", async () => {
    const { validateCreate } = await import("@/lib/server/datasets");
    const { getUserByEmail } = await import("@/lib/server/users");
    const actor = { user: getUserByEmail("m@b.test")!, via: "token" as const, tokenProjectId: null, readOnly: false };
    await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } }); // recovery has run in this process
    const { request } = validateCreate(actor, Number(pid), { name: "stray" });
    const row = getDb()
      .insert(datasetVersionBuilds)
      .values({ projectId: Number(pid), request, asOf: Date.now(), status: "running", phase: "reading", done: 3, total: 30, createdBy: mgr.user.id })
      .returning()
      .get();
    const before = (await listVersions()).json.total;
    const r = await del(row.id);
    expect(r.status).toBe(200);
    expect(r.json.build).toMatchObject({ status: "cancelled", phase: "cancelled" });
    expect((await listVersions()).json.total).toBe(before);
    // Reviewers cannot cancel.
    const other = getDb().insert(datasetVersionBuilds).values({ projectId: Number(pid), request, asOf: Date.now(), status: "running", phase: "reading" }).returning().get();
    expect((await del(other.id, rev.token)).status).toBe(403);
    expect(rowOf(other.id).phase).toBe("reading");
    expect((await del(other.id)).status).toBe(200);
  });

  it("re-queues builds a previous server process left running, on first use after a restart", async () => {
    const before = (await listVersions()).json.total;
    const { validateCreate } = await import("@/lib/server/datasets");
    const { getUserByEmail } = await import("@/lib/server/users");
    const actor = { user: getUserByEmail("m@b.test")!, via: "token" as const, tokenProjectId: null, readOnly: false };
    const { request } = validateCreate(actor, Number(pid), { name: "orphan" });
    // What a crash mid-build leaves: a running row with partial progress and no version.
    const row = getDb()
      .insert(datasetVersionBuilds)
      .values({ projectId: Number(pid), request, asOf: Date.now(), status: "running", phase: "reading", done: 7, total: 25, createdBy: mgr.user.id })
      .returning()
      .get();
    resetRunnerForTests(); // a new process: nothing is running in it
    const listed = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json.items.find((b: { id: number }) => b.id === row.id);
    expect(["queued", "running", "done"]).toContain(listed.status);
    const done = await settle(row.id);
    expect(done).toMatchObject({ status: "done", name: "orphan", version: before + 1 });
    expect((await listVersions()).json.items[0]).toMatchObject({ name: "orphan", counts: { annotations: 25 } });
  });

  it("does not resurrect a build whose cancel was requested before a restart", async () => {
    const before = (await listVersions()).json.total;
    const { validateCreate } = await import("@/lib/server/datasets");
    const { getUserByEmail } = await import("@/lib/server/users");
    const actor = { user: getUserByEmail("m@b.test")!, via: "token" as const, tokenProjectId: null, readOnly: false };
    const { request } = validateCreate(actor, Number(pid), { name: "cancelled then crashed" });
    // What a crash after DELETE and before the runner's next page boundary leaves.
    const row = getDb()
      .insert(datasetVersionBuilds)
      .values({ projectId: Number(pid), request, asOf: Date.now(), status: "running", phase: "cancelling", done: 7, total: 25, createdBy: mgr.user.id })
      .returning()
      .get();
    resetRunnerForTests();
    const listed = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json.items.find((b: { id: number }) => b.id === row.id);
    expect(listed).toMatchObject({ status: "cancelled", phase: "cancelled", version: null });
    // The runner has nothing to do: a new build is the next version, and the cancelled one stays cancelled.
    const next = await post({ name: "after restart" }, mgr.token, pid, "?wait=1");
    expect(next.json.number).toBe(before + 1);
    expect(rowOf(row.id).status).toBe("cancelled");
  });

  it("validates before queueing: 422 with the field and no build row", async () => {
    const count = () => getDb().get<{ n: number }>(sql`SELECT count(*) AS n FROM dataset_version_builds`)!.n;
    const n = count();
    for (const [body, field] of [
      [{ filter: { labels: ["truck"] } }, "filter.labels"],
      [{ filter: { status: "maybe" } }, "filter.status"],
      [{ split: { seed: 1, train: 0.5, val: 0.1, test: 0.1 } }, "split.train"],
      [{ nope: 1 }, ""],
    ] as const) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      if (field) expect(r.json.error.field).toBe(field);
    }
    expect((await call(versions.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, raw: "{oops" })).status).toBe(400);
    expect(count()).toBe(n);
  });

  it("scopes builds by membership and token project", async () => {
    const anyBuild = (await call(builds.GET, "GET", "/x", { token: mgr.token, params: { id: pid } })).json.items[0].id;
    // Reviewers read versions and builds but cannot create or dismiss.
    expect((await call(builds.GET, "GET", "/x", { token: rev.token, params: { id: pid } })).status).toBe(200);
    expect((await getBuild(anyBuild, rev.token)).status).toBe(200);
    expect((await post({}, rev.token)).status).toBe(403);
    expect((await call(buildRoute.DELETE, "DELETE", "/x", { token: rev.token, params: { id: pid, b: String(anyBuild) } })).status).toBe(403);
    // Annotators have no versions.read (lib/auth/permissions.ts): 403 on builds, create and diff.
    expect((await call(builds.GET, "GET", "/x", { token: a1.token, params: { id: pid } })).status).toBe(403);
    expect((await post({}, a1.token)).status).toBe(403);
    expect((await diff("latest", undefined, a1.token)).status).toBe(403);
    // Non-members and tokens of another project: 404; a build id through another project: 404.
    expect((await call(builds.GET, "GET", "/x", { token: outsider.token, params: { id: pid } })).status).toBe(404);
    expect((await getBuild(anyBuild, outsider.token)).status).toBe(404);
    expect((await diff("latest", undefined, outsider.token)).status).toBe(404);
    expect((await getBuild(anyBuild, outsider.token, otherPid)).status).toBe(404);
    const scoped = await userWithToken("m@b.test", { projectId: Number(otherPid) });
    expect((await post({}, scoped.token)).status).toBe(404);
    expect((await getBuild(anyBuild, scoped.token)).status).toBe(404);
    const ro = await userWithToken("m@b.test", { projectId: Number(pid), readOnly: true });
    expect((await post({}, ro.token)).status).toBe(403);
    expect((await getBuild(anyBuild, ro.token)).status).toBe(200);
    expect((await getBuild("abc")).status).toBe(404);
  });
});

describe("version diff", () => {
  let dp: string;
  let t: number[] = [];
  const diffIn = (v: string, against?: string) => diff(v, against, mgr.token, dp);
  const make = async (body: unknown) => {
    const r = await post(body, mgr.token, dp, "?wait=1");
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.number as number;
  };

  beforeAll(async () => {
    dp = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Diff", dataType: "image", schema } })).json.id);
    await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: dp }, body: { userId: a1.user.id, role: "annotator" } });
    const tasks = Array.from({ length: 6 }, (_, i) => ({ data: { image: `https://example.com/d${i}.jpg` } }));
    await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: dp }, body: tasks });
    t = (await call(taskList.GET, "GET", "/x?sort=id&order=asc", { token: mgr.token, params: { id: dp } })).json.items.map((x: { id: number }) => x.id);
  });

  it("counts added, removed and changed tasks and annotations, and per-label deltas", async () => {
    const put = async (task: number, labels: string[], token = a1.token) => {
      const r = await call(taskAnns.POST, "POST", "/x", { token, params: { id: String(task) }, body: { document: { regions: labels.map((l, k) => rect(`r${k}`, l)) } } });
      expect(r.status).toBe(201);
      return r.json.id as number;
    };
    await put(t[0]!, ["car"]);
    const a2 = await put(t[1]!, ["person"]);
    await put(t[2]!, ["car"]);
    await put(t[3]!, ["person"]);
    const v1 = await make({});
    // v2: t1's annotation edited (new revision), t2 gains a second annotation, t4 is new.
    expect((await call(ann.PUT, "PUT", "/x", { token: a1.token, params: { id: String(a2) }, body: { revision: 1, document: { regions: [rect("r0", "person"), rect("r1", "car")] } } })).status).toBe(200);
    await put(t[2]!, ["car", "car"], mgr.token);
    await put(t[4]!, ["car"]);
    const v2 = await make({});
    // v3: only annotations with "person": t0, t2 (both only car) and t4 drop out.
    const v3 = await make({ filter: { labels: ["person"] } });

    const d = await diffIn(String(v2));
    expect(d.status).toBe(200);
    expect(d.json.from).toMatchObject({ number: v1, counts: { tasks: 4, annotations: 4 } });
    expect(d.json.to).toMatchObject({ number: v2, counts: { tasks: 5, annotations: 6 } });
    expect(d.json.tasks).toEqual({ added: 1, removed: 0, changed: 2, unchanged: 2 });
    expect(d.json.annotations).toEqual({ added: 2, removed: 0, changed: 1 });
    expect(d.json.labels).toEqual([
      { label: "car", before: 2, after: 6, delta: 4 },
      { label: "person", before: 2, after: 2, delta: 0 },
    ]);
    expect(d.json.samples).toEqual({ added: [t[4]], removed: [], changed: [t[1], t[2]] });

    const d3 = await diffIn("latest", String(v2));
    expect(d3.json.from.number).toBe(v2);
    expect(d3.json.to.number).toBe(v3);
    expect(d3.json.tasks).toEqual({ added: 0, removed: 3, changed: 0, unchanged: 2 });
    expect(d3.json.annotations).toEqual({ added: 0, removed: 4, changed: 0 });
    expect(d3.json.samples.removed).toEqual([t[0], t[2], t[4]]);
    expect(d3.json.labels.find((l: { label: string }) => l.label === "car")).toEqual({ label: "car", before: 6, after: 1, delta: -5 });

    // The reverse direction swaps added and removed.
    const rev3 = await diffIn(String(v2), "latest");
    expect(rev3.json.tasks).toMatchObject({ added: 3, removed: 0 });

    // The first version has no parent: everything is added.
    const first = await diffIn(String(v1));
    expect(first.json.from).toBeNull();
    expect(first.json.tasks).toEqual({ added: 4, removed: 0, changed: 0, unchanged: 0 });
    expect(first.json.samples.added).toEqual(t.slice(0, 4));

    // A version against itself: nothing changed.
    const same = await diffIn(String(v2), String(v2));
    expect(same.json.tasks).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 5 });
    expect(same.json.labels.every((l: { delta: number }) => l.delta === 0)).toBe(true);
  });

  it("404 for unknown versions, 422 for a bad against", async () => {
    expect((await diffIn("99")).status).toBe(404);
    expect((await diffIn("1", "99")).status).toBe(404);
    const bad = await diffIn("1", "yesterday");
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("against");
    expect((await diffIn("1", "0")).status).toBe(422);
  });
});

// Webhooks against a real HTTP receiver on 127.0.0.1 (let through by LOUPE_URL_ALLOWLIST, as an
// operator would). DNS for the made-up "*.test" names is answered by a mock, never the network.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";
import * as versions from "@/app/api/v1/projects/[id]/versions/route";
import * as hooksRoute from "@/app/api/v1/projects/[id]/webhooks/route";
import * as hookRoute from "@/app/api/v1/projects/[id]/webhooks/[w]/route";
import * as deliveriesRoute from "@/app/api/v1/projects/[id]/webhooks/[w]/deliveries/route";
import * as testRoute from "@/app/api/v1/projects/[id]/webhooks/[w]/test/route";
import * as redeliverRoute from "@/app/api/v1/projects/[id]/webhooks/[w]/deliveries/[d]/redeliver/route";
import { verifySignature } from "@/lib/server/webhook-signing";
import { resetSender } from "@/lib/server/webhook-delivery";

const dnsAnswers = vi.hoisted(() => new Map<string, Array<Array<{ address: string; family: number }>>>());
vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string, opts: unknown) => {
    const queue = dnsAnswers.get(host);
    if (queue) return queue.length > 1 ? queue.shift()! : queue[0]!;
    if (host.endsWith(".test")) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    return real.lookup(host, opts as { all: true });
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** Requests to /hang are held open here until the test releases them (or the sender gives up). */
const held: http.ServerResponse[] = [];
let flakyCount = 0;
let server: http.Server;
let base: string;
let port: number;

type U = { token: string; user: { id: number } };
let mgr: U, annot: U, rev: U, other: U;
let pid: string, otherPid: string;
let taskIds: number[] = [];

const ENV = {
  LOUPE_URL_ALLOWLIST: "127.0.0.1",
  LOUPE_WEBHOOK_TIMEOUT_MS: "1500",
  LOUPE_WEBHOOK_RETRY_BASE_MS: "20",
  LOUPE_WEBHOOK_MAX_ATTEMPTS: "3",
};

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hooks = (token = mgr.token, id = pid) => call(hooksRoute.GET, "GET", "/x", { token, params: { id } });
const createHook = (body: unknown, token = mgr.token, id = pid) => call(hooksRoute.POST, "POST", "/x", { token, params: { id }, body });
const deliveries = (w: number, token = mgr.token, id = pid) =>
  call(deliveriesRoute.GET, "GET", "/x?limit=100", { token, params: { id, w: String(w) } });
const ping = (w: number, token = mgr.token, id = pid) => call(testRoute.POST, "POST", "/x", { token, params: { id, w: String(w) } });

async function deliveryOf(w: number, pred: (d: any) => boolean = () => true) {
  const r = await deliveries(w);
  return (r.json.items as any[]).find(pred);
}

const rect = (label = "car") => ({ id: "r1", kind: "rect", label, x: 1, y: 2, width: 3, height: 4, rotation: 0 });

beforeAll(async () => {
  Object.assign(process.env, ENV);
  resetSender();
  freshDataDir();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/hang") return void held.push(res);
      if (req.url === "/fail") return void res.writeHead(500).end("receiver is down");
      if (req.url === "/big") return void res.writeHead(500).end("x".repeat(2_000_000));
      if (req.url === "/redirect") return void res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      if (req.url === "/flaky") {
        flakyCount++;
        if (flakyCount === 1) return void res.writeHead(500).end("try again");
      }
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  mgr = await userWithToken("m@wh.test");
  annot = await userWithToken("a@wh.test");
  rev = await userWithToken("r@wh.test");
  other = await userWithToken("o@wh.test");
  const schema = { labels: [{ name: "car", kinds: ["rect"] }] };
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Hooks", dataType: "image", schema } });
  pid = String(p.json.id);
  const p2 = await call(projects.POST, "POST", "/x", { token: other.token, body: { name: "Other", dataType: "image", schema } });
  otherPid = String(p2.json.id);
  for (const [u, role] of [[annot, "annotator"], [rev, "reviewer"]] as const) {
    await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role } });
  }
  const tasks = Array.from({ length: 10 }, (_, i) => ({ data: { image: `https://example.com/${i}.jpg` } }));
  expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: tasks })).status).toBe(201);
  const list = await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=100", { token: mgr.token, params: { id: pid } });
  taskIds = list.json.items.map((t: { id: number }) => t.id);
});

afterAll(async () => {
  for (const r of held) r.destroy();
  resetSender();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  Object.assign(process.env, ENV);
});

describe("registration", () => {
  it("creates a webhook with a generated secret shown once, then only its prefix", async () => {
    const r = await createHook({ url: `${base}/ok`, events: ["annotation.submitted"], description: "CI" });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ url: `${base}/ok`, events: ["annotation.submitted"], active: true, description: "CI", lastDelivery: null });
    expect(r.json.secret).toMatch(/^whsec_/);
    expect(r.json.secretPrefix).toBe(r.json.secret.slice(0, 10) + "…");
    const g = await call(hookRoute.GET, "GET", "/x", { token: mgr.token, params: { id: pid, w: String(r.json.id) } });
    expect(g.status).toBe(200);
    expect(g.json.secret).toBeUndefined();
    expect(JSON.stringify((await hooks()).json)).not.toContain(r.json.secret);
    expect((await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(r.json.id) } })).status).toBe(204);
    expect((await hooks()).json.total).toBe(0);
  });

  it("refuses bad input with 422 naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: "not a url", events: ["ping"] }, "url"],
      [{ url: "ftp://example.com/x", events: ["ping"] }, "url"],
      [{ url: "http://user:pw@example.com/", events: ["ping"] }, "url"],
      [{ url: `${base}/ok`, events: ["annotation.deleted"] }, "events.0"],
      [{ url: `${base}/ok`, events: [] }, "events"],
      [{ url: `${base}/ok` }, "events"],
      [{ url: `${base}/ok`, events: ["ping"], secret: "short" }, "secret"],
    ];
    for (const [body, field] of cases) {
      const r = await createHook(body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.error.field).toBe(field);
    }
    const bad = await call(hooksRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, raw: "{nope" });
    expect(bad.status).toBe(400);
  });

  it("refuses private, loopback, link-local and metadata targets without the allowlist", async () => {
    process.env.LOUPE_URL_ALLOWLIST = "";
    for (const url of [
      `http://127.0.0.1:${port}/ok`, "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/",
      "http://[::ffff:127.0.0.1]/", "http://192.168.1.10/", "http://localhost:3000/", "http://0.0.0.0/",
    ]) {
      const r = await createHook({ url, events: ["ping"] });
      expect(r.status, url).toBe(422);
      expect(r.json.error).toMatchObject({ code: "blocked_url", field: "url" });
    }
    dnsAnswers.set("inside.test", [[{ address: "10.0.0.7", family: 4 }]]);
    const r = await createHook({ url: "https://inside.test/hook", events: ["ping"] });
    expect(r.status).toBe(422);
    expect(r.json.error.field).toBe("url");
  });

  it("lets only managers of the project manage webhooks", async () => {
    const body = { url: `${base}/ok`, events: ["ping"] };
    expect((await createHook(body, annot.token)).status).toBe(403);
    expect((await hooks(annot.token)).status).toBe(403);
    expect((await createHook(body, rev.token)).status).toBe(403);
    expect((await createHook(body, other.token)).status).toBe(404);
    const scoped = await userWithToken("m@wh.test", { projectId: Number(otherPid) });
    expect((await hooks(scoped.token)).status).toBe(404);
    const ro = await userWithToken("m@wh.test", { readOnly: true });
    expect((await createHook(body, ro.token)).status).toBe(403);
    expect((await hooks(ro.token)).status).toBe(200);
    // A webhook of another project is not reachable through this one.
    const theirs = await createHook(body, other.token, otherPid);
    expect(theirs.status).toBe(201);
    expect((await call(hookRoute.GET, "GET", "/x", { token: mgr.token, params: { id: pid, w: String(theirs.json.id) } })).status).toBe(404);
    expect((await ping(theirs.json.id)).status).toBe(404);
    expect((await call(hookRoute.DELETE, "DELETE", "/x", { token: other.token, params: { id: otherPid, w: String(theirs.json.id) } })).status).toBe(204);
  });
});

describe("deliveries", () => {
  it("sends a signed ping the receiver can verify", async () => {
    const h = await createHook({ url: `${base}/ok`, events: ["version.created"] });
    const p = await ping(h.json.id);
    expect(p.status).toBe(201);
    expect(p.json).toMatchObject({ event: "ping", status: "pending" });
    const d = await waitFor("ping delivered", () => deliveryOf(h.json.id, (x) => x.id === p.json.id && x.status === "succeeded"));
    expect(d).toMatchObject({ attempts: 1, responseStatus: 200, error: null });
    const got = received.find((r) => r.headers["x-loupe-delivery"] === String(p.json.id))!;
    expect(got.path).toBe("/ok");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["user-agent"]).toBe("Loupe-Webhooks/1");
    expect(got.headers["x-loupe-event"]).toBe("ping");
    const ts = Number(got.headers["x-loupe-timestamp"]);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(60);
    expect(verifySignature(h.json.secret, { signature: got.headers["x-loupe-signature"] as string, timestamp: String(ts) }, got.body)).toBe(true);
    expect(verifySignature("whsec_wrong", { signature: got.headers["x-loupe-signature"] as string, timestamp: String(ts) }, got.body)).toBe(false);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ event: "ping", project: { id: Number(pid), name: "Hooks" }, data: { webhookId: h.json.id } });
    expect(typeof body.id).toBe("string");
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
    // The list shows the last delivery.
    const l = (await hooks()).json.items.find((x: any) => x.id === h.json.id);
    expect(l.lastDelivery).toMatchObject({ id: p.json.id, status: "succeeded", responseStatus: 200 });
    // Redeliver: a new row, the same payload (same event id), a new delivery id and signature.
    const again = await call(redeliverRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id), d: String(p.json.id) } });
    expect(again.status).toBe(201);
    expect(again.json.id).not.toBe(p.json.id);
    await waitFor("redelivered", () => deliveryOf(h.json.id, (x) => x.id === again.json.id && x.status === "succeeded"));
    const got2 = received.find((r) => r.headers["x-loupe-delivery"] === String(again.json.id))!;
    expect(JSON.parse(got2.body).id).toBe(body.id);
    expect(verifySignature(h.json.secret, { signature: got2.headers["x-loupe-signature"] as string, timestamp: got2.headers["x-loupe-timestamp"] as string }, got2.body)).toBe(true);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });

  it("fires annotation.submitted, task.reviewed and version.created with their data", async () => {
    const h = await createHook({ url: `${base}/ok`, events: ["annotation.submitted", "task.reviewed", "version.created"], secret: "a-user-chosen-secret-123" });
    expect(h.json.secret).toBe("a-user-chosen-secret-123");
    const before = received.length;
    const s = await call(taskAnns.POST, "POST", "/x", { token: annot.token, params: { id: String(taskIds[0]) }, body: { document: { regions: [rect()] } } });
    expect(s.status).toBe(201);
    const u = await call(ann.PUT, "PUT", "/x", { token: rev.token, params: { id: String(s.json.id) }, body: { revision: 1, document: { regions: [rect()] } } });
    expect(u.status).toBe(200);
    // The author editing their own annotation is not a review and not a new submission.
    const own = await call(ann.PUT, "PUT", "/x", { token: annot.token, params: { id: String(s.json.id) }, body: { revision: 2, document: { regions: [rect()] } } });
    expect(own.status).toBe(200);
    // A stale write (409) is rolled back, and so are its deliveries.
    const stale = await call(ann.PUT, "PUT", "/x", { token: rev.token, params: { id: String(s.json.id) }, body: { revision: 1, document: { regions: [rect()] } } });
    expect(stale.status).toBe(409);
    // A skipped annotation is not a submission.
    const sk = await call(taskAnns.POST, "POST", "/x", { token: annot.token, params: { id: String(taskIds[1]) }, body: { status: "skipped", skipReason: "blurry", document: { regions: [] } } });
    expect(sk.status).toBe(201);
    const v = await call(versions.POST, "POST", "/x?wait=1", { token: mgr.token, params: { id: pid }, body: { name: "hooked" } });
    expect(v.status).toBe(201);
    const all = await waitFor("three deliveries succeeded", async () => {
      const r = await deliveries(h.json.id);
      return r.json.total === 3 && r.json.items.every((d: any) => d.status === "succeeded") && r.json.items;
    });
    expect(all.map((d: any) => d.event)).toEqual(["version.created", "task.reviewed", "annotation.submitted"]);
    const bodies = received.slice(before).map((r) => JSON.parse(r.body));
    const byEvent = Object.fromEntries(bodies.map((b) => [b.event, b]));
    expect(byEvent["annotation.submitted"].data).toEqual({ taskId: taskIds[0], annotationId: s.json.id, revision: 1, userId: annot.user.id });
    expect(byEvent["task.reviewed"].data).toEqual({ taskId: taskIds[0], annotationId: s.json.id, revision: 2, reviewerId: rev.user.id });
    expect(byEvent["version.created"].data.version).toMatchObject({ number: v.json.number, name: "hooked", sha256: v.json.sha256, counts: { tasks: 1, annotations: 1 } });
    for (const r of received.slice(before)) {
      expect(verifySignature("a-user-chosen-secret-123", { signature: r.headers["x-loupe-signature"] as string, timestamp: r.headers["x-loupe-timestamp"] as string }, r.body)).toBe(true);
    }
    // Paused: events are not queued.
    const off = await call(hookRoute.PATCH, "PATCH", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) }, body: { active: false } });
    expect(off.json.active).toBe(false);
    await call(taskAnns.POST, "POST", "/x", { token: annot.token, params: { id: String(taskIds[2]) }, body: { document: { regions: [rect()] } } });
    expect((await deliveries(h.json.id)).json.total).toBe(3);
    expect((await ping(h.json.id)).status).toBe(409);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });

  it("retries after a 500 and then succeeds", async () => {
    const h = await createHook({ url: `${base}/flaky`, events: ["ping"] });
    const p = await ping(h.json.id);
    const d = await waitFor("flaky delivered", () => deliveryOf(h.json.id, (x) => x.id === p.json.id && x.status === "succeeded"));
    expect(d).toMatchObject({ attempts: 2, responseStatus: 200, error: null, nextAttemptAt: null });
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(2);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });

  it("marks a delivery failed after max attempts, logging the status and what the receiver said", async () => {
    const h = await createHook({ url: `${base}/fail`, events: ["ping"] });
    const p = await ping(h.json.id);
    const d = await waitFor("failed", () => deliveryOf(h.json.id, (x) => x.id === p.json.id && x.status === "failed"));
    expect(d).toMatchObject({ attempts: 3, responseStatus: 500, nextAttemptAt: null });
    expect(d.error).toBe("HTTP 500: receiver is down");
    expect(received.filter((r) => r.path === "/fail")).toHaveLength(3);
    // Redirects are not followed: a 302 is a failed attempt.
    const r = await createHook({ url: `${base}/redirect`, events: ["ping"] });
    process.env.LOUPE_WEBHOOK_MAX_ATTEMPTS = "1";
    const p2 = await ping(r.json.id);
    const d2 = await waitFor("redirect failed", () => deliveryOf(r.json.id, (x) => x.id === p2.json.id && x.status === "failed"));
    expect(d2).toMatchObject({ attempts: 1, responseStatus: 302 });
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
    // A huge reply is not read to the end, and only its first 1 KB is kept in the log.
    const big = await createHook({ url: `${base}/big`, events: ["ping"] });
    const p3 = await ping(big.json.id);
    const d3 = await waitFor("big failed", () => deliveryOf(big.json.id, (x) => x.id === p3.json.id && x.status === "failed"));
    expect(d3.responseStatus).toBe(500);
    expect(d3.error).toBe(`HTTP 500: ${"x".repeat(1024)}`);
    for (const w of [r, big]) await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(w.json.id) } });
  });

  it("times out a target that hangs and retries it, while the triggering request returned at once and other webhooks are served", async () => {
    const hang = await createHook({ url: `${base}/hang`, events: ["annotation.submitted"] });
    const ok = await createHook({ url: `${base}/ok`, events: ["annotation.submitted"] });
    const heldBefore = held.length;
    const s = await call(taskAnns.POST, "POST", "/x", { token: annot.token, params: { id: String(taskIds[3]) }, body: { document: { regions: [rect()] } } });
    // The submit answered before the hanging receiver answered anything: it never waited on it.
    expect(s.status).toBe(201);
    const first = (await deliveries(hang.json.id)).json.items[0];
    expect(first).toMatchObject({ event: "annotation.submitted", attempts: 0, responseStatus: null });
    // The other webhook is delivered while the hanging one still holds a connection.
    await waitFor("hang request arrived", async () => held.length > heldBefore);
    await waitFor("ok delivered", () => deliveryOf(ok.json.id, (x) => x.status === "succeeded"));
    expect((await deliveryOf(hang.json.id))?.attempts).toBe(0); // its first attempt is still hanging
    const d = await waitFor("hang gave up", () => deliveryOf(hang.json.id, (x) => x.status === "failed"), 25_000);
    expect(d).toMatchObject({ attempts: 3, responseStatus: null, error: "Timed out after 1500 ms." });
    expect(held.length - heldBefore).toBe(3);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(hang.json.id) } });
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(ok.json.id) } });
  }, 40_000);

  it("re-checks the address at delivery time: a name that now resolves to loopback is refused", async () => {
    dnsAnswers.set("rebind.test", [[{ address: "93.184.216.34", family: 4 }], [{ address: "127.0.0.1", family: 4 }]]);
    const h = await createHook({ url: `http://rebind.test:${port}/ok`, events: ["ping"] });
    expect(h.status).toBe(201);
    const before = received.length;
    const p = await ping(h.json.id);
    const d = await waitFor("refused", () => deliveryOf(h.json.id, (x) => x.id === p.json.id && x.status === "failed"));
    expect(d.attempts).toBe(1); // refusal is final, not retried
    expect(d.error).toMatch(/^Refused: .*loopback/);
    expect(received.length).toBe(before);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });

  it("picks up pending deliveries after a restart", async () => {
    const h = await createHook({ url: `${base}/ok`, events: ["ping"] });
    // Queue a ping, then drop the sender before it runs (as if the process died).
    const { getDb } = await import("@/lib/db/client");
    const { webhookDeliveries } = await import("@/lib/db/schema");
    const now = Date.now();
    const row = getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: h.json.id, event: "ping", payload: JSON.stringify({ id: "left-over", event: "ping" }), status: "pending", nextAttemptAt: now, createdAt: now, updatedAt: now })
      .returning()
      .get();
    resetSender();
    // The first use after the "restart" (listing deliveries) starts the loop, which finds the row.
    const d = await waitFor("left-over sent", () => deliveryOf(h.json.id, (x) => x.id === row.id && x.status === "succeeded"));
    expect(d.attempts).toBe(1);
    expect(received.some((r) => r.headers["x-loupe-delivery"] === String(row.id))).toBe(true);
  });

  it("pages the delivery log and 404s unknown deliveries", async () => {
    const h = (await hooks()).json.items[0];
    for (let i = 0; i < 3; i++) await ping(h.id);
    await waitFor("all sent", async () => (await deliveries(h.id)).json.items.every((d: any) => d.status === "succeeded"));
    const p1 = await call(deliveriesRoute.GET, "GET", "/x?limit=2&page=1", { token: mgr.token, params: { id: pid, w: String(h.id) } });
    const p2 = await call(deliveriesRoute.GET, "GET", "/x?limit=2&page=2", { token: mgr.token, params: { id: pid, w: String(h.id) } });
    expect(p1.json.total).toBe(4);
    expect(p1.json.items).toHaveLength(2);
    expect(p2.json.items).toHaveLength(2);
    expect(p1.json.items[0].id).toBeGreaterThan(p2.json.items[0].id);
    const r = await call(redeliverRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid, w: String(h.id), d: "999999" } });
    expect(r.status).toBe(404);
  });
});

describe("editing", () => {
  const patch = (w: number, body: unknown, token = mgr.token, id = pid) =>
    call(hookRoute.PATCH, "PATCH", "/x", { token, params: { id, w: String(w) }, body });

  it("edits URL, events, description and active; refuses bad edits with 422 naming the field", async () => {
    const h = await createHook({ url: `${base}/ok`, events: ["ping"], description: "old" });
    const cases: Array<[unknown, string]> = [
      [{ url: "not a url" }, "url"],
      [{ url: "ftp://example.com/x" }, "url"],
      [{ url: "" }, "url"],
      [{ events: [] }, "events"],
      [{ events: ["annotation.deleted"] }, "events.0"],
      [{ active: "yes" }, "active"],
      [{ secret: "short" }, "secret"],
      [{ secret: "a-long-enough-secret-123", rotateSecret: true }, "rotateSecret"],
    ];
    for (const [body, field] of cases) {
      const r = await patch(h.json.id, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.error.field, JSON.stringify(body)).toBe(field);
    }
    // Unknown fields are refused, not ignored.
    const unknown = await patch(h.json.id, { bogus: 1 });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.message).toMatch(/bogus/);
    // A changed URL goes through the same SSRF check as registration.
    process.env.LOUPE_URL_ALLOWLIST = "";
    for (const url of [`http://127.0.0.1:${port}/ok`, "http://169.254.169.254/latest/meta-data/", "http://localhost/"]) {
      const r = await patch(h.json.id, { url });
      expect(r.status, url).toBe(422);
      expect(r.json.error).toMatchObject({ code: "blocked_url", field: "url" });
    }
    process.env.LOUPE_URL_ALLOWLIST = ENV.LOUPE_URL_ALLOWLIST;
    // Nothing changed by the refused edits.
    const same = await call(hookRoute.GET, "GET", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
    expect(same.json).toMatchObject({ url: `${base}/ok`, events: ["ping"], description: "old", active: true, secretPrefix: h.json.secretPrefix });
    // Only managers of this project can edit.
    expect((await patch(h.json.id, { active: false }, annot.token)).status).toBe(403);
    expect((await patch(h.json.id, { active: false }, other.token)).status).toBe(404);
    const ro = await userWithToken("m@wh.test", { readOnly: true });
    expect((await patch(h.json.id, { active: false }, ro.token)).status).toBe(403);

    const ok = await patch(h.json.id, { url: `${base}/edited`, events: ["ping", "version.created", "ping"], description: "new", active: false });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ url: `${base}/edited`, events: ["ping", "version.created"], description: "new", active: false });
    expect(ok.json.secret).toBeUndefined();
    expect((await patch(h.json.id, { active: true })).json.active).toBe(true);
    // Deliveries now go to the new URL.
    const p = await ping(h.json.id);
    await waitFor("ping to the edited URL", () => deliveryOf(h.json.id, (x) => x.id === p.json.id && x.status === "succeeded"));
    expect(received.find((r) => r.headers["x-loupe-delivery"] === String(p.json.id))?.path).toBe("/edited");
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });

  it("rotates the secret: the new one is returned once, and the old one no longer verifies", async () => {
    const h = await createHook({ url: `${base}/ok`, events: ["ping"] });
    const oldSecret: string = h.json.secret;
    const p1 = await ping(h.json.id);
    await waitFor("first ping", () => deliveryOf(h.json.id, (x) => x.id === p1.json.id && x.status === "succeeded"));
    const sig = (r: Received) => ({ signature: r.headers["x-loupe-signature"] as string, timestamp: r.headers["x-loupe-timestamp"] as string });
    const got1 = received.find((r) => r.headers["x-loupe-delivery"] === String(p1.json.id))!;
    expect(verifySignature(oldSecret, sig(got1), got1.body)).toBe(true);

    const rot = await patch(h.json.id, { rotateSecret: true });
    expect(rot.status).toBe(200);
    const newSecret: string = rot.json.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(rot.json.secretPrefix).toBe(newSecret.slice(0, 10) + "…");
    // Shown once: never again in GET or the list.
    const g = await call(hookRoute.GET, "GET", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
    expect(g.json.secret).toBeUndefined();
    expect(JSON.stringify((await hooks()).json)).not.toContain(newSecret);

    const p2 = await ping(h.json.id);
    await waitFor("second ping", () => deliveryOf(h.json.id, (x) => x.id === p2.json.id && x.status === "succeeded"));
    const got2 = received.find((r) => r.headers["x-loupe-delivery"] === String(p2.json.id))!;
    expect(verifySignature(newSecret, sig(got2), got2.body)).toBe(true);
    expect(verifySignature(oldSecret, sig(got2), got2.body)).toBe(false);

    // Setting an own secret works too, and is not echoed back.
    const own = await patch(h.json.id, { secret: "my-own-secret-0123456789" });
    expect(own.status).toBe(200);
    expect(own.json.secret).toBeUndefined();
    expect(own.json.secretPrefix).toMatch(/^my-o.*…$/);
    await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h.json.id) } });
  });
});

describe("pruning the delivery log", () => {
  const DAY = 86_400_000;
  async function seedRows(webhookId: number, rows: Array<{ status: "pending" | "succeeded" | "failed"; ageDays: number }>) {
    const { getDb } = await import("@/lib/db/client");
    const { webhookDeliveries } = await import("@/lib/db/schema");
    const now = Date.now();
    return rows.map(
      (r) =>
        getDb()
          .insert(webhookDeliveries)
          .values({
            webhookId, event: "ping", payload: "{}", status: r.status, attempts: 1,
            // Pending rows are scheduled far ahead so the sender leaves them alone in this test.
            nextAttemptAt: r.status === "pending" ? now + DAY : null,
            createdAt: now - r.ageDays * DAY, updatedAt: now - r.ageDays * DAY,
          })
          .returning()
          .get().id,
    );
  }
  async function idsOf(webhookId: number) {
    const { getDb } = await import("@/lib/db/client");
    const { webhookDeliveries } = await import("@/lib/db/schema");
    const { eq } = await import("drizzle-orm");
    return getDb().select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).all().map((r) => r.id).sort((a, b) => a - b);
  }

  it("deletes finished deliveries past the age limit and beyond the newest N per webhook, never pending ones", async () => {
    const { pruneDeliveries } = await import("@/lib/server/webhook-delivery");
    const a = (await createHook({ url: `${base}/ok`, events: ["ping"] })).json.id as number;
    const b = (await createHook({ url: `${base}/ok`, events: ["ping"] })).json.id as number;
    // Webhook a, oldest first: 2 ancient finished, 1 ancient pending (a retry waiting), 8 recent finished, 1 recent pending.
    const ancientDone = await seedRows(a, [{ status: "succeeded", ageDays: 40 }, { status: "failed", ageDays: 35 }]);
    const [ancientPending] = await seedRows(a, [{ status: "pending", ageDays: 45 }]);
    const recent = await seedRows(a, Array.from({ length: 8 }, (_, i) => ({ status: i % 3 ? ("succeeded" as const) : ("failed" as const), ageDays: 8 - i })));
    const [recentPending] = await seedRows(a, [{ status: "pending", ageDays: 0 }]);
    // Webhook b: 3 recent finished (under the cap), untouched.
    const bRows = await seedRows(b, [{ status: "succeeded", ageDays: 3 }, { status: "failed", ageDays: 2 }, { status: "succeeded", ageDays: 1 }]);

    const deleted = pruneDeliveries({ maxAgeMs: 30 * DAY, keep: 5 });
    expect(deleted).toBe(2 + 3);
    const left = await idsOf(a);
    for (const id of ancientDone) expect(left).not.toContain(id);
    expect(left).toEqual([ancientPending!, ...recent.slice(3), recentPending!].sort((x, y) => x - y));
    expect(await idsOf(b)).toEqual(bRows);
    // Idempotent.
    expect(pruneDeliveries({ maxAgeMs: 30 * DAY, keep: 5 })).toBe(0);
    // The API's log agrees.
    expect((await deliveries(a)).json.total).toBe(7);
    for (const w of [a, b]) await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(w) } });
  });

  it("runs from the delivery loop, with the limits from the environment", async () => {
    process.env.LOUPE_WEBHOOK_LOG_DAYS = "30";
    process.env.LOUPE_WEBHOOK_LOG_KEEP = "3";
    try {
      const h = (await createHook({ url: `${base}/ok`, events: ["ping"] })).json.id as number;
      const [old] = await seedRows(h, [{ status: "succeeded", ageDays: 31 }]);
      const [waiting] = await seedRows(h, [{ status: "pending", ageDays: 31 }]);
      await seedRows(h, Array.from({ length: 5 }, (_, i) => ({ status: "succeeded" as const, ageDays: 5 - i })));
      resetSender(); // a fresh loop prunes on its first pass
      const p = await ping(h);
      await waitFor("ping sent", () => deliveryOf(h, (x) => x.id === p.json.id && x.status === "succeeded"));
      const left = await waitFor("pruned", async () => {
        const ids = await idsOf(h);
        return ids.length <= 5 ? ids : null;
      });
      expect(left).not.toContain(old);
      expect(left).toContain(waiting);
      expect(left).toContain(p.json.id);
      await call(hookRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, w: String(h) } });
    } finally {
      delete process.env.LOUPE_WEBHOOK_LOG_DAYS;
      delete process.env.LOUPE_WEBHOOK_LOG_KEEP;
    }
  });

  it("finds each webhook's cut through the (webhook_id, id) index", async () => {
    const { getDb } = await import("@/lib/db/client");
    const plan = getDb()
      .$client.prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND status IN ('succeeded','failed') ORDER BY id DESC LIMIT 1 OFFSET 999",
      )
      .all(1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(" | ")).toMatch(/webhook_deliveries_webhook_idx/);
  });
});

// `loupe pull` against the real route handlers behind a node http server: verification, safe
// unpacking, the pull record, resuming an interrupted download, tampering, and token scoping.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { createHash } from "node:crypto";
import { freshDataDir, call, userWithToken } from "./harness";
import { serveRoutes, type TestServer } from "./http-server";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as versions from "@/app/api/v1/projects/[id]/versions/route";
import * as version from "@/app/api/v1/projects/[id]/versions/[v]/route";
import * as exportRoute from "@/app/api/v1/projects/[id]/versions/[v]/export/route";
import { pull, PullError, verifyManifest, DATASET_FILE, type DatasetFile } from "@/cli/pull";
import { listZip } from "@/lib/archive/unzip";

type U = { token: string; user: { id: number } };
let mgr: U, other: U, reader: U;
let pid: string, otherPid: string;
let srv: TestServer;
let tmp: string;

const schema = { labels: [{ name: "car", kinds: ["rect"], attributes: [{ name: "occluded", type: "checkbox" }] }, { name: "person", kinds: ["rect"] }] };
const rect = (id: string, label: string, i: number) => ({ id, kind: "rect", label, x: 1 + i, y: 2, width: 30, height: 40, rotation: 0, attributes: { occluded: i % 3 === 0 } });

const md5 = (f: string) => createHash("md5").update(fs.readFileSync(f)).digest("hex");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const out = (name: string) => path.join(tmp, name);
const quietErr = () => ({ stream: Object.assign(new Writable({ write(_c, _e, cb) { cb(); } }), { isTTY: false }) });
const opts = (o: Partial<Parameters<typeof pull>[0]> = {}) => ({
  url: srv.url, token: mgr.token, project: pid, format: "native", out: out("x"), backoffMs: 10, stderr: quietErr().stream, ...o,
});

/** The archive as the export route serves it, fetched whole. */
async function wholeArchive(format: string): Promise<Buffer> {
  const r = await fetch(`${srv.url}/api/v1/projects/${pid}/versions/latest/export?format=${format}&media=url`, { headers: { authorization: `Bearer ${mgr.token}` } });
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}

beforeAll(async () => {
  freshDataDir();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-pull-"));
  mgr = await userWithToken("m@pull.test");
  other = await userWithToken("o@pull.test");
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Cars", dataType: "image", schema } });
  pid = String(p.json.id);
  const q = await call(projects.POST, "POST", "/x", { token: other.token, body: { name: "Other", dataType: "image", schema } });
  otherPid = String(q.json.id);
  const ro = await userWithToken("ro@pull.test");
  await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: ro.user.id, role: "reviewer" } });
  reader = await userWithToken("ro@pull.test", { readOnly: true, projectId: Number(pid) });
  // Enough tasks that the archive spans several network chunks.
  const tasks = Array.from({ length: 300 }, (_, i) => ({ data: { image: `https://example.com/img-${i}.jpg`, note: createHash("sha512").update(`n${i}`).digest("hex").repeat(2) } }));
  expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: tasks })).status).toBe(201);
  const list = await call(taskList.GET, "GET", "/x?sort=id&order=asc&limit=100", { token: mgr.token, params: { id: pid } });
  for (let i = 0; i < 60; i++) {
    const t = list.json.items[i % list.json.items.length];
    if (i >= list.json.items.length) break;
    const s = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: String(t.id) }, body: { document: { regions: [rect("r1", i % 2 ? "person" : "car", i)] } } });
    expect(s.status).toBe(201);
  }
  // Another helper makes POST return 202 {build} unless ?wait=1; with it, 201 and the version.
  const v = await call(versions.POST, "POST", "/x?wait=1", { token: mgr.token, params: { id: pid }, body: { name: "first", split: { seed: 1, train: 0.8, val: 0.1, test: 0.1 } } });
  expect(v.status).toBe(201);
  expect(v.json.number ?? v.json.version?.number).toBe(1);
  srv = await serveRoutes([
    { method: "GET", pattern: "/api/v1/projects/:id/versions/:v", handler: version.GET },
    { method: "GET", pattern: "/api/v1/projects/:id/versions/:v/export", handler: exportRoute.GET },
  ]);
}, 60_000);

afterAll(async () => {
  await srv?.close();
});

describe("loupe pull", () => {
  it("downloads, verifies, unpacks and records every file with its md5", async () => {
    const r = await pull(opts({ out: out("native") }));
    expect(r.upToDate).toBe(false);
    const dir = out("native");
    const d = JSON.parse(fs.readFileSync(path.join(dir, DATASET_FILE), "utf8")) as DatasetFile;
    expect(d).toMatchObject({ loupe: "dataset-pull/1", project: { id: Number(pid), name: "Cars" }, version: { number: 1, name: "first" }, format: "native", media: "url" });
    const m = (await call(version.GET, "GET", "/x", { token: mgr.token, params: { id: pid, v: "1" } })).json;
    expect(d.version.sha256).toBe(m.sha256);
    const whole = await wholeArchive("native");
    fs.writeFileSync(path.join(tmp, "whole.zip"), whole);
    expect(d.archive).toMatchObject({ sha256: sha256(whole), size: whole.length });
    expect(d.files.map((f) => f.path).sort()).toEqual(listZip(path.join(tmp, "whole.zip")).map((e) => e.name).sort());
    for (const f of d.files) {
      expect(md5(path.join(dir, f.path))).toBe(f.md5);
      expect(fs.statSync(path.join(dir, f.path)).size).toBe(f.size);
    }
    expect(d.files.some((f) => f.path === "tasks.jsonl")).toBe(true);
    const lines = fs.readFileSync(path.join(dir, "tasks.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(60);
    expect(d.outs[0]).toMatchObject({ path: ".", nfiles: d.files.length, size: d.files.reduce((s, f) => s + f.size, 0) });
    expect(d.outs[0]!.md5).toMatch(/^[0-9a-f]{32}\.dir$/);
    // Nothing temporary is left behind.
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(".loupe"))).toEqual([]);
    // A second pull of the same version is a no-op; --force pulls again.
    expect((await pull(opts({ out: dir }))).upToDate).toBe(true);
    expect((await pull(opts({ out: dir, force: true }))).upToDate).toBe(false);
  });

  it("unpacks YOLO layout and replaces a previous pull's files", async () => {
    const dir = out("yolo");
    await pull(opts({ out: dir, format: "yolo" }));
    const d = JSON.parse(fs.readFileSync(path.join(dir, DATASET_FILE), "utf8")) as DatasetFile;
    expect(fs.existsSync(path.join(dir, "data.yaml"))).toBe(true);
    expect(d.files.some((f) => f.path.startsWith("labels/train/"))).toBe(true);
    fs.writeFileSync(path.join(dir, "labels", "my-notes.txt"), "mine");
    // Pull a different format into the same directory: the old files go, the new ones come, and a
    // file the user put among them stays.
    await pull(opts({ out: dir, format: "native" }));
    expect(fs.existsSync(path.join(dir, "data.yaml"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "labels", "train"))).toBe(false);
    expect(fs.readFileSync(path.join(dir, "labels", "my-notes.txt"), "utf8")).toBe("mine");
    expect(fs.existsSync(path.join(dir, "tasks.jsonl"))).toBe(true);
  });

  it("resumes an interrupted download with Range and gets a byte-identical archive", async () => {
    const whole = await wholeArchive("native");
    expect(whole.length).toBeGreaterThan(4000);
    const cutAt = Math.floor(whole.length / 2);
    srv.faults.cutAfter = { bytes: cutAt, times: 1, match: /\/export/ };
    srv.log.length = 0;
    const r = await pull(opts({ out: out("resume") }));
    expect(srv.faults.cutAfter.times).toBe(0);
    const exports = srv.log.filter((l) => l.path.includes("/export"));
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ range: null, status: 200 });
    expect(exports[1]!.range).toBe(`bytes=${cutAt}-`);
    expect(exports[1]!.ifRange).toMatch(/^"/);
    expect(exports[1]!.status).toBe(206);
    expect(r.dataset.archive.sha256).toBe(sha256(whole));
    expect(fs.readFileSync(path.join(out("resume"), "tasks.jsonl"), "utf8")).toBe(fs.readFileSync(path.join(out("native"), "tasks.jsonl"), "utf8"));
    srv.faults.cutAfter = undefined;
  });

  it("resumes across runs: a pull that gives up keeps its .part, the next run continues it", async () => {
    const whole = await wholeArchive("native");
    const dir = out("resume2");
    srv.faults.cutAfter = { bytes: 3000, times: 1, match: /\/export/ };
    const e = await pull(opts({ out: dir, attempts: 1 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PullError);
    expect((e as PullError).message).toMatch(/run the same command again to resume/);
    const part = fs.readdirSync(dir).find((n) => n.endsWith(".part"))!;
    expect(part).toBe(".loupe-download-1-native.part");
    expect(fs.statSync(path.join(dir, part)).size).toBe(3000);
    srv.log.length = 0;
    const r = await pull(opts({ out: dir }));
    expect(r.resumedFrom).toBe(3000);
    expect(srv.log.find((l) => l.path.includes("/export"))!.range).toBe("bytes=3000-");
    expect(r.dataset.archive.sha256).toBe(sha256(whole));
    expect(fs.existsSync(path.join(dir, part))).toBe(false);
  });

  it("starts over when a leftover part belongs to another archive (its ETag differs)", async () => {
    const whole = await wholeArchive("native");
    const dir = out("stale");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, ".loupe-download-1-native.part"), Buffer.alloc(1234, 1));
    fs.writeFileSync(path.join(dir, ".loupe-download-1-native.part.etag"), '"some-older-archive"');
    srv.log.length = 0;
    const r = await pull(opts({ out: dir }));
    const exports = srv.log.filter((l) => l.path.includes("/export"));
    // If-Range does not match the archive's ETag: the server sends the whole archive (200), which
    // the client takes from the start instead of appending.
    expect(exports.map((e) => [e.range, e.status])).toEqual([["bytes=1234-", 200]]);
    expect(r.dataset.archive.sha256).toBe(sha256(whole));
  });

  it("fails clearly on a tampered archive or digest, deleting the download", async () => {
    srv.faults.flipByte = { at: 100, match: /\/export/ };
    const dir = out("tampered");
    const e = await pull(opts({ out: dir })).catch((x: unknown) => x);
    srv.faults.flipByte = undefined;
    expect(e).toBeInstanceOf(PullError);
    expect((e as PullError).exitCode).toBe(1);
    expect((e as PullError).message).toMatch(/archive sha256 mismatch/);
    expect(fs.readdirSync(dir)).toEqual([]); // no .part, nothing unpacked, no record

    srv.faults.headers = { match: /\/export/, set: { "repr-digest": `sha-256=:${Buffer.alloc(32, 7).toString("base64")}:` } };
    const e2 = await pull(opts({ out: dir })).catch((x: unknown) => x);
    srv.faults.headers = undefined;
    expect((e2 as PullError).message).toMatch(/archive sha256 mismatch: the server states 0707/);
    expect(fs.existsSync(path.join(dir, DATASET_FILE))).toBe(false);
  });

  it("recomputes the manifest hash: a changed item does not verify", async () => {
    const m = (await call(version.GET, "GET", "/x", { token: mgr.token, params: { id: pid, v: "latest" } })).json;
    expect(verifyManifest(m)).toBe(m.sha256);
    m.items[0].revision = 2;
    expect(verifyManifest(m)).not.toBe(m.sha256);
  });

  it("reports the server's errors with exit code 2: other project's token, unknown version and format", async () => {
    const e1 = (await pull(opts({ token: other.token, out: out("e1") })).catch((x: unknown) => x)) as PullError;
    expect(e1.exitCode).toBe(2);
    expect(e1.message).toMatch(/Project not found\. \(HTTP 404\)/);
    const scoped = await userWithToken("o@pull.test", { projectId: Number(otherPid) });
    const e2 = (await pull(opts({ token: scoped.token, out: out("e2") })).catch((x: unknown) => x)) as PullError;
    expect(e2.exitCode).toBe(2);
    expect(e2.message).toMatch(/not found/);
    const e3 = (await pull(opts({ version: "9", out: out("e3") })).catch((x: unknown) => x)) as PullError;
    expect(e3.message).toMatch(/Version not found/);
    const e4 = (await pull(opts({ format: "conll", out: out("e4") })).catch((x: unknown) => x)) as PullError;
    expect(e4.exitCode).toBe(2);
    expect(e4.message).toMatch(/format/);
    expect(e4.message).toMatch(/HTTP 422/);
  });

  it("shows progress: one updating line on a terminal, plain lines otherwise, nothing with --quiet", async () => {
    const capture = (isTTY: boolean) => {
      const chunks: string[] = [];
      const stream = Object.assign(new Writable({ write(c: Buffer, _e, cb) { chunks.push(String(c)); cb(); } }), { isTTY });
      return { chunks, stream };
    };
    const tty = capture(true);
    await pull(opts({ out: out("p1"), stderr: tty.stream }));
    const t = tty.chunks.join("");
    expect(t).toMatch(/\r[\d.]+ (B|KB|MB) \/ [\d.]+ (B|KB|MB)  100%/);
    const plain = capture(false);
    await pull(opts({ out: out("p2"), stderr: plain.stream }));
    expect(plain.chunks.join("")).not.toContain("\r");
    expect(plain.chunks.join("")).toMatch(/downloaded \d+\/\d+ bytes \(100%\)\n/);
    const quiet = capture(true);
    await pull(opts({ out: out("p3"), stderr: quiet.stream, quiet: true }));
    expect(quiet.chunks).toEqual([]);
  });

  it("waits for a version that is still building, and stops on a failed build", async () => {
    // A server whose manifest says "building" twice before the real answer (background builds).
    let calls = 0;
    let failBuild = false;
    const building = await serveRoutes([
      {
        method: "GET", pattern: "/api/v1/projects/:id/versions/:v",
        handler: async (req, ctx) => {
          const r = await version.GET(req, ctx);
          const j = await r.json();
          calls++;
          if (failBuild) return Response.json({ ...j, status: "failed", sha256: "" });
          if (calls <= 2) return Response.json({ ...j, status: "building", sha256: "" });
          return Response.json(j);
        },
      },
      { method: "GET", pattern: "/api/v1/projects/:id/versions/:v/export", handler: exportRoute.GET },
    ]);
    try {
      const r = await pull(opts({ url: building.url, out: out("building"), pollMs: 10 }));
      expect(calls).toBe(3);
      expect(r.dataset.version.number).toBe(1);
      calls = 0;
      const e = (await pull(opts({ url: building.url, out: out("building2"), pollMs: 10, waitMs: 0 })).catch((x: unknown) => x)) as PullError;
      expect(e.message).toMatch(/still building/);
      failBuild = true;
      const f = (await pull(opts({ url: building.url, out: out("building3"), pollMs: 10 })).catch((x: unknown) => x)) as PullError;
      expect(f.message).toMatch(/version 1 failed to build/);
    } finally {
      await building.close();
    }
  });

  it("works with a read-only token scoped to the project", async () => {
    const r = await pull(opts({ token: reader.token, out: out("ro"), format: "coco" }));
    expect(r.dataset.files.length).toBeGreaterThan(0);
  });

  it("refuses a non-empty directory that is not a previous pull unless --force", async () => {
    const dir = out("busy");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "thesis.tex"), "precious");
    const e = (await pull(opts({ out: dir })).catch((x: unknown) => x)) as PullError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/not empty/);
    expect(fs.readdirSync(dir)).toEqual(["thesis.tex"]);
    await pull(opts({ out: dir, force: true }));
    expect(fs.readFileSync(path.join(dir, "thesis.tex"), "utf8")).toBe("precious");
    expect(fs.existsSync(path.join(dir, DATASET_FILE))).toBe(true);
  });

  it("runs as `loupe pull` from the command line, token from LOUPE_TOKEN", async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [path.resolve("bin/loupe.mjs"), "pull", ...args], { env: { ...process.env, ...env }, cwd: os.tmpdir() });
        let stdout = "", stderr = "";
        p.stdout.on("data", (c) => (stdout += c));
        p.stderr.on("data", (c) => (stderr += c));
        p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    const ok = await run(["--url", srv.url, "--project", pid, "--version", "latest", "--format", "native", "--out", out("cli")], { LOUPE_TOKEN: mgr.token });
    expect(ok.stderr).toMatch(/version 1 "first"/);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/pulled project \d+ version 1 \(native\): \d+ files/);
    expect(fs.existsSync(path.join(out("cli"), DATASET_FILE))).toBe(true);
    const bad = await run(["--url", srv.url, "--token", "loupe_nope", "--project", pid, "--format", "native", "--out", out("cli2"), "--quiet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*\(HTTP 401\)/);
    const missing = await run(["--url", srv.url, "--project", pid, "--out", out("cli3")], { LOUPE_TOKEN: "x" });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--format is required/);
  }, 60_000);
});

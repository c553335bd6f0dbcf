// Training-job path against a running server: annotate through the API, create a version, then
// `loupe pull` it (native with media included, YOLO) with a read-only project token.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn } from "./browser";
import { createApiToken, runPull, flakyProxy } from "./pull";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let pid: number;
let tmp: string;

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-e2e-pull-"));
  const { page } = admin;
  const p = await api(page, "POST", "/api/v1/projects", { name: `E2E pull ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "fruit", kinds: ["rect"] }, { name: "sign", kinds: ["rect", "polygon"] }] } });
  expect(p.status).toBe(201);
  pid = p.json.id;
  const up = await page.request.post(`/api/v1/projects/${pid}/import`, {
    multipart: {
      files: { name: "fruits.jpg", mimeType: "image/jpeg", buffer: fs.readFileSync(path.resolve("tests/fixtures/images/fruits.jpg")) },
    },
  });
  expect(up.status()).toBe(201);
  const up2 = await page.request.post(`/api/v1/projects/${pid}/import`, {
    multipart: { files: { name: "page.png", mimeType: "image/png", buffer: fs.readFileSync(path.resolve("tests/fixtures/images/page.png")) } },
  });
  expect(up2.status()).toBe(201);
  const tasks = await api(page, "GET", `/api/v1/projects/${pid}/tasks?limit=10`);
  for (const t of tasks.json.items) {
    const a = await api(page, "POST", `/api/v1/tasks/${t.id}/annotations`, { document: { regions: [{ id: "r1", kind: "rect", label: "fruit", x: 1, y: 1, width: 20, height: 10, rotation: 0 }] } });
    expect(a.status).toBe(201);
  }
  const v = await api(page, "POST", `/api/v1/projects/${pid}/versions?wait=1`, { name: "e2e", split: { seed: 3, train: 0.5, val: 0.5, test: 0 } });
  expect([201, 202]).toContain(v.status);
});

afterAll(async () => {
  await browser?.close();
});

describe("loupe pull against a running server", () => {
  it("pulls the latest version with media included, verified, with a read-only project token", async () => {
    const token = await createApiToken(admin.page, { projectId: pid, readOnly: true });
    const out = path.join(tmp, "native");
    const r = await runPull({ token, project: pid, format: "native", out, media: "include" });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MB\/s/);
    const manifest = await api(admin.page, "GET", `/api/v1/projects/${pid}/versions/latest`);
    expect(r.dataset!.version.sha256).toBe(manifest.json.sha256);
    expect(r.dataset!.files.filter((f) => f.path.startsWith("media/"))).toHaveLength(2);
    for (const f of r.dataset!.files) expect(createHash("md5").update(fs.readFileSync(path.join(out, f.path))).digest("hex")).toBe(f.md5);
    expect(fs.readFileSync(path.join(out, "tasks.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("resumes a download the network cut midway (Range + If-Range) and gets the same archive", async () => {
    const token = await createApiToken(admin.page, { projectId: pid, readOnly: true });
    const proxy = await flakyProxy(process.env.E2E_BASE_URL || "http://127.0.0.1:3217", 20_000);
    try {
      const r = await runPull({ token, project: pid, format: "native", out: path.join(tmp, "flaky"), media: "include", url: proxy.url });
      expect(r.stderr).toMatch(/download interrupted/);
      expect(r.code).toBe(0);
      const exports = proxy.requests.filter((q) => q.path.includes("/export"));
      expect(exports).toHaveLength(2);
      expect(exports[1]).toMatchObject({ range: "bytes=20000-", status: 206 });
      expect(exports[1]!.ifRange).toMatch(/^"/);
      const whole = path.join(tmp, "native", "loupe.dataset.json");
      expect(r.dataset!.archive.sha256).toBe(JSON.parse(fs.readFileSync(whole, "utf8")).archive.sha256);
    } finally {
      await proxy.close();
    }
  });

  it("pulls YOLO and refuses a token of another project with exit code 2", async () => {
    const token = await createApiToken(admin.page, { projectId: pid, readOnly: true });
    const y = await runPull({ token, project: pid, format: "yolo", out: path.join(tmp, "yolo"), media: "include" });
    expect(y.code).toBe(0);
    expect(fs.existsSync(path.join(tmp, "yolo", "data.yaml"))).toBe(true);
    const q = await api(admin.page, "POST", "/api/v1/projects", { name: `E2E other ${Date.now()}`, dataType: "image" });
    const otherToken = await createApiToken(admin.page, { projectId: q.json.id, readOnly: true });
    const bad = await runPull({ token: otherToken, project: pid, format: "yolo", out: path.join(tmp, "bad") });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Project not found/);
  });

  it("imports the native export (.zip with media) into a new project: same images, same annotations", async () => {
    const { page } = admin;
    const zip = await page.request.get(`/api/v1/projects/${pid}/versions/latest/export?format=native&media=include`);
    expect(zip.status()).toBe(200);
    const q = await api(page, "POST", "/api/v1/projects", { name: `E2E reimport ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "fruit", kinds: ["rect"] }, { name: "sign", kinds: ["rect", "polygon"] }] } });
    const r = await page.request.post(`/api/v1/projects/${q.json.id}/import`, { multipart: { files: { name: "export.zip", mimeType: "application/zip", buffer: await zip.body() } } });
    expect(r.status()).toBe(201);
    expect(await r.json()).toMatchObject({ created: 2, annotations: 2 });
    const tasks = await api(page, "GET", `/api/v1/projects/${q.json.id}/tasks?limit=10`);
    for (const t of tasks.json.items) {
      const full = await api(page, "GET", `/api/v1/tasks/${t.id}`);
      const img = await page.request.get(full.json.data.image);
      expect(img.status()).toBe(200);
      const anns = await api(page, "GET", `/api/v1/tasks/${t.id}/annotations`);
      expect((anns.json.items ?? anns.json)[0].document.regions[0]).toMatchObject({ kind: "rect", label: "fruit", width: 20 });
    }
  });
});

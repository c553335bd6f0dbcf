// Dataset versions as a manager uses them: open the demo image project's Versions tab, create a
// version with the form (Ctrl+Enter), watch the build finish, download COCO through the Download
// menu's link (a real browser download), pull the same version with the CLI, then make a second version and compare the two.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";
import { createApiToken, runPull } from "./pull";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let pid: number;
let tasks: Array<{ id: number }> = [];
/** Names unique to this run, so the test also passes against a data dir it ran on before. */
const RUN = Date.now().toString(36);

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

/** Entry names and contents of a ZIP, from its central directory. */
function unzip(b: Buffer): Map<string, Buffer> {
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(-1);
  const out = new Map<string, Buffer>();
  for (let i = 0, p = b.readUInt32LE(eocd + 16); i < b.readUInt16LE(eocd + 10); i++) {
    const method = b.readUInt16LE(p + 10), csize = b.readUInt32LE(p + 20);
    const nlen = b.readUInt16LE(p + 28), xlen = b.readUInt16LE(p + 30), clen = b.readUInt16LE(p + 32), off = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nlen).toString("utf8");
    const start = off + 30 + b.readUInt16LE(off + 26) + b.readUInt16LE(off + 28);
    const raw = b.subarray(start, start + csize);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

async function annotate(page: Page, taskId: number, label: string) {
  const r = await api(page, "POST", `/api/v1/tasks/${taskId}/annotations`, {
    document: { regions: [{ id: "e2e", kind: "rect", label, x: 2, y: 3, width: 20, height: 10, rotation: 0 }] },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
}

/** Opens the form with its N shortcut (again until the page has hydrated and bound the key). */
async function openForm(page: Page) {
  const form = page.getByRole("form", { name: "New version" });
  for (let i = 0; i < 40 && !(await form.isVisible()); i++) {
    await page.keyboard.press("n");
    await form.waitFor({ timeout: 500 }).catch(() => undefined);
  }
  await form.waitFor();
  return form;
}

/** Fills the form and submits it with Ctrl+Enter; waits until the new version's row is there. */
async function createInUi(page: Page, name: string): Promise<number> {
  const form = await openForm(page);
  await form.getByLabel(/^Name/).fill(name);
  await form.getByLabel("Release notes").fill(`made by the e2e test: ${name}`);
  await form.getByLabel("Release notes").press("Control+Enter");
  const row = page.locator('[data-testid="version-row"]', { hasText: name });
  await row.waitFor({ timeout: 30_000 });
  return Number(await row.getAttribute("data-number"));
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const { page } = admin;
  const list = await api(page, "GET", "/api/v1/projects?limit=100");
  const demo = list.json.items.find((p: { name: string }) => p.name === "Demo: objects in photos");
  expect(demo, "the demo image project is seeded").toBeTruthy();
  pid = demo.id;
  tasks = (await api(page, "GET", `/api/v1/projects/${pid}/tasks?sort=id&order=asc&limit=50`)).json.items;
  expect(tasks.length).toBeGreaterThan(2);
  // At least one submitted annotation, so the version is not empty.
  await annotate(page, tasks[0]!.id, "person");
});
afterAll(async () => {
  await browser?.close();
});

describe("dataset versions UI", () => {
  it("creates a version from the Versions tab, watches the build finish, and downloads COCO", async () => {
    const { page } = admin;
    await page.goto(`/projects/${pid}`);
    await page.getByRole("link", { name: "Versions" }).click();
    await page.waitForURL(new RegExp(`/projects/${pid}/versions$`));
    await page.getByRole("heading", { name: "Dataset versions" }).waitFor();
    await shot(page, "versions-before");

    const before = await api(page, "GET", `/api/v1/projects/${pid}/versions`);
    const n = await createInUi(page, `e2e first ${RUN}`);
    expect(n).toBe(before.json.total + 1);
    const row = page.locator(`[data-testid="version-row"][data-number="${n}"]`);
    await expect(row.getByText("Ready")).toBeTruthy();
    const v = (await api(page, "GET", `/api/v1/projects/${pid}/versions/${n}`)).json;
    expect(v.counts.annotations).toBeGreaterThan(0);
    expect(await row.textContent()).toContain(v.sha256.slice(0, 10));
    // The finished build is gone from the in-progress list.
    expect(await page.locator('[data-testid="build"][data-status="running"], [data-testid="build"][data-status="queued"]').count()).toBe(0);
    await shot(page, "versions-created");

    await row.getByRole("button", { name: /Download/ }).click();
    const menu = page.getByRole("dialog", { name: `Download v${n}` });
    await menu.getByLabel("Format").selectOption("coco");
    const link = menu.getByTestId("download-link");
    expect(await link.getAttribute("href")).toBe(`/api/v1/projects/${pid}/versions/${n}/export?format=coco&media=url`);
    // Unaccepted predictions are opt-in; the box adds the query parameter, and unticking removes it.
    await menu.getByTestId("download-predictions").check();
    expect(await link.getAttribute("href")).toBe(`/api/v1/projects/${pid}/versions/${n}/export?format=coco&media=url&predictions=include`);
    await menu.getByTestId("download-predictions").uncheck();
    expect(await link.getAttribute("href")).toBe(`/api/v1/projects/${pid}/versions/${n}/export?format=coco&media=url`);
    await shot(page, "versions-download-menu");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const file = await download.path();
    const zip = fs.readFileSync(file!);
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    const entries = unzip(zip);
    const jsons = [...entries.keys()].filter((k) => k.endsWith(".json") && k !== "export-report.json");
    expect(jsons.length).toBeGreaterThan(0);
    const coco = JSON.parse(entries.get(jsons[0]!)!.toString("utf8"));
    expect(Array.isArray(coco.annotations)).toBe(true);
    expect(coco.annotations.length).toBeGreaterThan(0);
    expect(coco.categories.map((c: { name: string }) => c.name)).toContain("person");

    // A training job pulls the same version with the CLI and a read-only project token: it gets
    // the very archive the browser downloaded, verified and unpacked, with its DVC-style record.
    const token = await createApiToken(page, { projectId: pid, readOnly: true, name: `e2e versions ${RUN}` });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-e2e-versions-pull-"));
    const pulled = await runPull({ token, project: pid, version: n, format: "coco", out: path.join(out, "ds"), extra: ["--quiet"] });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.dataset!.version.number).toBe(n);
    expect(pulled.dataset!.version.sha256).toBe(v.sha256);
    expect(pulled.dataset!.archive.sha256).toBe(createHash("sha256").update(zip).digest("hex"));
    for (const name of jsons) {
      expect(fs.readFileSync(path.join(out, "ds", name)).equals(entries.get(name)!)).toBe(true);
      const rec = pulled.dataset!.files.find((f) => f.path === name);
      expect(rec?.md5).toBe(createHash("md5").update(entries.get(name)!).digest("hex"));
    }
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("makes a second version and compares the two with a chart", async () => {
    const { page } = admin;
    // Prefer tasks no earlier run annotated (then they are "added"); on a reused data dir they may
    // all be annotated, and a second annotation makes the task "changed" instead.
    const fresh = [];
    for (const t of tasks.slice(1)) {
      if ((await api(page, "GET", `/api/v1/tasks/${t.id}/annotations`)).json.items?.length === 0) fresh.push(t);
    }
    const picked = [...new Map([...fresh, ...tasks.slice(1).reverse()].map((t) => [t.id, t])).values()].slice(0, 2);
    await annotate(page, picked[0]!.id, "animal");
    await annotate(page, picked[1]!.id, "person");
    await page.goto(`/projects/${pid}/versions`);
    const first = Number(await page.locator('[data-testid="version-row"]', { hasText: `e2e first ${RUN}` }).getAttribute("data-number"));
    const second = await createInUi(page, `e2e second ${RUN}`);
    expect(second).toBe(first + 1);

    await page.locator(`[data-testid="version-row"][data-number="${second}"]`).getByRole("button", { name: "Compare" }).click();
    await expect(await page.getByLabel("To").inputValue()).toBe(String(second));
    await page.getByLabel("From").selectOption(String(first));
    const diff = page.getByTestId("diff");
    await diff.locator("p", { hasText: `v${first} → v${second}` }).first().waitFor();
    const chart = diff.getByTestId("label-chart");
    await chart.waitFor();
    const api2 = (await api(page, "GET", `/api/v1/projects/${pid}/versions/${second}/diff?against=${first}`)).json;
    expect(api2.tasks.added + api2.tasks.changed).toBe(2);
    expect(api2.annotations.added).toBe(2);
    // One bar group per label in the diff, the person bar showing +1 at least.
    expect(await chart.locator("g[data-label]").count()).toBe(api2.labels.length);
    const person = api2.labels.find((l: { label: string }) => l.label === "person");
    expect(person.delta).toBeGreaterThanOrEqual(1);
    expect(await chart.locator('g[data-label="person"]').textContent()).toContain(`+${person.delta}`);
    // Sample links go to the task pages.
    const where = api2.samples.added.includes(picked[0]!.id) ? "samples-added" : "samples-changed";
    const link = diff.getByTestId(where).getByRole("link", { name: `#${picked[0]!.id}` });
    expect(await link.getAttribute("href")).toBe(`/tasks/${picked[0]!.id}`);
    await shot(page, "versions-compare");
  });

  it("validates the form before sending (split must add up to 100), and Cancel closes it", async () => {
    const { page } = admin;
    await page.goto(`/projects/${pid}/versions`);
    const form = await openForm(page);
    await form.getByLabel("Split into train / val / test").check();
    await form.getByLabel("train %").fill("90");
    await form.getByRole("button", { name: "Create version" }).click();
    await form.getByText(/must add up to 100/).waitFor();
    await form.getByRole("button", { name: "Cancel" }).click();
    expect(await page.getByRole("form", { name: "New version" }).count()).toBe(0);
  });

  it("finishes a build that was queued before a reload or restart, and lists its version without a manual reload", async () => {
    const dataDir = process.env.E2E_DATA_DIR;
    if (!dataDir) throw new Error("E2E_DATA_DIR must point at the server's data directory");
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(`${dataDir}/loupe.db`);
    db.pragma("busy_timeout = 5000");
    const name = `e2e queued ${RUN}`;
    const request = JSON.stringify({ name, notes: "", filter: { status: "submitted" }, split: null, schemaVersion: 1 });
    db.prepare("INSERT INTO dataset_version_builds (project_id, request, as_of, status, phase) VALUES (?, ?, ?, 'queued', 'queued')").run(pid, request, Date.now());
    db.close();
    const { page } = admin;
    await page.goto(`/projects/${pid}/versions`);
    await page.locator('[data-testid="version-row"]', { hasText: name }).waitFor({ timeout: 30_000 });
    const builds = (await api(page, "GET", `/api/v1/projects/${pid}/versions/builds`)).json.items;
    expect(builds.find((b: { name: string }) => b.name === name)).toMatchObject({ status: "done" });
  });

  it("shows a failed build (as a crashed or failed build leaves it) with its error, and dismisses it", async () => {
    const dataDir = process.env.E2E_DATA_DIR;
    if (!dataDir) throw new Error("E2E_DATA_DIR must point at the server's data directory");
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(`${dataDir}/loupe.db`);
    db.pragma("busy_timeout = 5000");
    const request = JSON.stringify({ name: "e2e broken", notes: "", filter: { status: "submitted" }, split: null, schemaVersion: 1 });
    const id = Number(
      db.prepare("INSERT INTO dataset_version_builds (project_id, request, as_of, status, phase, error) VALUES (?, ?, ?, 'failed', 'failed', ?)")
        .run(pid, request, Date.now(), "2 annotation(s) were deleted while the version was being built; start the build again").lastInsertRowid,
    );
    db.close();
    const { page } = admin;
    await page.goto(`/projects/${pid}/versions`);
    const card = page.locator('[data-testid="build"][data-status="failed"]', { hasText: "e2e broken" });
    await card.getByText(/were deleted while the version was being built/).waitFor();
    await shot(page, "versions-failed-build");
    await card.getByRole("button", { name: "Dismiss" }).click();
    await card.waitFor({ state: "detached" });
    expect((await api(page, "GET", `/api/v1/projects/${pid}/versions/builds/${id}`)).status).toBe(404);
  });

  it("cancels a running build from its progress bar (after a confirm), and the row goes away with a notice", async () => {
    const dataDir = process.env.E2E_DATA_DIR;
    if (!dataDir) throw new Error("E2E_DATA_DIR must point at the server's data directory");
    const { page } = admin;
    // The page has been used, so this server process has run its restart recovery; a running row
    // inserted now is one no runner is executing (a real build of the demo project finishes in
    // milliseconds, too fast to click; the integration tests stop real builds between pages).
    await page.goto(`/projects/${pid}/versions`);
    const before = (await api(page, "GET", `/api/v1/projects/${pid}/versions`)).json.total;
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(`${dataDir}/loupe.db`);
    db.pragma("busy_timeout = 5000");
    const name = `e2e running ${RUN}`;
    const request = JSON.stringify({ name, notes: "", filter: { status: "submitted" }, split: null, schemaVersion: 1 });
    const id = Number(
      db.prepare("INSERT INTO dataset_version_builds (project_id, request, as_of, status, phase, done, total) VALUES (?, ?, ?, 'running', 'reading', 400, 1000)")
        .run(pid, request, Date.now()).lastInsertRowid,
    );
    db.close();
    await page.reload();
    const card = page.locator('[data-testid="build"][data-status="running"]', { hasText: name });
    await card.getByText("400 / 1,000 tasks").waitFor();
    const cancel = card.getByRole("button", { name: `Cancel the build of ${name}` });
    await shot(page, "versions-running-build");

    // Dismissing the confirm leaves the build alone.
    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await cancel.click();
    await expect.poll(() => asked).toContain(`Stop building "${name}"`);
    expect((await api(page, "GET", `/api/v1/projects/${pid}/versions/builds/${id}`)).json).toMatchObject({ status: "running", phase: "reading" });
    expect(await card.isVisible()).toBe(true);

    page.once("dialog", (d) => void d.accept());
    await cancel.click();
    await card.waitFor({ state: "detached" });
    await page.getByRole("status").filter({ hasText: `Cancelled the build of “${name}”` }).waitFor();
    await shot(page, "versions-build-cancelled");
    expect((await api(page, "GET", `/api/v1/projects/${pid}/versions/builds/${id}`)).json).toMatchObject({ status: "cancelled", version: null });
    expect((await api(page, "GET", `/api/v1/projects/${pid}/versions`)).json.total).toBe(before);
    // A reload does not bring the cancelled build back.
    await page.reload();
    await page.getByRole("heading", { name: "Dataset versions" }).waitFor();
    expect(await page.locator('[data-testid="build"]', { hasText: name }).count()).toBe(0);
  });
});

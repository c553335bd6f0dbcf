// The foundation, as a person uses it: sign in, see the demo, create a project with a schema,
// upload real files, see thumbnails, start labelling; and what each role may not do.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot, ADMIN, BASE } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let projectId: number;

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

const fixture = (rel: string) => path.resolve("tests/fixtures", rel);

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

describe("first start", () => {
  it("shows the four seeded demo projects", async () => {
    const { page } = admin;
    await page.goto("/projects");
    for (const name of ["Demo: objects in photos", "Demo: named entities in news", "Demo: meeting audio", "Demo: pedestrian tracking"]) {
      await page.getByText(name).first().waitFor();
    }
    await shot(page, "projects");
    const list = await api(page, "GET", "/api/v1/projects");
    const demo = list.json.items.filter((p: { name: string }) => p.name.startsWith("Demo:"));
    expect(demo.map((p: { dataType: string }) => p.dataType).sort()).toEqual(["audio", "image", "text", "video"]);
    expect(demo.every((p: { taskCount: number }) => p.taskCount > 0)).toBe(true);
  });

  it("sends signed-out visitors to the sign-in page and refuses a wrong password", async () => {
    const ctx = await browser.newContext({ baseURL: BASE });
    const page = await ctx.newPage();
    await page.goto("/projects");
    await page.waitForURL(/\/login/);
    await page.fill('input[name="email"]', ADMIN.email);
    await page.fill('input[name="password"]', "wrong-password");
    await page.click('button:has-text("Sign in")');
    await page.getByText(/invalid email or password/i).waitFor();
    expect(page.url()).toMatch(/\/login/);
    await ctx.close();
  });
});

describe("a project from scratch", () => {
  it("is created with a visual label schema", async () => {
    const { page } = admin;
    await page.goto("/projects/new");
    await page.fill('input[name="name"]', "E2E street scenes");
    await page.fill('textarea[name="description"]', "Created by the end-to-end test");
    await page.locator('label:has(input[name="dataType"][value="image"])').click();
    // The form starts with one empty label.
    await page.getByLabel("Name of label 1").fill("car");
    await page.getByLabel(/Hotkey of label 1/).fill("1");
    await page.getByRole("button", { name: /add label/i }).click();
    await page.getByLabel("Name of label 2").fill("person");
    await page.getByLabel(/Hotkey of label 2/).fill("2");
    await shot(page, "new-project");
    await page.getByRole("button", { name: /create project/i }).click();
    await page.waitForURL(/\/projects\/\d+$/);
    projectId = Number(page.url().split("/").pop());
    const p = await api(page, "GET", `/api/v1/projects/${projectId}`);
    expect(p.json.dataType).toBe("image");
    expect(p.json.schema.labels.map((l: { name: string; hotkey: string }) => [l.name, l.hotkey])).toEqual([["car", "1"], ["person", "2"]]);
  });

  it("takes uploaded images and shows their thumbnails in the task table", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}/import`);
    await page.setInputFiles('input[type="file"]', [fixture("images/page.png"), fixture("images/fruits.jpg")]);
    await expect.poll(async () => (await api(page, "GET", `/api/v1/projects/${projectId}/tasks`)).json.total, { timeout: 30_000 }).toBe(2);
    await shot(page, "import");
    await page.goto(`/projects/${projectId}/data`);
    const thumbs = page.locator('img[src*="/thumbnail"]');
    await expect.poll(() => thumbs.count(), { timeout: 15_000 }).toBe(2);
    await expect
      .poll(() => thumbs.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0)), { timeout: 15_000 })
      .toBe(true);
    await page.getByText("page.png").first().waitFor();
    await shot(page, "data");
  });

  it("reports a file whose content is not an image", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}/import`);
    await page.setInputFiles('input[type="file"]', { name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
    await page.getByText(/markup|not a supported|does not match/i).first().waitFor({ timeout: 30_000 });
    expect((await api(page, "GET", `/api/v1/projects/${projectId}/tasks`)).json.total).toBe(2);
  });

  it("starts labelling on the next task", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}`);
    await page.getByRole("button", { name: /start labelling/i }).click();
    await page.waitForURL(/\/tasks\/\d+/);
    // The image editor opens with the image decoded and painted on its canvas.
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await shot(page, "task");
  });
});

describe("roles", () => {
  const pw = "role-password-1";
  async function member(email: string, role: string) {
    const u = await api(admin.page, "POST", "/api/v1/users", { email, password: pw });
    expect(u.status).toBe(201);
    const m = await api(admin.page, "POST", `/api/v1/projects/${projectId}/members`, { userId: u.json.id, role });
    expect(m.status).toBe(201);
  }

  it("an annotator labels but cannot change settings, members or imports", async () => {
    await member("ann@e2e.test", "annotator");
    const { context, page } = await signIn(browser, { email: "ann@e2e.test", password: pw });
    await page.goto(`/projects/${projectId}`);
    await page.getByRole("button", { name: /start labelling/i }).waitFor();
    expect(await page.getByRole("link", { name: /^settings$/i }).count()).toBe(0);
    expect((await api(page, "PATCH", `/api/v1/projects/${projectId}`, { name: "x" })).status).toBe(403);
    expect((await api(page, "POST", `/api/v1/projects/${projectId}/members`, { email: "ann@e2e.test", role: "manager" })).status).toBe(403);
    expect((await api(page, "POST", `/api/v1/projects/${projectId}/import`, [{ image: "https://example.com/a.jpg" }])).status).toBe(403);
    expect((await api(page, "POST", `/api/v1/projects/${projectId}/next`)).json.taskId).toBeTypeOf("number");
    await page.goto(`/projects/${projectId}/settings`);
    await page.getByText(/permission|not found|can't|cannot/i).first().waitFor();
    await context.close();
  });

  it("a reviewer sees the task table but not settings", async () => {
    await member("rev@e2e.test", "reviewer");
    const { context, page } = await signIn(browser, { email: "rev@e2e.test", password: pw });
    await page.goto(`/projects/${projectId}/data`);
    await page.getByText("page.png").first().waitFor();
    expect((await api(page, "PUT", `/api/v1/projects/${projectId}/schema`, { labels: [] })).status).toBe(403);
    await context.close();
  });

  it("a user outside the project cannot see it", async () => {
    const u = await api(admin.page, "POST", "/api/v1/users", { email: "out@e2e.test", password: pw });
    expect(u.status).toBe(201);
    const { context, page } = await signIn(browser, { email: "out@e2e.test", password: pw });
    expect((await api(page, "GET", `/api/v1/projects/${projectId}`)).status).toBe(404);
    const r = await page.goto(`/projects/${projectId}`);
    expect(r?.status()).toBe(404);
    await context.close();
  });
});

describe("requests from elsewhere", () => {
  it("refuses a cookie-authenticated write from another origin", async () => {
    const r = await admin.context.request.post("/api/v1/projects", {
      headers: { Origin: "http://evil.example", "content-type": "application/json" },
      data: JSON.stringify({ name: "csrf", dataType: "image" }),
    });
    expect(r.status()).toBe(403);
    expect((await r.json()).error.code).toBe("csrf");
  });

  it("accepts an API token, and refuses it once revoked", async () => {
    const t = await api(admin.page, "POST", "/api/v1/tokens", { name: "e2e" });
    expect(t.status).toBe(201);
    const ctx = await browser.newContext();
    const base = BASE;
    const ok = await ctx.request.get(`${base}/api/v1/projects`, { headers: { Authorization: `Bearer ${t.json.token}` } });
    expect(ok.status()).toBe(200);
    expect((await api(admin.page, "DELETE", `/api/v1/tokens/${t.json.info.id}`)).status).toBe(204);
    const gone = await ctx.request.get(`${base}/api/v1/projects`, { headers: { Authorization: `Bearer ${t.json.token}` } });
    expect(gone.status()).toBe(401);
    await ctx.close();
  });

  it("signs out", async () => {
    const { context, page } = await signIn(browser);
    await page.getByRole("button", { name: /sign out/i }).click();
    await page.waitForURL(/\/login/);
    await page.goto("/projects");
    await page.waitForURL(/\/login/);
    await context.close();
  });
});

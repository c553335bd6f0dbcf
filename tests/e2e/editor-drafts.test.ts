// "Nothing lost", as a person sees it: draw in the image editor, lose the network or the session,
// reload, sign in again, and the draft still reaches the server (proved through the API).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot, ADMIN } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let taskIds: number[] = [];

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const { page } = admin;
  const projects = (await (await page.request.get("/api/v1/projects?limit=100")).json()) as { items: Array<{ id: number; name: string; dataType: string }> };
  const demo = projects.items.find((p) => p.dataType === "image" && p.name.startsWith("Demo:"));
  expect(demo).toBeTruthy();
  // The last tasks, with nobody's annotation: other e2e files tend to start at the first one.
  const tasks = (await (await page.request.get(`/api/v1/projects/${demo!.id}/tasks?sort=id&order=desc&limit=8`)).json()) as {
    items: Array<{ id: number; annotationCount: number }>;
  };
  taskIds = tasks.items.filter((t) => t.annotationCount === 0).map((t) => t.id);
  expect(taskIds.length).toBeGreaterThanOrEqual(2);
});
afterAll(async () => {
  await browser?.close();
});

async function serverDraftRegions(page: Page, taskId: number): Promise<number> {
  const r = await page.request.get(`/api/v1/tasks/${taskId}/draft`);
  if (r.status() !== 200) return -1;
  const body = (await r.json()) as { draft: { document: { regions: unknown[] } } | null };
  return body.draft?.document.regions.length ?? 0;
}

async function waitForServerDraft(page: Page, taskId: number, regions: number, timeoutMs = 35_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < until) {
    last = await serverDraftRegions(page, taskId);
    if (last === regions) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`the server draft of task ${taskId} has ${last} regions, expected ${regions}`);
}

async function openTask(page: Page, taskId: number): Promise<void> {
  await page.goto(`/tasks/${taskId}`);
  await page.getByTestId("image-canvas").waitFor();
  await page.getByTestId("save-status").waitFor();
  await page.getByText("Loading image…").waitFor({ state: "hidden", timeout: 30_000 });
}

const status = (page: Page) => page.getByTestId("save-status");

async function waitForState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page.locator(`[data-testid="save-status"][data-state="${state}"]`).waitFor({ timeout });
}

/** Rectangle tool (key r), then a drag inside the canvas at a fraction of its size. */
async function drawRect(page: Page, fx: number, fy: number): Promise<void> {
  const box = (await page.getByTestId("image-canvas").boundingBox())!;
  const x = box.x + box.width * fx;
  const y = box.y + box.height * fy;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press("r");
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 30, y + 20, { steps: 4 });
  await page.mouse.move(x + 60, y + 45, { steps: 4 });
  await page.mouse.up();
}

/** The draft this browser keeps in IndexedDB (components/editor/persistence/draft-store.ts). */
async function localDraft(page: Page, userId: number, taskId: number): Promise<{ regions: number; synced: boolean } | null> {
  return page.evaluate(
    ([u, t]) =>
      new Promise<{ regions: number; synced: boolean } | null>((resolve, reject) => {
        const open = indexedDB.open("loupe-drafts");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("drafts")) return resolve(null);
          const get = db.transaction("drafts").objectStore("drafts").get([u, t]);
          get.onsuccess = () => {
            // The store keeps the document as a JSON string (documentJson); older records as an object.
            const d = get.result as { document?: { regions: unknown[] }; documentJson?: string; synced: boolean } | undefined;
            db.close();
            const doc = d ? (d.documentJson !== undefined ? (JSON.parse(d.documentJson) as { regions: unknown[] }) : d.document!) : null;
            resolve(d && doc ? { regions: doc.regions.length, synced: d.synced } : null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    [userId, taskId] as const,
  );
}

const regionCount = async (page: Page) => Number(await page.getByTestId("region-count").textContent());

describe("the image editor never loses a draft", () => {
  it("keeps edits made offline across a reload and sends them when the network is back", async () => {
    const page = await admin.context.newPage();
    const cut = "**/api/v1/tasks/*/draft";
    try {
      const taskId = taskIds[0]!;
      const me = (await (await page.request.get("/api/v1/me")).json()) as { id: number };
      const before = await serverDraftRegions(page, taskId);
      await openTask(page, taskId);
      const shown = await regionCount(page);
      await drawRect(page, 0.35, 0.35);
      await waitForServerDraft(page, taskId, before + 1);
      await waitForState(page, "saved");

      // The network to the draft endpoint goes away (page and media still load, so a reload works).
      await page.route(cut, (r) => r.abort("internetdisconnected"));
      await drawRect(page, 0.55, 0.55);
      await waitForState(page, "offline");
      expect(await status(page).textContent()).toMatch(/offline/i);
      await shot(page, "editor-offline");
      expect(await serverDraftRegions(page, taskId)).toBe(before + 1);
      expect(await regionCount(page)).toBe(shown + 2);
      // Kept on this device, not yet acknowledged by the server.
      expect(await localDraft(page, me.id, taskId)).toEqual({ regions: before + 2, synced: false });

      // Reload while still cut off. (Chromium may still deliver the pagehide keepalive PUT, which
      // request interception does not see; then the server already has it. Either way nothing is lost.)
      await page.reload();
      await page.getByTestId("image-canvas").waitFor();
      await expect.poll(() => regionCount(page), { timeout: 15_000 }).toBe(shown + 2);
      if ((await serverDraftRegions(page, taskId)) === before + 1) {
        // The server never got it: the page restored the work from IndexedDB and keeps retrying.
        await page.getByText(/restored your unsaved work/i).first().waitFor();
        await waitForState(page, "offline");
      }

      // The network returns: the draft reaches the server on the next retry.
      await page.unroute(cut);
      await waitForServerDraft(page, taskId, before + 2);
      await waitForState(page, "saved");
      await expect.poll(() => localDraft(page, me.id, taskId)).toMatchObject({ synced: true });
    } finally {
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await page.close();
    }
  });

  it("keeps edits made after the session expired and replays them after signing in again", async () => {
    const { context } = admin;
    const page = await context.newPage();
    try {
      const taskId = taskIds[1]!;
      const before = await serverDraftRegions(page, taskId);
      await openTask(page, taskId);
      const shown = await regionCount(page);
      await drawRect(page, 0.3, 0.6);
      await waitForServerDraft(page, taskId, before + 1);

      await context.clearCookies(); // the session expires
      await drawRect(page, 0.6, 0.3);
      await waitForState(page, "signed-out");
      await shot(page, "editor-signed-out");

      await page.getByTestId("sign-in-again").click();
      await page.waitForURL(/\/login/);
      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await page.click('button:has-text("Sign in")');
      await page.waitForURL(new RegExp(`/tasks/${taskId}`));
      await page.getByTestId("image-canvas").waitFor();
      await expect.poll(() => regionCount(page), { timeout: 15_000 }).toBe(shown + 2);
      await waitForServerDraft(page, taskId, before + 2);
      await waitForState(page, "saved");
    } finally {
      await page.close();
    }
  });
});

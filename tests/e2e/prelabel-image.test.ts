// OCR pre-labelling in the image editor, in the real browser: open the demo's page.png, run
// "Pre-label text (OCR)" (PP-OCRv4 in the prelabel Web Worker), check the suggestions (dashed
// predictions with their recognised text, one undo step), accept them with the shortcuts, submit,
// and read back through the API the annotation's polygons with their text and the stored prediction.
import fs from "node:fs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };

type Reg = { id: string; kind: string; label?: string; origin?: string; model?: string; score?: number; points?: number[][]; attributes?: Record<string, unknown> };

// The text lines of page.png, read by eye (tests/fixtures/images/page.png.json).
const LINES: string[] = (JSON.parse(fs.readFileSync(new URL("../fixtures/images/page.png.json", import.meta.url), "utf8")) as { lines: string[] }).lines;
const words = (s: string) => s.toLowerCase().match(/[a-z]+/g) ?? [];

/** Share of the page's known words found (multiset) among the recognised texts; a word run into its neighbour counts. */
function recall(texts: string[]): number {
  const pool = texts.flatMap((t) => words(t.replace(/([a-z])([A-Z])/g, "$1 $2")));
  const known = LINES.flatMap(words);
  let read = 0;
  for (const w of known) {
    const k = pool.findIndex((g) => g === w || (w.length >= 3 && g.includes(w)));
    if (k >= 0) {
      read++;
      pool.splice(k, 1);
    }
  }
  return read / known.length;
}

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}
const regions = (page: Page) => page.evaluate(() => (window.__loupeCanvas!.editor as { getRegions(): Reg[] }).getRegions().map((r) => JSON.parse(JSON.stringify(r)) as Reg));
const textsOf = (rs: Reg[]) => rs.map((r) => String(r.attributes?.text ?? ""));

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

describe("OCR pre-labelling in the image editor", () => {
  it("suggests text-line polygons with their text on page.png, accepts them, submits, and stores the predictions", async () => {
    const { page } = admin;
    const projects = await api(page, "GET", "/api/v1/projects?limit=100");
    const demo = projects.json.items.find((p: { name: string }) => p.name === "Demo: objects in photos");
    expect(demo, "the demo image project is seeded").toBeTruthy();
    const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
    const task = tasks.json.items.find((t: { fileName?: string }) => t.fileName === "page.png");
    expect(task).toBeTruthy();
    const predsBefore = (await api(page, "GET", `/api/v1/tasks/${task.id}/predictions`)).json;
    const nBefore = (predsBefore.items ?? predsBefore).length;

    await page.goto(`/tasks/${task.id}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    // A rerun on the same data dir opens its earlier work: clear it.
    await page.evaluate(() => {
      const ed = window.__loupeCanvas!.editor as { getRegions(): Reg[]; deleteRegions(ids: string[]): void };
      const ids = ed.getRegions().map((r) => r.id);
      if (ids.length) ed.deleteRegions(ids);
    });
    expect(await regions(page)).toHaveLength(0);

    // The shortcut is listed in the help overlay.
    await page.keyboard.press("?");
    await expect.poll(() => page.getByTestId("help-overlay").textContent()).toContain("Pre-label text (OCR)");
    await page.keyboard.press("Escape");
    await page.getByTestId("help-overlay").waitFor({ state: "detached" });

    // Run OCR with its shortcut.
    await page.keyboard.press("t");
    await page.getByTestId("ocr-progress").waitFor();
    await page.getByTestId("suggestions-bar").waitFor({ timeout: 180_000 });
    await shot(page, "ocr-suggestions");
    expect(await page.getByTestId("ocr-backend").first().textContent()).toMatch(/^(wasm|webgpu)$/);

    const preds = await regions(page);
    expect(preds.length).toBeGreaterThanOrEqual(5);
    for (const r of preds) {
      expect(r).toMatchObject({ kind: "polygon", label: "text", origin: "prediction", model: "ppocr-v4" });
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.points!.length).toBeGreaterThanOrEqual(4);
      expect(typeof r.attributes?.text).toBe("string");
    }
    const share = recall(textsOf(preds));
    expect(share, `recognised: ${JSON.stringify(textsOf(preds))}`).toBeGreaterThanOrEqual(0.75);
    expect(await page.getByTestId("suggestion-count").textContent()).toBe(`${preds.length} suggestions`);
    // The region list shows the text and offers sorting by score.
    await expect.poll(() => page.getByTestId("region-list").textContent()).toContain("markers");
    await page.getByTestId("region-sort").selectOption("score");
    const firstRow = await page.getByTestId("region-row").first().getAttribute("data-region-id");
    const best = [...preds].sort((a, b) => b.score! - a.score!)[0]!;
    expect(firstRow).toBe(best.id);

    // All suggestions were added as one undo step.
    await page.keyboard.press("Control+z");
    expect(await regions(page)).toHaveLength(0);
    await page.keyboard.press("Control+Shift+z");
    expect((await regions(page)).length).toBe(preds.length);

    // The raw predictions were stored on the server.
    await expect
      .poll(async () => {
        const j = (await api(page, "GET", `/api/v1/tasks/${task.id}/predictions`)).json;
        return (j.items ?? j).length;
      }, { timeout: 15_000 })
      .toBe(nBefore + 1);
    const stored = (await api(page, "GET", `/api/v1/tasks/${task.id}/predictions`)).json;
    const last = (stored.items ?? stored).at(-1);
    expect(last.model).toBe("ppocr-v4");
    expect(last.document.regions).toHaveLength(preds.length);
    expect(recall(textsOf(last.document.regions))).toBeGreaterThanOrEqual(0.75);

    // Reject the selected one (D): select the lowest-scored suggestion via the list, reject it, undo.
    const worst = [...preds].sort((a, b) => a.score! - b.score!)[0]!;
    await page.locator(`[data-testid="region-row"][data-region-id="${worst.id}"]`).click();
    expect(await page.getByTestId("suggestion-text").textContent()).toContain(String(worst.attributes!.text));
    await page.keyboard.press("d");
    expect((await regions(page)).map((r) => r.id)).not.toContain(worst.id);
    await page.keyboard.press("Control+z");
    expect((await regions(page)).map((r) => r.id)).toContain(worst.id);

    // Accept those above the default threshold (Shift+A), then the rest with the threshold at 0.
    await page.keyboard.press("Shift+A");
    let now = await regions(page);
    for (const r of now) {
      if (r.origin === "prediction") expect(r.score!).toBeLessThan(0.8);
      else expect(r.model).toBeUndefined();
    }
    if (now.some((r) => r.origin === "prediction")) {
      await page.getByTestId("accept-threshold").fill("0");
      await page.getByTestId("accept-above").click();
    }
    now = await regions(page);
    expect(now).toHaveLength(preds.length);
    expect(now.every((r) => r.origin === "manual" && r.score === undefined)).toBe(true);
    await page.getByTestId("suggestions-bar").waitFor({ state: "detached" });
    await shot(page, "ocr-accepted");

    // Submit and read back: the annotation holds the polygons with their text.
    await page.keyboard.press("Control+Enter");
    let ann: { status: string; document: { regions: Reg[] } } | undefined;
    await expect
      .poll(async () => {
        const list = (await api(page, "GET", `/api/v1/tasks/${task.id}/annotations`)).json;
        ann = (list.items ?? list).find((a: { status: string; document: { regions: Reg[] } }) => a.status === "submitted" && a.document.regions.length === preds.length);
        return !!ann;
      }, { timeout: 15_000 })
      .toBe(true);
    const saved = ann!.document.regions;
    expect(saved.every((r) => r.kind === "polygon" && r.label === "text" && r.origin === "manual")).toBe(true);
    expect(textsOf(saved).sort()).toEqual(textsOf(preds).sort());
    expect(recall(textsOf(saved))).toBeGreaterThanOrEqual(0.75);
  }, 300_000);

  it("says clearly when a model file is missing, keeps the editor working, and succeeds once the file is back", async () => {
    const { context, page } = await signIn(browser);
    try {
      const projects = await api(page, "GET", "/api/v1/projects?limit=100");
      const demo = projects.json.items.find((p: { name: string }) => p.name === "Demo: objects in photos");
      const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
      const task = tasks.json.items.find((t: { fileName?: string }) => t.fileName === "page.png");
      // The detection model answers 404 (as on a server where scripts/copy-models.mjs never ran).
      const missing = "**/models/ch_PP-OCRv4_det_infer.onnx";
      await context.route(missing, (r) => r.fulfill({ status: 404, body: "not found" }));
      await page.goto(`/tasks/${task.id}`);
      await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
      const before = (await regions(page)).length;
      await page.getByTestId("ocr-prelabel").click();
      const err = page.getByTestId("ocr-error");
      await err.waitFor({ timeout: 60_000 });
      expect(await err.textContent()).toMatch(/could not be loaded/i);
      expect((await regions(page)).length).toBe(before);
      // The editor still works: draw a rectangle.
      await page.keyboard.press("r");
      const box = (await page.locator('[data-testid="image-canvas"]').boundingBox())!;
      await page.mouse.move(box.x + 100, box.y + 200);
      await page.mouse.down();
      await page.mouse.move(box.x + 200, box.y + 260, { steps: 5 });
      await page.mouse.up();
      expect((await regions(page)).length).toBe(before + 1);
      // With the file back, the same button works.
      await context.unroute(missing);
      await page.getByTestId("ocr-prelabel").click();
      await page.getByTestId("suggestions-bar").waitFor({ timeout: 180_000 });
      expect((await regions(page)).filter((r) => r.origin === "prediction").length).toBeGreaterThanOrEqual(5);
      await page.keyboard.press("Shift+D");
      await page.getByTestId("suggestions-bar").waitFor({ state: "detached" });
      expect((await regions(page)).filter((r) => r.origin === "prediction")).toHaveLength(0);
    } finally {
      await context.close();
    }
  }, 300_000);
});

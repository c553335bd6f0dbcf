// "Pre-label speech" in the audio editor, end to end in the browser: Silero VAD runs in the
// pre-labelling worker on the demo meeting (truth in demo/audio/meeting.wav.json), the three
// utterances come back as suggestions (one undo step) and are stored as the model's predictions;
// "accept all above 0.5" turns them into the annotator's own segments, which the submit saves.
// A missing model file ends in a clear message and the editor keeps working.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { BASE, launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };

type Seg = { id: string; kind: string; label?: string; start: number; end: number; origin?: string; model?: string; score?: number };
const truth = JSON.parse(fs.readFileSync(path.resolve("demo/audio/meeting.wav.json"), "utf8")) as Array<{ start: number; end: number }>;

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}
const segments = (page: Page) => page.evaluate(() => (window.__loupeAudio!.editor as { getRegions(): Seg[] }).getRegions().map((r) => ({ ...r })));

async function meetingTask(page: Page) {
  const projects = await api(page, "GET", "/api/v1/projects?limit=100");
  const demo = projects.json.items.find((p: { name: string }) => p.name === "Demo: meeting audio");
  const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
  return tasks.json.items.find((t: { fileName?: string }) => t.fileName === "meeting.wav") as { id: number };
}
async function openEmpty(page: Page, taskId: number) {
  await page.goto(`/tasks/${taskId}`);
  await page.locator('[data-testid="audio-editor"][data-player-ready="true"]').waitFor({ timeout: 30_000 });
  // A rerun on the same data dir opens earlier work: start from an empty document.
  await page.evaluate(() => {
    const ed = window.__loupeAudio!.editor as { getRegions(): Seg[]; deleteRegions(ids: string[]): void };
    ed.deleteRegions(ed.getRegions().map((r) => r.id));
  });
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

describe("pre-label speech (audio)", () => {
  it("finds the three utterances as suggestions, stores them as predictions, accepts all above 0.5 and submits them", async () => {
    const { page } = admin;
    const task = await meetingTask(page);
    const storedBefore = (await api(page, "GET", `/api/v1/tasks/${task.id}/predictions`)).json;
    const countBefore = (Array.isArray(storedBefore) ? storedBefore : storedBefore.items).length;
    await openEmpty(page, task.id);
    // The editor page is cross-origin isolated (COOP/COEP), so wasm may use threads.
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);

    await page.keyboard.press("Shift+P");
    await page.locator('[data-testid="prelabel-bar"]:is([data-state="done"], [data-state="error"])').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("prelabel-bar").getAttribute("data-state"), (await page.getByTestId("prelabel-error").textContent().catch(() => null)) ?? "").toBe("done");
    const result = page.getByTestId("prelabel-result");
    expect(await result.getAttribute("data-count")).toBe("3");
    expect(await page.getByTestId("prelabel-backend").textContent()).toMatch(/^(wasm, \d+ threads?|WebGPU)$/);
    await shot(page, "prelabel-audio-suggestions");

    const preds = await segments(page);
    expect(preds).toHaveLength(3);
    preds.forEach((s, i) => {
      expect(s).toMatchObject({ kind: "segment", origin: "prediction", model: "silero-vad-v5", label: "speech" });
      expect(s.score).toBeGreaterThan(0);
      expect(Math.abs(s.start - truth[i]!.start)).toBeLessThan(0.3);
      expect(Math.abs(s.end - truth[i]!.end)).toBeLessThan(0.3);
    });
    expect(await page.getByTestId("prediction-count").textContent()).toContain("3");

    // Adding them was one undo step.
    await page.keyboard.press("Control+z");
    expect(await segments(page)).toHaveLength(0);
    await page.keyboard.press("Control+Shift+z");
    expect(await segments(page)).toHaveLength(3);

    // Stored on the server as the model's output.
    const stored = (await api(page, "GET", `/api/v1/tasks/${task.id}/predictions`)).json;
    const list = (Array.isArray(stored) ? stored : stored.items) as Array<{ model: string; document: { regions: Seg[] } }>;
    expect(list).toHaveLength(countBefore + 1);
    const mine = list.at(-1)!;
    expect(mine.model).toBe("silero-vad-v5");
    expect(mine.document.regions.map((r) => [r.origin, r.start, r.end])).toEqual(preds.map((r) => ["prediction", r.start, r.end]));

    // Reject the selected one (X), undo it; then accept all scoring >= 0.5 (Shift+A): one step.
    await page.evaluate((id) => (window.__loupeAudio!.editor as { select(ids: string[]): void }).select([id]), preds[1]!.id);
    await page.keyboard.press("x");
    expect(await segments(page)).toHaveLength(2);
    await page.keyboard.press("Control+z");
    expect(await segments(page)).toHaveLength(3);
    await page.getByTestId("accept-threshold").fill("0.5");
    await page.getByTestId("accept-threshold").press("Enter"); // hands the keys back to the editor
    await page.keyboard.press("Shift+A");
    const accepted = await segments(page);
    expect(accepted.map((s) => s.origin)).toEqual(["manual", "manual", "manual"]);
    expect(accepted.every((s) => s.model === undefined && s.score === undefined)).toBe(true);
    await expect.poll(() => page.getByTestId("prediction-count").count()).toBe(0);
    await shot(page, "prelabel-audio-accepted");

    await page.keyboard.press("Control+Enter");
    await expect.poll(() => page.getByTestId("editor-message").textContent(), { timeout: 15_000 }).toMatch(/Submitted|Saved as revision/);
    const anns = await api(page, "GET", `/api/v1/tasks/${task.id}/annotations`);
    const doc = anns.json.items.at(-1).document as { regions: Seg[] };
    expect(doc.regions).toHaveLength(3);
    doc.regions.forEach((s, i) => {
      expect(s).toMatchObject({ kind: "segment", label: "speech", origin: "manual" });
      expect(Math.abs(s.start - truth[i]!.start)).toBeLessThan(0.3);
      expect(Math.abs(s.end - truth[i]!.end)).toBeLessThan(0.3);
    });
  }, 150_000);

  it("says clearly when the model file is missing, and the editor keeps working", async () => {
    const context = await browser.newContext({ baseURL: BASE, storageState: await admin.context.storageState(), viewport: { width: 1280, height: 860 } });
    await context.route("**/models/silero_vad_v5.onnx", (r) => r.fulfill({ status: 404, body: "not found" }));
    const page = await context.newPage();
    try {
      const task = await meetingTask(page);
      await openEmpty(page, task.id);
      await page.getByTestId("prelabel-speech").click();
      await page.locator('[data-testid="prelabel-bar"][data-state="error"]').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId("prelabel-error").textContent()).toMatch(/model could not be loaded/i);
      expect(await segments(page)).toHaveLength(0);
      // Still an editor: a label key and a drag make a segment.
      const box = (await page.getByTestId("waveform").boundingBox())!;
      await page.mouse.move(box.x + 100, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 220, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      expect((await segments(page)).map((s) => s.origin)).toEqual(["manual"]);
      await shot(page, "prelabel-audio-error");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("cross-origin isolation leaves the image editor working: a demo photo loads", async () => {
    const { page } = admin;
    const projects = await api(page, "GET", "/api/v1/projects?limit=100");
    const demo = projects.json.items.find((p: { name: string }) => p.name === "Demo: objects in photos");
    const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
    await page.goto(`/tasks/${tasks.json.items[0].id}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  });
});

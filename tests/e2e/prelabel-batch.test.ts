// "Pre-label the queue" (ADR 0017) in a real browser against `next start`: a new audio project
// (four recordings and one undecodable file), Silero VAD over every task from the batch page;
// pause, a reload, resume, the end with a summary; the broken file is listed as failed and did
// not stop the batch; every good task has the model's predictions on the server. Then "least
// confident first" hands out the task with the lowest prediction score.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let pid: number;
let ids: number[];
let brokenId: number;

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

const num = async (page: Page, id: string) => Number((await page.getByTestId(id).textContent())?.replace(/[^0-9]/g, ""));
const phase = (page: Page) => page.getByTestId("prelabel-batch").getAttribute("data-phase");

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const { page } = admin;
  const created = await api(page, "POST", "/api/v1/projects", { name: `E2E batch pre-label ${Date.now()}`, dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1", kinds: ["segment"] }] } });
  expect(created.status).toBe(201);
  pid = created.json.id;
  const wav = fs.readFileSync(path.resolve("tests/fixtures/audio/meeting.wav"));
  const broken = Buffer.from(wav);
  broken.writeUInt16LE(0x1234, 20); // a codec nobody decodes
  const files = [
    { name: "meeting.wav", mimeType: "audio/wav", buffer: wav },
    { name: "support-call.wav", mimeType: "audio/wav", buffer: fs.readFileSync(path.resolve("demo/audio/support-call.wav")) },
    { name: "broken.wav", mimeType: "audio/wav", buffer: broken },
    { name: "meeting.ogg", mimeType: "audio/ogg", buffer: fs.readFileSync(path.resolve("tests/fixtures/audio/meeting.ogg")) },
    { name: "meeting-2.wav", mimeType: "audio/wav", buffer: wav },
  ];
  for (const f of files) {
    const up = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: f } });
    expect(up.status(), await up.text()).toBeLessThan(300);
  }
  const tasks = await api(page, "GET", `/api/v1/projects/${pid}/tasks?limit=50`);
  ids = tasks.json.items.map((t: { id: number }) => t.id);
  expect(ids).toHaveLength(5);
  brokenId = tasks.json.items.find((t: { fileName: string }) => t.fileName === "broken.wav").id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe("pre-label the queue", () => {
  it("runs VAD over every task with pause, reload, resume; a broken file is listed and skipped", async () => {
    const { page } = admin;
    await page.goto(`/projects/${pid}`);
    await page.getByTestId("prelabel-queue").click();
    await page.waitForURL(new RegExp(`/projects/${pid}/prelabel$`));
    await page.getByTestId("batch-empty").waitFor();
    expect(await page.getByTestId("batch-label").inputValue()).toBe("speech");
    await shot(page, "prelabel-batch-empty");

    await page.getByTestId("scope-all").check();
    await page.getByTestId("batch-start").click();
    // Pause once the first task is stored: the batch stops after the task in progress.
    await expect.poll(() => num(page, "batch-done"), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId("batch-pause").click();
    await expect.poll(() => phase(page), { timeout: 60_000 }).toBe("paused");
    const pausedAt = await num(page, "batch-done");
    expect(pausedAt).toBeLessThan(5);
    await shot(page, "prelabel-batch-paused");
    // What was stored while paused stays stored; nothing runs while paused.
    const before = await api(page, "GET", `/api/v1/projects/${pid}/tasks?limit=50`);
    const storedBefore = before.json.items.filter((t: { predictionCount: number }) => t.predictionCount > 0).length;
    expect(storedBefore).toBe(pausedAt);

    // A reload keeps the cursor: the page offers to resume where it stopped.
    await page.reload();
    await expect.poll(() => phase(page), { timeout: 20_000 }).toBe("paused");
    await page.getByTestId("scope-all").waitFor();
    await page.getByTestId("batch-resume").click();
    await expect.poll(() => phase(page), { timeout: 120_000 }).toBe("done");
    expect(await page.getByTestId("batch-summary").textContent()).toMatch(/4 tasks pre-labelled/);
    expect(await num(page, "batch-failed")).toBe(1);
    expect(await page.getByTestId("batch-failures").textContent()).toMatch(new RegExp(`#${brokenId}.*decode`));
    await shot(page, "prelabel-batch-done");

    // Every good task has the model's predictions (one run each: resume did not redo a task).
    for (const id of ids) {
      const p = await api(page, "GET", `/api/v1/tasks/${id}/predictions`);
      if (id === brokenId) {
        expect(p.json.items).toHaveLength(0);
        continue;
      }
      expect(p.json.items).toHaveLength(1);
      const pred = p.json.items[0];
      expect(pred.model).toBe("silero-vad-v5");
      expect(pred.document.regions.length).toBeGreaterThan(0);
      for (const r of pred.document.regions) expect(r).toMatchObject({ kind: "segment", label: "speech", origin: "prediction" });
    }

    // "Without predictions from this model" now finds nothing to run.
    await page.getByTestId("scope-missing").check();
    await page.getByTestId("batch-start").click();
    await expect.poll(() => phase(page), { timeout: 60_000 }).toBe("done");
    expect(await num(page, "batch-done")).toBe(0);
    expect(await num(page, "batch-skipped")).toBe(4);
  }, 300_000);

  it("a text project: the dictionary over every task, predictions stored per task", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", { name: `E2E batch dictionary ${Date.now()}`, dataType: "text", schema: { labels: [{ name: "PER", hotkey: "1" }, { name: "ORG", hotkey: "2" }] } });
    const tid = created.json.id;
    // No dictionary yet: the batch stops at once with a message that says what to do.
    await api(page, "POST", `/api/v1/projects/${tid}/import`, [{ data: { text: "Merkel met Acme." } }, { data: { text: "Acme hired Merkel and acme." } }, { data: { text: "Nothing here." } }]);
    await page.goto(`/projects/${tid}/prelabel`);
    await page.getByTestId("batch-start").click();
    await expect.poll(() => phase(page), { timeout: 20_000 }).toBe("error");
    expect(await page.getByTestId("prelabel-batch").textContent()).toMatch(/no dictionary yet/);
    expect((await api(page, "PUT", `/api/v1/projects/${tid}/dictionary`, { text: "Merkel\tPER\nAcme\tORG" })).status).toBe(200);
    await page.getByTestId("batch-resume").click();
    await expect.poll(() => phase(page), { timeout: 30_000 }).toBe("done");
    expect(await num(page, "batch-done")).toBe(3);
    expect(await num(page, "batch-regions")).toBe(5);
    const tasks = await api(page, "GET", `/api/v1/projects/${tid}/tasks?sort=score`);
    const counts: number[] = [];
    for (const t of tasks.json.items) {
      const p = await api(page, "GET", `/api/v1/tasks/${t.id}/predictions`);
      expect(p.json.items.map((x: { model: string }) => x.model)).toEqual(["dictionary"]);
      counts.push(p.json.items[0].document.regions.length);
    }
    // "acme" (any case) scores 0.8, so the second text is the least confident; the empty run is unscored, last.
    expect(counts).toEqual([3, 2, 0]);
    expect(tasks.json.items.map((t: { predictionScore: number | null }) => t.predictionScore)).toEqual([0.8, 0.9, null]);
  }, 120_000);

  it("least confident first hands out the task with the lowest prediction score", async () => {
    const { page } = admin;
    const bad = await api(page, "PATCH", `/api/v1/projects/${pid}`, { taskOrder: "sometimes" });
    expect(bad.status).toBe(422);
    expect((await api(page, "PATCH", `/api/v1/projects/${pid}`, { taskOrder: "least_confident" })).status).toBe(200);
    const list = await api(page, "GET", `/api/v1/projects/${pid}/tasks?sort=score&limit=50`);
    const rows = list.json.items as Array<{ id: number; predictionScore: number | null }>;
    // Scores computed from the stored predictions: the lowest segment score per task.
    for (const r of rows) {
      const p = await api(page, "GET", `/api/v1/tasks/${r.id}/predictions`);
      const scores = p.json.items.flatMap((x: { document: { regions: Array<{ score: number }> } }) => x.document.regions.map((g) => g.score));
      if (scores.length) expect(r.predictionScore).toBeCloseTo(Math.min(...scores), 6);
      else expect(r.predictionScore).toBeNull();
    }
    expect(rows[rows.length - 1]!.id).toBe(brokenId); // unscored last
    const expected = [...rows].filter((r) => r.predictionScore !== null).sort((a, b) => a.predictionScore! - b.predictionScore! || a.id - b.id)[0]!.id;
    expect(rows[0]!.id).toBe(expected);
    const next = await api(page, "POST", `/api/v1/projects/${pid}/next`);
    expect(next.status).toBe(200);
    expect(next.json.taskId).toBe(expected);
    // The task table shows the confidence column, sorted.
    await page.goto(`/projects/${pid}/data?sort=score`);
    await page.getByText("Confidence").first().waitFor();
    await shot(page, "prelabel-task-table-confidence");
    await page.goto(`/projects/${pid}/settings`);
    expect(await page.getByTestId("task-order-least-confident").isChecked()).toBe(true);
    await shot(page, "prelabel-settings-task-order");
  }, 120_000);
});

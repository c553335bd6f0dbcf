// The audio editor as an annotator uses it, on the demo's meeting.wav (known speech intervals in
// demo/audio/meeting.wav.json): drag out two segments over the first two utterances, label them
// with number keys, type their transcriptions, mark a third with Enter while listening, submit,
// reload, and read everything back through the API. Then a file the browser cannot decode gets
// a clear message instead of a blank waveform.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };

type Seg = { id: string; kind: string; label?: string; start: number; end: number; text?: string };
const speech = JSON.parse(fs.readFileSync(path.resolve("demo/audio/meeting.wav.json"), "utf8")) as Array<{ start: number; end: number; text: string }>;

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

/** Screen x of time t on the waveform, from the editor's own view; y mid-waveform. */
async function at(page: Page, t: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId("waveform").boundingBox())!;
  const v = (await page.evaluate(() => window.__loupeAudio!.view()))!;
  return { x: box.x + (t - v.scroll) * v.pxPerSec, y: box.y + box.height / 2 };
}
async function drag(page: Page, t0: number, t1: number) {
  const a = await at(page, t0);
  const b = await at(page, t1);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
}
const segments = (page: Page) => page.evaluate(() => (window.__loupeAudio!.editor as { getRegions(): Seg[] }).getRegions().map((r) => ({ ...r })));
const pxTol = async (page: Page) => 2 / (await page.evaluate(() => window.__loupeAudio!.view()))!.pxPerSec;

async function openEditor(page: Page, taskId: number) {
  await page.goto(`/tasks/${taskId}`);
  await page.locator('[data-testid="audio-editor"][data-player-ready="true"][data-peaks-status="done"]').waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

describe("audio editor", () => {
  it("labels two utterances of the demo meeting by dragging, with transcriptions, plus one by Enter while listening; submits and reads back", async () => {
    const { page } = admin;
    const projects = await api(page, "GET", "/api/v1/projects?limit=100");
    const demo = projects.json.items.find((p: { name: string }) => p.name === "Demo: meeting audio");
    expect(demo, "the demo audio project is seeded").toBeTruthy();
    const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
    const task = tasks.json.items.find((t: { fileName?: string }) => t.fileName === "meeting.wav");
    expect(task).toBeTruthy();
    const duration: number = task.media.duration;

    await openEditor(page, task.id);
    // A rerun on the same data dir opens its earlier work: clear it (the submit is then an update).
    await page.evaluate(() => {
      const ed = window.__loupeAudio!.editor as { getRegions(): Seg[]; deleteRegions(ids: string[]): void };
      ed.deleteRegions(ed.getRegions().map((r) => r.id));
    });
    const before = (await segments(page)).length;
    expect(before).toBe(0);
    await shot(page, "audio-editor-empty");
    const tol = await pxTol(page);

    // Utterance 1: label "noise" (2) first, drag, then relabel the selection to "speech" with 1.
    await page.keyboard.press("2");
    await drag(page, speech[0]!.start, speech[0]!.end);
    let segs = await segments(page);
    expect(segs).toHaveLength(before + 1);
    expect(segs.at(-1)).toMatchObject({ kind: "segment", label: "noise" });
    await page.keyboard.press("1");
    segs = await segments(page);
    expect(segs.at(-1)!.label).toBe("speech");
    expect(Math.abs(segs.at(-1)!.start - speech[0]!.start)).toBeLessThan(tol);
    expect(Math.abs(segs.at(-1)!.end - speech[0]!.end)).toBeLessThan(tol);
    // Typing in the transcription must not trigger shortcuts (space, digits, Enter would).
    await page.getByTestId("segment-text").click();
    await page.keyboard.type(speech[0]!.text);
    expect((await segments(page)).at(-1)!.text).toBe(speech[0]!.text);
    expect(await page.evaluate(() => window.__loupeAudio!.time())).toBe(0); // space did not play
    await page.keyboard.press("Escape"); // leave the box

    // Utterance 2: label "speech" is current now.
    await drag(page, speech[1]!.start, speech[1]!.end);
    segs = await segments(page);
    expect(segs).toHaveLength(before + 2);
    expect(segs.at(-1)).toMatchObject({ label: "speech" });
    await page.getByTestId("segment-text").fill(speech[1]!.text);
    await page.keyboard.press("Escape");

    // Enter while listening: play from 11 s, Enter, Enter again a moment later.
    const third = await at(page, 11);
    await page.mouse.click(third.x, 10 + (await page.getByTestId("waveform").boundingBox())!.y); // ruler click seeks
    await page.keyboard.press("Space");
    await page.waitForFunction(() => window.__loupeAudio!.time() > 11.2, null, { timeout: 10_000 });
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("record-toggle").textContent()).toContain("Enter ends it");
    await page.waitForFunction(() => window.__loupeAudio!.time() > 12.2, null, { timeout: 10_000 });
    await page.keyboard.press("Enter");
    await page.keyboard.press("Space"); // pause
    segs = await segments(page);
    expect(segs).toHaveLength(before + 3);
    const rec = segs.at(-1)!;
    expect(rec.start).toBeGreaterThan(11);
    expect(rec.end - rec.start).toBeGreaterThan(0.5);
    expect(rec.end).toBeLessThanOrEqual(duration);
    const recStart = rec.start;
    await page.keyboard.press("2"); // label the recorded one "noise"
    expect((await segments(page)).at(-1)!.label).toBe("noise");
    // Exact times by typing: an end past the audio is clamped to its duration.
    await page.getByTestId("segment-end").fill("999");
    await page.getByTestId("segment-end").press("Enter");
    expect((await segments(page)).at(-1)!.end).toBeCloseTo(duration, 3);
    expect(await page.getByTestId("segment-end").inputValue()).toBe(duration.toFixed(3));
    // The optional spectrogram: S shows it under the waveform, computed for the viewport.
    await page.keyboard.press("s");
    await page.locator('[data-testid="audio-editor"][data-spectro="ready"]').waitFor({ timeout: 15_000 });
    await shot(page, "audio-editor-three-segments");
    await page.keyboard.press("s");
    expect(await page.getByTestId("audio-editor").getAttribute("data-spectro")).toBe("off");

    // Submit with Ctrl+Enter and stay on the task.
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => page.getByTestId("editor-message").textContent(), { timeout: 15_000 }).toMatch(/Submitted|Saved as revision/);
    const stay = page.getByRole("button", { name: "Stay here" });
    if (await stay.isVisible()) await stay.click();

    const anns = await api(page, "GET", `/api/v1/tasks/${task.id}/annotations`);
    expect(anns.status).toBe(200);
    const mine = anns.json.items.at(-1);
    expect(mine.status).toBe("submitted");
    const saved = mine.document.regions as Seg[];
    expect(saved).toHaveLength(before + 3);
    const [s1, s2, s3] = saved.slice(before);
    expect(s1).toMatchObject({ kind: "segment", label: "speech", text: speech[0]!.text });
    expect(s2).toMatchObject({ kind: "segment", label: "speech", text: speech[1]!.text });
    expect(s3).toMatchObject({ kind: "segment", label: "noise", start: recStart });
    expect(s3!.end).toBeCloseTo(duration, 3);
    expect(Math.abs(s1!.start - speech[0]!.start)).toBeLessThan(tol);
    expect(Math.abs(s2!.end - speech[1]!.end)).toBeLessThan(tol);

    // Reload: the same document comes back, and selecting a row shows its transcription.
    await openEditor(page, task.id);
    expect((await segments(page)).slice(before).map((s) => [s.label, s.text ?? null])).toEqual([
      ["speech", speech[0]!.text],
      ["speech", speech[1]!.text],
      ["noise", null],
    ]);
    await page.locator(`[data-testid="region-row"][data-region-id="${s2!.id}"]`).click();
    await expect.poll(() => page.getByTestId("segment-text").inputValue()).toBe(speech[1]!.text);
    await shot(page, "audio-editor-reloaded");
  });

  it("says clearly when the audio cannot be decoded", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", { name: "E2E broken audio", dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1" }] } });
    expect(created.status).toBe(201);
    // A RIFF/WAVE header naming a codec nobody decodes (0x1234), then noise.
    const wav = Buffer.from(fs.readFileSync(path.resolve("tests/fixtures/audio/meeting.wav")));
    wav.writeUInt16LE(0x1234, 20);
    const up = await page.request.post(`/api/v1/projects/${created.json.id}/import`, { multipart: { files: { name: "broken.wav", mimeType: "audio/wav", buffer: wav } } });
    expect(up.status(), await up.text()).toBeLessThan(300);
    const tasks = await api(page, "GET", `/api/v1/projects/${created.json.id}/tasks`);
    await page.goto(`/tasks/${tasks.json.items[0].id}`);
    await page.locator('[data-testid="audio-editor"][data-peaks-status="error"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId("waveform-error").textContent()).toMatch(/could not decode/i);
    await expect.poll(() => page.getByTestId("audio-error").textContent(), { timeout: 10_000 }).toMatch(/cannot play|could not decode/i);
    await shot(page, "audio-editor-broken");
  });

  it("draws compressed audio (OGG) through the browser's decoder", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", { name: "E2E ogg audio", dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1" }] } });
    const ogg = fs.readFileSync(path.resolve("tests/fixtures/audio/meeting.ogg"));
    const up = await page.request.post(`/api/v1/projects/${created.json.id}/import`, { multipart: { files: { name: "meeting.ogg", mimeType: "audio/ogg", buffer: ogg } } });
    expect(up.status()).toBeLessThan(300);
    const tasks = await api(page, "GET", `/api/v1/projects/${created.json.id}/tasks`);
    await openEditor(page, tasks.json.items[0].id);
    expect(await page.getByTestId("audio-editor").getAttribute("data-peaks-source")).toBe("decoded");
    expect(await page.evaluate(() => window.__loupeAudio!.viewportCovered())).toBe(true);
    // And it is editable like WAV: a drag makes a segment.
    await drag(page, 1, 3);
    expect((await segments(page)).map((s) => s.kind)).toEqual(["segment"]);
    // Zoomed in, dragging past the right side scrolls the view and the new segment grows with it.
    for (let i = 0; i < 4; i++) await page.keyboard.press("+");
    const box = (await page.getByTestId("waveform").boundingBox())!;
    const v0 = (await page.evaluate(() => window.__loupeAudio!.view()))!;
    const visibleEnd = v0.scroll + box.width / v0.pxPerSec;
    const from = await at(page, v0.scroll + (visibleEnd - v0.scroll) * 0.6);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 30, from.y, { steps: 8 });
    await page.waitForFunction((s0) => window.__loupeAudio!.view()!.scroll > s0 + 0.5, v0.scroll, { timeout: 10_000 });
    await page.mouse.up();
    const made = (await segments(page)).at(-1)!;
    expect((await segments(page)).length).toBe(2);
    expect(made.end).toBeGreaterThan(visibleEnd);
  });
});

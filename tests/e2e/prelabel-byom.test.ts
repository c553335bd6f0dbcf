// Bring-your-own models in the editors, end to end: a manager uploads a tiny YOLOv8 export and a
// tiny token classifier (onnx-proto, known outputs) through the models API; an annotator's image
// editor runs the detector in the browser worker (M) and gets the known boxes as suggestions, in
// natural-image pixels with the mapped labels; accepting and submitting saves them; the text
// editor runs the token classifier (M) and gets the known entity spans at code-point offsets.
// Both runs are stored as predictions recording the model name and version.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import sharp from "sharp";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";
import { channelMeanModel, constantOutputsModel, gatherNerModel } from "../unit/prelabel/tiny-onnx";
import { CONFIG_JSON, nerTable, TAGS, TEXT, TOKENIZER_JSON, VOCAB } from "../unit/prelabel/byom-fixtures";

type Reg = { id: string; kind: string; label: string; origin?: string; model?: string; score?: number; x?: number; y?: number; width?: number; height?: number; start?: number; end?: number };

let browser: Browser;
let imageTaskId: number;
let admin: { context: BrowserContext; page: Page };

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, ...(data !== undefined ? { data: JSON.stringify(data), headers: { "content-type": "application/json" } } : {}) });
  return { status: r.status(), json: await r.json().catch(() => null) };
}

async function upload(page: Page, pid: number, kind: string, body: Uint8Array | string) {
  const r = await page.request.post(`/api/v1/projects/${pid}/models/uploads?kind=${kind}`, { data: Buffer.from(typeof body === "string" ? new TextEncoder().encode(body) : body), headers: { "content-type": "application/octet-stream" } });
  expect(r.status(), await r.text()).toBe(201);
  return r.json();
}

// [1, C, N] candidates (cx, cy, w, h in 64x64 input pixels, then class scores); see byom-image.test.ts.
const ROWS = [
  [20, 30, 10, 10, 0.9, 0.05], // cat, kept
  [21, 30, 10, 10, 0.8, 0.1], // duplicate cat: suppressed by NMS
  [21, 31, 10, 10, 0.1, 0.7], // dog over the cat: another class, kept
  [45, 40, 8, 8, 0.1, 0.05], // low score: dropped
  [60, 30, 10, 6, 0.02, 0.6], // dog running off the right edge: clipped
  ...Array.from({ length: 5 }, () => [0, 0, 0, 0, 0, 0]),
];
const channelsFirst = (rows: number[][]) => {
  const C = rows[0]!.length, N = rows.length;
  const out = new Float32Array(C * N);
  rows.forEach((r, n) => r.forEach((v, c) => (out[c * N + n] = v)));
  return out;
};

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

describe("bring-your-own models in the editors", () => {
  it("image: a YOLOv8 export suggests the known boxes (NMS, letterbox undone, clipped, labels mapped); accept + submit saves them", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", { name: `BYOM image e2e ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "Cat", kinds: ["rect"] }, { name: "Dog", kinds: ["rect"] }] } });
    expect(created.status).toBe(201);
    const pid = created.json.id;
    const png = await sharp({ create: { width: 128, height: 64, channels: 3, background: { r: 10, g: 20, b: 30 } } }).png().toBuffer();
    const imp = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: "pets.png", mimeType: "image/png", buffer: png } } });
    expect(imp.status()).toBe(201);
    const taskId = (await imp.json()).taskIds[0];
    imageTaskId = taskId;

    const bytes = constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 6, 10], data: channelsFirst(ROWS) }], { names: "{0: 'cat', 1: 'dog'}", imgsz: "[64, 64]", task: "detect" });
    const up = await upload(page, pid, "model", bytes);
    expect(up.prefill.descriptor).toMatchObject({ task: "detect", labels: ["cat", "dog"], output: { format: "yolov8" } });
    const model = await api(page, "POST", `/api/v1/projects/${pid}/models`, { name: "pets", uploadId: up.uploadId, descriptor: up.prefill.descriptor, labelMap: { cat: "Cat", dog: "Dog" } });
    expect(model.status, JSON.stringify(model.json)).toBe(201);

    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("model-prelabel").waitFor();
    await expect.poll(() => page.getByTestId("model-prelabel").textContent()).toContain("pets");
    await page.keyboard.press("?");
    await expect.poll(() => page.getByTestId("help-overlay").textContent()).toContain("Pre-label with the chosen model");
    await page.keyboard.press("Escape");

    await page.keyboard.press("m");
    await page.getByTestId("suggestions-bar").waitFor({ timeout: 60_000 });
    const regions = () => page.evaluate(() => (window.__loupeCanvas!.editor as { getRegions(): Reg[] }).getRegions().map((r) => JSON.parse(JSON.stringify(r)) as Reg));
    const preds = await regions();
    const boxes = preds.map((r) => [r.kind, r.label, r.x, r.y, r.width, r.height, r.origin, r.model, r.score]);
    expect(boxes).toEqual([
      ["rect", "Cat", 30, 18, 20, 20, "prediction", "pets@1", 0.9],
      ["rect", "Dog", 32, 20, 20, 20, "prediction", "pets@1", 0.7],
      ["rect", "Dog", 110, 22, 18, 12, "prediction", "pets@1", 0.6],
    ]);
    await shot(page, "byom-image-suggestions");

    // Accept everything at or above 65% (two boxes), reject the rest, submit.
    await page.getByTestId("accept-threshold").fill("0.65");
    await page.getByTestId("accept-above").click();
    await page.getByTestId("reject-all").click();
    const kept = await regions();
    expect(kept.map((r) => [r.label, r.origin, r.x])).toEqual([["Cat", "manual", 30], ["Dog", "manual", 32]]);
    await page.keyboard.press("Control+Enter");
    await expect
      .poll(async () => {
        const list = (await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`)).json;
        const ann = (list.items ?? list).find((a: { status: string }) => a.status === "submitted");
        return ann ? ann.document.regions.map((r: Reg) => [r.kind, r.label, r.x, r.y, r.width, r.height]) : null;
      }, { timeout: 15_000 })
      .toEqual([["rect", "Cat", 30, 18, 20, 20], ["rect", "Dog", 32, 20, 20, 20]]);
    const stored = (await api(page, "GET", `/api/v1/tasks/${taskId}/predictions`)).json;
    const p = (stored.items ?? stored).find((x: { model: string }) => x.model === "pets");
    expect(p).toMatchObject({ model: "pets", modelVersion: "1" });
    expect(p.document.regions).toHaveLength(3);

    // The same model over the queue: two more images, "tasks without predictions from this model".
    const more = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: "pets2.png", mimeType: "image/png", buffer: png } } });
    const more2 = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: "pets3.png", mimeType: "image/png", buffer: png } } });
    const newIds = [(await more.json()).taskIds[0], (await more2.json()).taskIds[0]];
    const modelId = model.json.id ?? model.json.model?.id;
    await page.goto(`/projects/${pid}/prelabel`);
    await page.getByTestId(`prelabeller-byom-${modelId}`).check();
    await page.getByTestId("scope-missing").check();
    await page.getByTestId("batch-start").click();
    await expect.poll(() => page.getByTestId("prelabel-batch").getAttribute("data-phase"), { timeout: 60_000 }).toBe("done");
    await shot(page, "byom-batch-done");
    for (const id of newIds) {
      const items = (await api(page, "GET", `/api/v1/tasks/${id}/predictions`)).json.items;
      expect(items.map((x: { model: string; modelVersion: string; document: { regions: Reg[] } }) => [x.model, x.modelVersion, x.document.regions.map((r) => [r.label, r.x, r.y, r.width, r.height])])).toEqual([
        ["pets", "1", [["Cat", 30, 18, 20, 20], ["Dog", 32, 20, 20, 20], ["Dog", 110, 22, 18, 12]]],
      ]);
    }
    // The task pre-labelled in the editor was skipped, not run twice.
    expect((await api(page, "GET", `/api/v1/tasks/${taskId}/predictions`)).json.items).toHaveLength(1);
  });

  it("image: the same model on the WebGPU path (software adapter, backend forced) gives the same boxes", async () => {
    const gpu = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--enable-unsafe-webgpu", "--use-angle=swiftshader", "--enable-features=Vulkan"],
    });
    try {
      const { page } = await signIn(gpu);
      const hasAdapter = await page.evaluate(async () => !!(await (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
      if (!hasAdapter) return void console.warn("no WebGPU adapter in this chromium: the WebGPU path was not exercised");
      await page.evaluate(() => localStorage.setItem("loupe.prelabel.preference", "webgpu"));
      await page.goto(`/tasks/${imageTaskId}`);
      await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
      await page.evaluate(() => {
        const ed = window.__loupeCanvas!.editor as { getRegions(): Reg[]; deleteRegions(ids: string[]): void };
        const ids = ed.getRegions().map((r) => r.id);
        if (ids.length) ed.deleteRegions(ids);
      });
      await page.getByTestId("model-prelabel").click();
      await page.getByTestId("suggestions-bar").waitFor({ timeout: 120_000 });
      await expect.poll(() => page.getByTestId("model-prelabel").getAttribute("data-backend")).toBe("webgpu");
      const boxes = await page.evaluate(() => (window.__loupeCanvas!.editor as { getRegions(): Reg[] }).getRegions().map((r) => [r.label, r.x, r.y, r.width, r.height, r.score]));
      expect(boxes).toEqual([["Cat", 30, 18, 20, 20, 0.9], ["Dog", 32, 20, 20, 20, 0.7], ["Dog", 110, 22, 18, 12, 0.6]]);
    } finally {
      await gpu.close();
    }
  });

  it("image: a classifier's answer is offered as a classification; Apply sets it in one undo step", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", {
      name: `BYOM classify e2e ${Date.now()}`, dataType: "image",
      schema: { labels: [{ name: "thing", kinds: ["rect"] }], classifications: [{ name: "colour", choices: ["red", "green", "blue"], multiple: false }] },
    });
    expect(created.status).toBe(201);
    const pid = created.json.id;
    const red = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
    const imp = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: "red.png", mimeType: "image/png", buffer: red } } });
    const taskId = (await imp.json()).taskIds[0];
    const up = await upload(page, pid, "model", channelMeanModel("images", [1, 3, 32, 32], "NCHW"));
    const descriptor = { task: "classify", input: { name: "images", size: [32, 32], resize: "stretch" }, output: { names: ["output0"], format: "probs", softmax: true }, labels: ["red", "green", "blue"] };
    const model = await api(page, "POST", `/api/v1/projects/${pid}/models`, { name: "colours", uploadId: up.uploadId, descriptor, labelMap: { red: "colour:red", green: "colour:green", blue: "colour:blue" } });
    expect(model.status, JSON.stringify(model.json)).toBe(201);

    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("model-prelabel").click();
    await expect.poll(() => page.getByTestId("model-classification").textContent(), { timeout: 60_000 }).toMatch(/colour: red\s*58%/);
    await shot(page, "byom-classify");
    const classes = () => page.evaluate(() => (window.__loupeCanvas!.editor as unknown as { getClassifications(): Record<string, string[]> }).getClassifications());
    expect(await classes()).toEqual({});
    await page.getByTestId("model-apply-classification").click();
    expect(await classes()).toEqual({ colour: ["red"] });
    await page.keyboard.press("Control+z");
    expect(await classes()).toEqual({});
    const stored = (await api(page, "GET", `/api/v1/tasks/${taskId}/predictions`)).json.items;
    expect(stored.map((x: { model: string; document: { classifications: unknown } }) => [x.model, x.document.classifications])).toEqual([["colours", { colour: ["red"] }]]);
  });

  it("text: a token classifier (tokenizer.json + config.json) suggests the known entity spans at code-point offsets", async () => {
    const { page } = admin;
    const created = await api(page, "POST", "/api/v1/projects", { name: `BYOM text e2e ${Date.now()}`, dataType: "text", schema: { labels: [{ name: "Person" }, { name: "Place" }] } });
    expect(created.status).toBe(201);
    const pid = created.json.id;
    const imp = await api(page, "POST", `/api/v1/projects/${pid}/import`, [{ data: { text: TEXT } }]);
    expect(imp.status).toBeLessThan(300);
    const taskId = (await api(page, "GET", `/api/v1/projects/${pid}/tasks`)).json.items[0].id;

    const up = await upload(page, pid, "model", gatherNerModel(nerTable(), VOCAB.length, TAGS.length));
    const tok = await upload(page, pid, "tokenizer", TOKENIZER_JSON);
    const cfg = await upload(page, pid, "config", CONFIG_JSON);
    const descriptor = { ...up.prefill.descriptor, labels: TAGS };
    const model = await api(page, "POST", `/api/v1/projects/${pid}/models`, {
      name: "tiny-ner", uploadId: up.uploadId, tokenizerUploadId: tok.uploadId, configUploadId: cfg.uploadId, descriptor,
      labelMap: { "B-PER": "Person", "I-PER": "Person", "B-LOC": "Place", "I-LOC": "Place", O: null },
    });
    expect(model.status, JSON.stringify(model.json)).toBe(201);

    await page.goto(`/tasks/${taskId}`);
    await page.getByTestId("text-content").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId("model-prelabel").textContent(), { timeout: 15_000 }).toContain("tiny-ner v1");
    await page.keyboard.press("m");
    await expect.poll(() => page.getByTestId("prelabel-result").getAttribute("data-count"), { timeout: 60_000 }).toBe("4");
    const spans = await page.evaluate(() => (window as unknown as { __loupeText: { editor: { getRegions(): Reg[] } } }).__loupeText.editor.getRegions().map((r) => [r.label, r.start, r.end, r.origin, r.model]));
    expect(spans).toEqual([
      ["Person", 5, 15, "prediction", "tiny-ner@1"],
      ["Place", 22, 28, "prediction", "tiny-ner@1"],
      ["Person", 34, 37, "prediction", "tiny-ner@1"],
      ["Place", 41, 49, "prediction", "tiny-ner@1"],
    ]);
    await expect.poll(() => page.getByTestId("prelabel-result").getAttribute("data-stored")).toBe("true");
    await expect(page.getByTestId("prelabel-backend").textContent()).resolves.toBe("wasm");
    await shot(page, "byom-text-suggestions");
    const stored = (await api(page, "GET", `/api/v1/tasks/${taskId}/predictions`)).json;
    expect((stored.items ?? stored).some((x: { model: string; modelVersion: string }) => x.model === "tiny-ner" && x.modelVersion === "1")).toBe(true);
  });
});

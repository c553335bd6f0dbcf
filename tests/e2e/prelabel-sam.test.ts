// Click-to-mask (MobileSAM) in the image editor, in the real browser: a new project with a
// synthetic image (a red disc and a blue box on a textured background, so the true shapes are
// known), pick the tool with S, click inside the disc -> a mask preview, Enter -> a polygon with
// the current label whose IoU with the disc is high; drag a box around the blue box -> a second
// polygon; Esc clears a prompt; submit, and the saved document has both polygons. Then: a missing
// encoder file gives a clear message and the editor keeps working.
import sharp from "sharp";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { pointInPolygon } from "@/lib/annotation/geometry";
import { launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };

type Reg = { id: string; kind: string; label?: string; origin?: string; points?: Array<[number, number]> };

const W = 480, H = 360;
const DISC = { cx: 160, cy: 190, r: 90 };
const BOX = { x0: 300, y0: 70, x1: 430, y1: 250 };
const inDisc = (x: number, y: number) => (x - DISC.cx) ** 2 + (y - DISC.cy) ** 2 <= DISC.r ** 2;
const inBox = (x: number, y: number) => x >= BOX.x0 && x < BOX.x1 && y >= BOX.y0 && y < BOX.y1;

async function scenePng(): Promise<Buffer> {
  const data = Buffer.alloc(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let rgb = [150 + ((x * 7 + y * 13) % 23), 150 + ((x * 11 + y * 5) % 19), 140 + ((x * 3 + y * 17) % 29)];
      if (inDisc(x + 0.5, y + 0.5)) rgb = [220, 40, 40];
      else if (inBox(x, y)) rgb = [40, 60, 210];
      data.set([...rgb, 255], (y * W + x) * 4);
    }
  }
  return sharp(data, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();
}

/** IoU of a polygon with a pixel predicate, sampled at pixel centres. */
function iou(points: Array<[number, number]>, inside: (x: number, y: number) => boolean): number {
  let i = 0, u = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const a = inside(x + 0.5, y + 0.5);
    const b = pointInPolygon(points, { x: x + 0.5, y: y + 0.5 });
    if (a && b) i++;
    if (a || b) u++;
  }
  return u ? i / u : 0;
}

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}
const regions = (page: Page) => page.evaluate(() => (window.__loupeCanvas!.editor as { getRegions(): Reg[] }).getRegions().map((r) => JSON.parse(JSON.stringify(r)) as Reg));

/** Screen position (page px) of an image pixel. */
async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid="image-canvas"]').boundingBox())!;
  const v = await page.evaluate(() => window.__loupeCanvas!.view());
  return { x: box.x + v.x + x * v.scale, y: box.y + v.y + y * v.scale };
}

async function newTask(page: Page): Promise<number> {
  const created = await api(page, "POST", "/api/v1/projects", {
    name: `sam e2e ${Date.now()}`,
    dataType: "image",
    schema: { labels: [{ name: "disc", color: "#e6194b", hotkey: "1", kinds: ["polygon"] }, { name: "block", color: "#4363d8", hotkey: "2", kinds: ["polygon", "rect"] }] },
  });
  expect(created.status).toBe(201);
  const up = await page.request.post(`/api/v1/projects/${created.json.id}/import`, { multipart: { files: { name: "shapes.png", mimeType: "image/png", buffer: await scenePng() } } });
  expect(up.ok()).toBe(true);
  return (await up.json()).taskIds[0];
}

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
});
afterAll(async () => {
  await browser?.close();
});

describe("click-to-mask (SAM) in the image editor", () => {
  it("a click gives a mask preview, Enter a polygon that matches the shape; a box too; submitted and saved", async () => {
    const { page } = admin;
    const taskId = await newTask(page);
    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });

    // The tool is in the toolbar with its key and in the "?" help.
    expect(await page.getByTestId("tool-sam").textContent()).toContain("S");
    await page.keyboard.press("?");
    await expect.poll(() => page.getByTestId("help-overlay").textContent()).toContain("Click-to-mask (SAM)");
    await page.keyboard.press("Escape");
    await page.getByTestId("help-overlay").waitFor({ state: "detached" });

    await page.keyboard.press("1"); // label "disc"
    await page.keyboard.press("s");
    await expect.poll(() => page.getByTestId("tool-sam").getAttribute("aria-pressed")).toBe("true");
    // First use: the model loads and the image is encoded once, with the backend shown.
    await page.getByTestId("sam-loading").waitFor({ timeout: 30_000 });
    await shot(page, "sam-loading");
    await page.getByTestId("sam-hint").waitFor({ timeout: 240_000 });
    expect(await page.getByTestId("sam-backend").textContent()).toMatch(/^(wasm|webgpu)$/);

    // A click inside the disc -> a mask preview (not a region yet).
    const c = await at(page, DISC.cx, DISC.cy);
    await page.mouse.click(c.x, c.y);
    await page.locator('[data-testid="sam-bar"][data-pending="false"] [data-testid="sam-score"]:has-text("mask")').waitFor({ timeout: 60_000 });
    const mask = await page.evaluate(() => {
      const p = (window.__loupeCanvas!.controller as { preview: { type: string; mask: { polygons: Array<{ points: Array<[number, number]> }> } | null } | null }).preview;
      return p?.type === "sam" ? p.mask : null;
    });
    expect(mask?.polygons.length).toBeGreaterThanOrEqual(1);
    expect(iou(mask!.polygons[0]!.points, inDisc)).toBeGreaterThanOrEqual(0.8);
    expect(await regions(page)).toHaveLength(0);
    await shot(page, "sam-mask-preview");

    // Enter -> one polygon with the current label, one undo step.
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await regions(page)).length).toBe(1);
    const [disc] = await regions(page);
    expect(disc).toMatchObject({ kind: "polygon", label: "disc", origin: "manual" });
    expect(iou(disc!.points!, inDisc)).toBeGreaterThanOrEqual(0.8);
    await page.keyboard.press("Control+z");
    expect(await regions(page)).toHaveLength(0);
    await page.keyboard.press("Control+Shift+z");
    expect(await regions(page)).toHaveLength(1);

    // Esc clears a prompt without creating anything.
    await page.keyboard.press("s");
    const e = await at(page, BOX.x0 + 40, BOX.y0 + 60);
    await page.mouse.click(e.x, e.y);
    await page.getByTestId("sam-prompt").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("sam-hint").waitFor();
    expect(await regions(page)).toHaveLength(1);

    // A box dragged around the blue block, with label "block" (Esc first: the disc is selected and
    // a label key would relabel it).
    await page.keyboard.press("Escape");
    await page.keyboard.press("2");
    const a = await at(page, BOX.x0 - 8, BOX.y0 - 8);
    const b = await at(page, BOX.x1 + 8, BOX.y1 + 8);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.mouse.up();
    await page.locator('[data-testid="sam-bar"][data-pending="false"] [data-testid="sam-score"]:has-text("mask")').waitFor({ timeout: 60_000 });
    await shot(page, "sam-box-preview");
    await page.getByTestId("sam-commit").click();
    await expect.poll(async () => (await regions(page)).length).toBe(2);
    const block = (await regions(page)).find((r) => r.label === "block")!;
    expect(iou(block.points!, inBox)).toBeGreaterThanOrEqual(0.8);
    await shot(page, "sam-polygons");

    // Submit; the server validated the polygons (inside the image) and saved them.
    await page.keyboard.press("Control+Enter");
    let saved: Reg[] = [];
    await expect
      .poll(async () => {
        const list = (await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`)).json;
        const ann = (list.items ?? list).find((x: { status: string }) => x.status === "submitted");
        saved = ann?.document.regions ?? [];
        return saved.length;
      }, { timeout: 15_000 })
      .toBe(2);
    expect(iou(saved.find((r) => r.label === "disc")!.points!, inDisc)).toBeGreaterThanOrEqual(0.8);
    expect(iou(saved.find((r) => r.label === "block")!.points!, inBox)).toBeGreaterThanOrEqual(0.8);
    for (const r of saved) for (const [x, y] of r.points!) {
      expect(x >= 0 && x <= W && y >= 0 && y <= H).toBe(true);
    }
  }, 400_000);

  it("says clearly when the model file is missing and the editor keeps working", async () => {
    const { context, page } = await signIn(browser);
    try {
      const taskId = await newTask(page);
      await context.route("**/models/sam_encoder.onnx", (r) => r.fulfill({ status: 404, body: "not found" }));
      await page.goto(`/tasks/${taskId}`);
      await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
      await page.keyboard.press("s");
      const err = page.getByTestId("sam-error");
      await err.waitFor({ timeout: 60_000 });
      expect(await err.textContent()).toMatch(/could not be loaded/i);
      await shot(page, "sam-missing-model");
      // Another tool still draws.
      await page.keyboard.press("r");
      await page.keyboard.press("2");
      const a = await at(page, 20, 20);
      const b = await at(page, 120, 90);
      await page.mouse.move(a.x, a.y);
      await page.mouse.down();
      await page.mouse.move(b.x, b.y, { steps: 5 });
      await page.mouse.up();
      expect((await regions(page)).filter((r) => r.kind === "rect")).toHaveLength(1);
    } finally {
      await context.close();
    }
  }, 120_000);
});

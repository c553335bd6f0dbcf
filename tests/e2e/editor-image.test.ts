// The image editor as an annotator uses it: draw every shape kind with the mouse, hotkeys, undo
// and redo, select/move/delete, submit, reload, and read the result back through the API; then a
// stale revision: someone else saves first, the editor offers to reload instead of overwriting.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { BASE, launch, signIn, shot } from "./browser";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let taskId: number;

type Reg = { id: string; kind: string; label?: string; x?: number; y?: number; width?: number; height?: number; points?: number[][] };

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null };
}

/** Screen position of an image pixel, from the canvas's own view transform. */
async function at(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid="image-canvas"]').boundingBox())!;
  const v = await page.evaluate(() => window.__loupeCanvas!.view());
  return { x: box.x + x * v.scale + v.x, y: box.y + y * v.scale + v.y };
}
async function click(page: Page, x: number, y: number) {
  const p = await at(page, x, y);
  await page.mouse.click(p.x, p.y);
}
async function drag(page: Page, x1: number, y1: number, x2: number, y2: number) {
  const a = await at(page, x1, y1);
  const b = await at(page, x2, y2);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}
const regions = (page: Page) => page.evaluate(() => (window.__loupeCanvas!.editor as { getRegions(): Reg[] }).getRegions().map((r) => ({ ...r })));
const selected = (page: Page) => page.evaluate(() => [...(window.__loupeCanvas!.editor as { selectedIds: Set<string> }).selectedIds]);

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const { page } = admin;
  const created = await api(page, "POST", "/api/v1/projects", {
    name: "E2E editor shapes",
    dataType: "image",
    schema: {
      labels: [
        { name: "fruit", color: "#e6194b", hotkey: "1", attributes: [{ name: "ripe", type: "checkbox" }] },
        { name: "hand", color: "#3cb44b", hotkey: "2", skeleton: { points: ["wrist", "thumb", "index"], edges: [[0, 1], [0, 2]] } },
      ],
      classifications: [{ name: "lighting", choices: ["good", "poor"] }],
    },
  });
  expect(created.status).toBe(201);
  const pid = created.json.id;
  const file = path.resolve("tests/fixtures/images/fruits.jpg");
  const up = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: "fruits.jpg", mimeType: "image/jpeg", buffer: fs.readFileSync(file) } } });
  expect(up.status()).toBeLessThan(300);
  const tasks = await api(page, "GET", `/api/v1/projects/${pid}/tasks`);
  taskId = tasks.json.items[0].id;
});
afterAll(async () => {
  await browser?.close();
});

describe("image editor", () => {
  it("draws every shape kind with the mouse and hotkeys, undoes, edits, submits, and reloads the result", async () => {
    const { page } = admin;
    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("region-empty").waitFor();

    // Rectangle: R, then drag.
    await page.keyboard.press("r");
    await drag(page, 40, 40, 140, 110);
    let rs = await regions(page);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ kind: "rect", label: "fruit" });
    expect(rs[0]!.x!).toBeCloseTo(40, -0.5);
    expect(rs[0]!.width!).toBeCloseTo(100, -0.5);

    // Polygon: P, four clicks, Enter.
    await page.keyboard.press("p");
    for (const [x, y] of [[200, 40], [300, 50], [290, 140], [210, 130]]) await click(page, x!, y!);
    await page.keyboard.press("Enter");
    // Polyline: L, three clicks, Enter.
    await page.keyboard.press("l");
    for (const [x, y] of [[40, 200], [120, 240], [180, 210]]) await click(page, x!, y!);
    await page.keyboard.press("Enter");
    // Ellipse: E, drag.
    await page.keyboard.press("e");
    await drag(page, 220, 200, 300, 250);
    // Keypoints with the hand skeleton: 2 picks the label, K the tool, three clicks save it.
    await page.keyboard.press("2");
    await page.keyboard.press("k");
    for (const [x, y] of [[350, 200], [380, 180], [390, 220]]) await click(page, x!, y!);
    // Brush: B, one stroke. (Escape first: a label key also relabels the selection.)
    await page.keyboard.press("Escape");
    await page.keyboard.press("1");
    await page.keyboard.press("b");
    await drag(page, 360, 60, 420, 80);

    rs = await regions(page);
    expect(rs.map((r) => r.kind)).toEqual(["rect", "polygon", "polyline", "ellipse", "keypoints", "mask"]);
    expect(rs.find((r) => r.kind === "keypoints")).toMatchObject({ label: "hand" });
    expect(rs.find((r) => r.kind === "polygon")!.points).toHaveLength(4);
    await expect.poll(() => page.getByTestId("region-row").count()).toBe(6);
    await shot(page, "editor-shapes");

    // Undo removes the stroke, redo brings it back.
    await page.keyboard.press("Control+z");
    expect((await regions(page)).map((r) => r.kind)).not.toContain("mask");
    await page.keyboard.press("Control+Shift+z");
    expect((await regions(page)).map((r) => r.kind)).toContain("mask");

    // Select the rectangle, nudge it with an arrow, delete it, undo the delete.
    await page.keyboard.press("v");
    await click(page, 90, 75);
    const rectId = rs[0]!.id;
    expect(await selected(page)).toEqual([rectId]);
    await page.keyboard.press("ArrowRight");
    expect((await regions(page))[0]!.x!).toBeCloseTo(rs[0]!.x! + 1, 5);
    await page.keyboard.press("Delete");
    expect((await regions(page)).some((r) => r.id === rectId)).toBe(false);
    await page.keyboard.press("Control+z");
    expect((await regions(page)).some((r) => r.id === rectId)).toBe(true);

    // Drag the polygon by its middle: every point moves by the same amount.
    const before = (await regions(page)).find((r) => r.kind === "polygon")!;
    await drag(page, 250, 90, 270, 100);
    const after = (await regions(page)).find((r) => r.kind === "polygon")!;
    expect(after.points![0]![0]! - before.points![0]![0]!).toBeCloseTo(20, -0.5);
    expect(after.points![2]![1]! - before.points![2]![1]!).toBeCloseTo(10, -0.5);

    // Relate the polygon to the ellipse: click one, shift-click the other, Alt+R.
    await click(page, 260, 100);
    const poly = (await regions(page)).find((r) => r.kind === "polygon")!.id;
    const ell = (await regions(page)).find((r) => r.kind === "ellipse")!.id;
    expect(await selected(page)).toEqual([poly]);
    const e = await at(page, 260, 225);
    await page.keyboard.down("Shift");
    await page.mouse.click(e.x, e.y);
    await page.keyboard.up("Shift");
    expect((await selected(page)).sort()).toEqual([poly, ell].sort());
    await page.keyboard.press("Alt+r");
    await expect.poll(() => page.getByTestId("relation-row").count()).toBe(1);
    await page.keyboard.press("Escape");

    // Submit with Ctrl+Enter; the server has exactly what the editor shows.
    const shown = await regions(page);
    await page.keyboard.press("Control+Enter");
    await expect.poll(async () => (await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`)).json.items?.length ?? (await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`)).json.length, { timeout: 15_000 }).toBe(1);
    const list = await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`);
    const ann = (list.json.items ?? list.json)[0];
    expect(ann.status).toBe("submitted");
    expect(ann.document.regions.map((r: Reg) => r.kind)).toEqual(shown.map((r) => r.kind));
    expect(ann.document.regions.find((r: Reg) => r.kind === "polygon").points).toEqual(after.points);
    expect(ann.document.relations).toHaveLength(1);
    expect(ann.document.relations[0]).toMatchObject({ from: expect.any(String), to: expect.any(String) });

    // Reload: the editor opens the submitted annotation.
    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await regions(page)).length).toBe(6);
    await expect.poll(() => page.getByTestId("region-row").count()).toBe(6);

    // The region list works from the keyboard: focus a row, Enter selects it, Shift+Space adds the next.
    const rows = page.getByTestId("region-row");
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-region-id")));
    await rows.nth(1).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => selected(page)).toEqual([ids[1]]);
    await page.keyboard.press("Tab"); // past the row's hide/lock/delete buttons to the next row
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-region-id"))).toBe(ids[2]);
    await page.keyboard.press("Shift+Space");
    await expect.poll(async () => (await selected(page)).sort()).toEqual([ids[1], ids[2]].sort());
    await expect.poll(() => rows.nth(2).getAttribute("aria-selected")).toBe("true");
  });

  it("a stale revision gets 409 and the editor offers to reload theirs instead of overwriting", async () => {
    const { page } = admin;
    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await regions(page)).length).toBe(6);
    // Someone else (here: the API) saves a new revision after the page loaded.
    const list = await api(page, "GET", `/api/v1/tasks/${taskId}/annotations`);
    const ann = (list.json.items ?? list.json)[0];
    const kept = ann.document.regions.slice(0, 2);
    const ids = new Set(kept.map((r: Reg) => r.id));
    const theirs = { ...ann.document, regions: kept, relations: ann.document.relations.filter((r: { from: string; to: string }) => ids.has(r.from) && ids.has(r.to)) };
    const put = await api(page, "PUT", `/api/v1/annotations/${ann.id}`, { revision: ann.revision, document: theirs });
    expect(put.status).toBe(200);
    // We delete a region in the stale editor and submit.
    await page.keyboard.press("v");
    await click(page, 90, 75);
    await page.keyboard.press("Delete");
    await page.keyboard.press("Control+Enter");
    await page.getByTestId("conflict-reload").waitFor({ timeout: 15_000 });
    await shot(page, "editor-conflict");
    // Nothing was overwritten: the server still has their revision.
    const now = await api(page, "GET", `/api/v1/annotations/${ann.id}`);
    expect(now.json.revision).toBe(ann.revision + 1);
    expect(now.json.document.regions).toHaveLength(2);
    await page.getByTestId("conflict-reload").click();
    await expect.poll(async () => (await regions(page)).length).toBe(2);
  });

  it("zooms with the wheel about the pointer, pans with space-drag and the middle button, fits with F, 1:1 with 0", async () => {
    const { page } = admin;
    await page.goto(`/tasks/${taskId}`);
    await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 30_000 });
    const view = () => page.evaluate(() => window.__loupeCanvas!.view());
    const fit = await view();
    const p = await at(page, 100, 100);
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await view()).scale).toBeGreaterThan(fit.scale * 1.5);
    // The image pixel under the pointer stayed under the pointer.
    const q = await at(page, 100, 100);
    expect(Math.abs(q.x - p.x)).toBeLessThan(2);
    expect(Math.abs(q.y - p.y)).toBeLessThan(2);
    // Space + drag pans by the mouse movement.
    const v1 = await view();
    await page.keyboard.down(" ");
    await page.mouse.down();
    await page.mouse.move(p.x + 80, p.y + 40, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up(" ");
    const v2 = await view();
    expect(v2.x - v1.x).toBeCloseTo(80, 0);
    expect(v2.y - v1.y).toBeCloseTo(40, 0);
    expect((await regions(page)).length).toBe(2); // panning drew nothing
    // Middle-button drag pans too.
    await page.mouse.move(p.x, p.y);
    await page.mouse.down({ button: "middle" });
    await page.mouse.move(p.x - 50, p.y, { steps: 3 });
    await page.mouse.up({ button: "middle" });
    expect((await view()).x - v2.x).toBeCloseTo(-50, 0);
    await page.keyboard.press("f");
    await expect.poll(async () => (await view()).scale).toBeCloseTo(fit.scale, 5);
    await page.keyboard.press("0");
    await expect.poll(async () => (await view()).scale).toBe(1);
  });

  it("shows a clear message, not a blank canvas, when the image cannot be decoded", async () => {
    const { page } = admin;
    // A project whose task points at a URL that is not an image.
    const p = await api(page, "POST", "/api/v1/projects", { name: "E2E broken image", dataType: "image", schema: { labels: [{ name: "x" }] } });
    const imp = await api(page, "POST", `/api/v1/projects/${p.json.id}/import`, [{ data: { image: `${BASE}/api/v1/no-such-image.png` } }]);
    expect(imp.status).toBeLessThan(300);
    const tasks = await api(page, "GET", `/api/v1/projects/${p.json.id}/tasks`);
    await page.goto(`/tasks/${tasks.json.items[0].id}`);
    await page.getByText(/could not be loaded or decoded/i).first().waitFor({ timeout: 30_000 });
  });
});

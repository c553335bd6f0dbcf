// Settings → Models as a manager uses it: the empty state, a garbage upload refused inline, a tiny
// YOLO export (onnx-proto) uploaded with progress, its class names prefilled and pre-matched to
// the project's labels, a shape mismatch refused next to the size field, then saved: the model
// is listed, and the API has exactly what the form showed.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";
import { yolov8 } from "../unit/prelabel/byom-models";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let projectId: number;

beforeAll(async () => {
  browser = await launch();
  admin = await signIn(browser);
  const r = await admin.page.request.post("/api/v1/projects", {
    data: JSON.stringify({ name: `Models e2e ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "Person" }, { name: "Car" }, { name: "Bicycle" }] } }),
    headers: { "content-type": "application/json" },
  });
  expect(r.status()).toBe(201);
  projectId = (await r.json()).id;
});

afterAll(async () => {
  await browser?.close();
});

describe("models settings", () => {
  it("uploads a YOLO model, shows prefilled labels, maps them and saves", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}/settings`);
    const section = page.getByTestId("models-settings");
    await section.scrollIntoViewIfNeeded();
    await expect(section.getByText("No models yet").isVisible()).resolves.toBe(true);
    await shot(page, "models-empty");

    await section.getByTestId("model-add").click();
    const form = page.getByTestId("model-form");
    // Not a model: refused with a clear message, nothing else shown.
    await form.getByTestId("model-file").setInputFiles({ name: "notes.onnx", mimeType: "application/octet-stream", buffer: Buffer.from("definitely not a protobuf model\n".repeat(40)) });
    await form.getByText(/not a valid ONNX model/).first().waitFor();
    await expect(form.getByTestId("model-map").count()).resolves.toBe(0);

    const bytes = Buffer.from(yolov8(["person", "car", "dog"], 640));
    await form.getByTestId("model-file").setInputFiles({ name: "yolo11n.onnx", mimeType: "application/octet-stream", buffer: bytes });
    await form.getByTestId("model-map").waitFor();
    await expect(form.getByTestId("model-signature").textContent()).resolves.toMatch(/images \[1,3,640,640\]/);
    await expect(form.getByTestId("model-labels").inputValue()).resolves.toBe("person\ncar\ndog");
    await expect(form.getByTestId("model-name").inputValue()).resolves.toBe("yolo11n");
    // Pre-matched by case-insensitive name; "dog" has no project label and is ignored.
    await expect(form.getByLabel("Project label for person").inputValue()).resolves.toBe("Person");
    await expect(form.getByLabel("Project label for car").inputValue()).resolves.toBe("Car");
    await expect(form.getByLabel("Project label for dog").inputValue()).resolves.toBe("");
    await shot(page, "models-form");

    // A size that contradicts the model's static input is refused next to the field.
    await form.getByTestId("model-size-h").fill("320");
    await form.getByTestId("model-size-w").fill("320");
    await form.getByTestId("model-save").click();
    await form.getByText(/input images is \[1,3,640,640\] but the descriptor says 320×320/).first().waitFor();
    await shot(page, "models-size-error");
    await form.getByTestId("model-size-h").fill("640");
    await form.getByTestId("model-size-w").fill("640");

    // Map the extra class by keyboard: focus the select and pick with the keyboard.
    await form.getByLabel("Project label for dog").selectOption("Bicycle");
    await form.getByTestId("model-save").click();
    const item = section.getByTestId("model-item");
    await item.first().waitFor();
    await expect(item.count()).resolves.toBe(1);
    await expect(item.getByTestId("model-item-name").textContent()).resolves.toBe("yolo11n");
    await expect(item.getByTestId("model-item-mapped").textContent()).resolves.toMatch(/3 of 3 labels mapped/);
    await section.getByText("Saved yolo11n@1.").waitFor();
    await shot(page, "models-list");

    const api = await page.request.get(`/api/v1/projects/${projectId}/models`);
    const { items } = await api.json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: "yolo11n", task: "detect", latest: { version: 1, size: bytes.length, labelMap: { person: "Person", car: "Car", dog: "Bicycle" } } });
    expect(items[0].latest.descriptor).toMatchObject({ input: { name: "images", size: [640, 640] }, output: { format: "yolov8", names: ["output0"] }, labels: ["person", "car", "dog"] });
    const file = await page.request.get(items[0].latest.files.model);
    expect(file.status()).toBe(200);
    expect(file.headers()["cache-control"]).toMatch(/immutable/);
    expect(Buffer.from(await file.body()).equals(bytes)).toBe(true);

    // Edit the mapping: version 2, same file.
    await item.getByRole("button", { name: "Edit mapping" }).click();
    const editor = page.getByTestId("model-mapping-editor");
    await editor.getByLabel("Project label for dog").selectOption("");
    await editor.getByTestId("model-edit-conf").fill("0.4");
    await editor.getByTestId("model-mapping-save").click();
    await expect.poll(async () => item.getByTestId("model-item-mapped").textContent()).toMatch(/2 of 3 labels mapped/);
    const v2 = (await (await page.request.get(`/api/v1/projects/${projectId}/models`)).json()).items[0].latest;
    expect(v2).toMatchObject({ version: 2, labelMap: { dog: null }, descriptor: { thresholds: { conf: 0.4, iou: 0.45 } } });
    await item.getByRole("button", { name: "Versions" }).click();
    await page.getByTestId("model-versions").waitFor();
    await expect(page.getByTestId("model-versions").textContent()).resolves.toMatch(/yolo11n@2[\s\S]*yolo11n@1/);
    await shot(page, "models-versions");
  });
});

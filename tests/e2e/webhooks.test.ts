// Settings → Webhooks as a manager uses it: the empty state, "Add webhook" pointing at a receiver
// this test runs on 127.0.0.1 (the server is started with LOUPE_URL_ALLOWLIST=127.0.0.1, see
// scripts/e2e.mjs), the secret shown once, "Send test ping", and the delivery log showing it
// delivered. The receiver checks the request's signature with the secret the UI showed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, signIn, shot } from "./browser";
import { verifySignature } from "@/lib/server/webhook-signing";

let browser: Browser;
let admin: { context: BrowserContext; page: Page };
let projectId: number;
let receiver: http.Server;
let receiverUrl: string;
const got: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
let firstSecret = "";

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/loupe-hook`;
  browser = await launch();
  admin = await signIn(browser);
  const r = await admin.page.request.post("/api/v1/projects", {
    data: JSON.stringify({ name: `Webhooks e2e ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "car" }] } }),
    headers: { "content-type": "application/json" },
  });
  expect(r.status()).toBe(201);
  projectId = (await r.json()).id;
});

afterAll(async () => {
  await browser?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

describe("webhooks settings", () => {
  it("adds a webhook, sends a test ping, and shows it delivered with a valid signature", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}/settings`);
    const section = page.getByTestId("webhooks-settings");
    await section.scrollIntoViewIfNeeded();
    await expect(section.getByText("No webhooks yet").isVisible()).resolves.toBe(true);
    await shot(page, "webhooks-empty");

    // A loopback URL that is not allowlisted is refused next to the field.
    await section.getByTestId("webhook-add").click();
    await page.getByTestId("webhook-url").fill("http://169.254.169.254/latest/meta-data/");
    await page.getByTestId("webhook-create").click();
    await expect(section.getByRole("alert").first().textContent()).resolves.toMatch(/link-local/);

    await page.getByTestId("webhook-url").fill(receiverUrl);
    await page.getByTestId("webhook-form").getByLabel("Description").fill("e2e receiver");
    await page.getByTestId("webhook-create").click();
    const secretBox = page.getByTestId("webhook-secret-value");
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^whsec_/);
    firstSecret = secret;
    const item = page.getByTestId("webhook-item");
    await item.first().waitFor(); // the list refreshes after the secret is shown
    await expect(item.count()).resolves.toBe(1);
    await expect(item.textContent()).resolves.toContain(receiverUrl);
    await expect(item.textContent()).resolves.toContain(secret.slice(0, 10));
    await shot(page, "webhooks-created");
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("webhook-secret").count()).resolves.toBe(0);

    await item.getByTestId("webhook-ping").click();
    const row = page.locator('[data-testid="delivery-row"][data-event="ping"][data-status="succeeded"]');
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain("204");
    await expect(row.textContent()).resolves.toContain("Delivered");
    await page.locator('[data-testid="webhook-last"]:has-text("Delivered")').waitFor();
    await shot(page, "webhooks-delivered");

    expect(got).toHaveLength(1);
    const req = got[0]!;
    expect(req.headers["x-loupe-event"]).toBe("ping");
    expect(req.headers["user-agent"]).toBe("Loupe-Webhooks/1");
    expect(verifySignature(secret, { signature: req.headers["x-loupe-signature"] as string, timestamp: req.headers["x-loupe-timestamp"] as string }, req.body)).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({ event: "ping", project: { id: projectId } });

    // Pausing is kept across a reload.
    await item.getByRole("switch").click();
    await page.locator('[data-testid="webhook-item"]:has-text("Paused")').waitFor();
    await page.reload();
    await expect(page.getByTestId("webhook-item").getByRole("switch").getAttribute("aria-checked")).resolves.toBe("false");
  });

  it("edits the URL, events and active flag inline, and rotates the secret (shown once, the old one stops verifying)", async () => {
    const { page } = admin;
    await page.goto(`/projects/${projectId}/settings`);
    const item = page.getByTestId("webhook-item");
    await item.first().waitFor();
    await item.getByTestId("webhook-edit").click();
    const form = page.getByTestId("webhook-edit-form");
    await form.waitFor();
    // Prefilled with the current values; the URL field has focus.
    await expect(form.getByTestId("webhook-url").inputValue()).resolves.toBe(receiverUrl);
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe("url");
    await expect(form.getByTestId("webhook-active").isChecked()).resolves.toBe(false); // paused by the previous test

    // Escape cancels without saving.
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("webhook-edit-form").count()).resolves.toBe(0);
    await item.getByTestId("webhook-edit").click();

    // A refused URL is explained next to the field, and nothing is saved.
    await form.getByTestId("webhook-url").fill("http://10.0.0.5/hook");
    await form.getByTestId("webhook-save").click();
    await expect(form.getByRole("alert").first().textContent()).resolves.toMatch(/private/i);
    // No event at all: the events error.
    const editedUrl = receiverUrl.replace("/loupe-hook", "/loupe-hook-v2");
    await form.getByTestId("webhook-url").fill(editedUrl);
    for (const name of ["Annotation submitted", "Task reviewed", "Dataset version created"]) await form.getByLabel(name).uncheck();
    await form.getByTestId("webhook-save").click();
    await expect(form.getByRole("alert").first().textContent()).resolves.toMatch(/at least one event/);
    await form.getByLabel("Dataset version created").check();
    await form.getByTestId("webhook-active").check();
    await shot(page, "webhooks-edit");
    await form.getByTestId("webhook-url").press("Enter"); // Enter in the form saves
    await expect(page.getByTestId("webhook-edit-form").waitFor({ state: "detached" })).resolves.toBeUndefined();
    await expect(item.textContent()).resolves.toContain(editedUrl);
    await expect(item.textContent()).resolves.toContain("version.created");
    await expect(item.textContent()).resolves.not.toContain("annotation.submitted");
    await expect(item.getByRole("switch").getAttribute("aria-checked")).resolves.toBe("true");
    // Kept across a reload (it was saved, not only shown).
    await page.reload();
    await expect(page.getByTestId("webhook-item").textContent()).resolves.toContain(editedUrl);

    // Rotate: confirm, the new secret is shown once, different from the first.
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("webhook-item").getByTestId("webhook-rotate").click();
    const secretBox = page.getByTestId("webhook-secret-value");
    await secretBox.waitFor();
    const newSecret = await secretBox.inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(firstSecret);
    await expect(page.getByTestId("webhook-secret").textContent()).resolves.toContain("new signing secret");
    await page.locator(`[data-testid="webhook-item"]:has-text("${newSecret.slice(0, 10)}")`).waitFor();
    await shot(page, "webhooks-rotated");
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("webhook-secret").count()).resolves.toBe(0);
    await page.reload();
    await expect(page.getByTestId("webhook-secret").count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(newSecret);

    // The next ping goes to the edited URL, signed with the new secret only.
    const before = got.length;
    await page.getByTestId("webhook-item").getByTestId("webhook-ping").click();
    await page.locator('[data-testid="delivery-row"][data-event="ping"][data-status="succeeded"]').nth(1).waitFor({ timeout: 20_000 });
    const deadline = Date.now() + 10_000;
    while (got.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const req = got[got.length - 1]!;
    expect(got.length).toBe(before + 1);
    expect(req.path).toBe("/loupe-hook-v2");
    const sig = { signature: req.headers["x-loupe-signature"] as string, timestamp: req.headers["x-loupe-timestamp"] as string };
    expect(verifySignature(newSecret, sig, req.body)).toBe(true);
    expect(verifySignature(firstSecret, sig, req.body)).toBe(false);
  });
});

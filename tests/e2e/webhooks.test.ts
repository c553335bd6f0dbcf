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
const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
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
});

// Debian's chromium through playwright-core, with the flags this sandbox needs.
import { chromium, type Browser, type Page, type BrowserContext } from "playwright-core";

export const BASE = process.env.E2E_BASE_URL || "http://127.0.0.1:3217";
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password" };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function signIn(browser: Browser, who = ADMIN): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.fill('input[name="email"]', who.email);
  await page.fill('input[name="password"]', who.password);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(/\/projects/);
  return { context, page };
}

/** Screenshots go to screenshots/ when E2E_SHOTS=1 (for people to look at; never asserted). */
export async function shot(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SHOTS === "1") await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

// The bench's chromium pages sign in the way a person does: the login form, then the projects page.
import type { Browser, Page } from "playwright-core";

export async function signedInPage(browser: Browser, o: { base: string; email: string; password: string; viewport?: { width: number; height: number } }): Promise<Page> {
  const context = await browser.newContext({ baseURL: o.base, viewport: o.viewport ?? { width: 1600, height: 900 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.fill('input[name="email"]', o.email);
  await page.fill('input[name="password"]', o.password);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(/\/projects/);
  return page;
}

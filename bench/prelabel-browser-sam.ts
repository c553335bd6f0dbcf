// The headless-chromium SAM rows of `npm run bench -- --only prelabel`: the click-to-mask tool in
// the image editor (wasm). Per image: the encoder task in the worker (pixels posted, 1024²
// preprocessing, encoder, embedding cached), read from the tool's own timing (data-encode-ms).
// Per click: the decoder task (prompt -> decoder -> mask -> polygons, back on the page;
// data-click-ms) and click -> preview painted as the user sees it. Synthetic 480x360 images
// (the encoder input is always 1024², so its cost does not depend on the image size). Runs
// against a throwaway Loupe (startLoupe) or BENCH_LOUPE_URL (+ BENCH_ADMIN_EMAIL / _PASSWORD).
import { chromium, type Page } from "playwright-core";
import { signedInPage } from "./sign-in";
import sharp from "sharp";
import { BENCH_ADMIN, startLoupe, type LoupeServer } from "./editor/server";
import type { PrelabelRow } from "./prelabel";

const log = (s: string) => process.stderr.write(`[prelabel-browser-sam] ${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export interface SamBrowserResult {
  rows: PrelabelRow[];
  firstUseMs: number;
  encodeMs: number[];
  clickMs: number[];
  clickToPaintMs: number[];
  backend: string;
  crossOriginIsolated: boolean;
}

const W = 480, H = 360;
async function image(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(W * H * 4);
  const cx = 140 + seed * 20, cy = 180, r = 80;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    let rgb = [150 + ((x * 7 + y * 13 + seed) % 23), 150 + ((x * 11 + y * 5) % 19), 140 + ((x * 3 + y * 17) % 29)];
    if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) rgb = [220, 40, 40];
    else if (x >= 300 && x < 430 && y >= 70 && y < 250) rgb = [40, 60, 210];
    data.set([...rgb, 255], (y * W + x) * 4);
  }
  return sharp(data, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();
}

async function at(page: Page, x: number, y: number) {
  const box = (await page.locator('[data-testid="image-canvas"]').boundingBox())!;
  const v = (await page.evaluate("window.__loupeCanvas.view()")) as { scale: number; x: number; y: number };
  return { x: box.x + v.x + x * v.scale, y: box.y + v.y + y * v.scale };
}

export async function runSamBrowserBench(nativeEncoderMs?: number, nativeDecoderMs?: number): Promise<SamBrowserResult> {
  let srv: LoupeServer | null = null;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const external = process.env.BENCH_LOUPE_URL;
    const base = external ?? (srv = await startLoupe({ port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined })).base;
    const who = external ? { email: process.env.BENCH_ADMIN_EMAIL ?? "admin@e2e.test", password: process.env.BENCH_ADMIN_PASSWORD ?? "e2e-admin-password" } : BENCH_ADMIN;
    const page = await signedInPage(browser, { base: base, email: who.email, password: who.password, viewport: { width: 1600, height: 900 } });
    await page.evaluate(`localStorage.setItem("loupe.prelabel.preference", "wasm")`);
    const created = await page.request.post("/api/v1/projects", { data: { name: `sam bench ${Date.now()}`, dataType: "image", schema: { labels: [{ name: "object", color: "#e6194b", kinds: ["polygon"] }] } } });
    if (!created.ok()) throw new Error(`create project: ${created.status()} ${await created.text()}`);
    const pid = (await created.json()).id;
    const taskIds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const up = await page.request.post(`/api/v1/projects/${pid}/import`, { multipart: { files: { name: `shapes-${i}.png`, mimeType: "image/png", buffer: await image(i) } } });
      if (!up.ok()) throw new Error(`import: ${up.status()} ${await up.text()}`);
      taskIds.push((await up.json()).taskIds[0]);
    }

    const encodeMs: number[] = [];
    const clickMs: number[] = [];
    const clickToPaintMs: number[] = [];
    let firstUseMs = NaN;
    let backend = "?";
    let isolated = false;
    for (const [i, id] of taskIds.entries()) {
      // A fresh page per image: the models come from the HTTP cache, the embedding is new.
      await page.goto(`/tasks/${id}`);
      await page.locator('[data-testid="image-canvas"][data-ready="true"]').waitFor({ timeout: 60_000 });
      const t0 = Date.now();
      await page.keyboard.press("s");
      await page.locator('[data-testid="sam-bar"][data-encode-ms]').waitFor({ timeout: 300_000 });
      if (i === 0) firstUseMs = Date.now() - t0;
      isolated = (await page.evaluate("self.crossOriginIsolated === true")) as boolean;
      encodeMs.push(Number(await page.getByTestId("sam-bar").getAttribute("data-encode-ms")));
      backend = (await page.getByTestId("sam-backend").textContent()) ?? "?";
      for (const [x, y] of [[160, 180], [170, 200], [360, 150], [320, 100], [150, 160]] as const) {
        await page.keyboard.press("Escape");
        const p = await at(page, x, y);
        // From the click to the mask painted (the bar flips to not pending in the same render).
        const before = await page.evaluate("performance.now()");
        await page.mouse.click(p.x, p.y);
        await page.locator('[data-testid="sam-bar"][data-pending="false"] [data-testid="sam-score"]:has-text("mask")').waitFor({ timeout: 60_000 });
        const after = (await page.evaluate("new Promise((r) => requestAnimationFrame(() => r(performance.now())))")) as number;
        clickToPaintMs.push(after - (before as number));
        clickMs.push(Number(await page.getByTestId("sam-bar").getAttribute("data-click-ms")));
      }
      log(`image ${i}: encode ${encodeMs.at(-1)} ms, clicks ${clickMs.slice(-5).join(", ")} ms on ${backend}`);
    }
    const enc = median(encodeMs);
    const dec = median(clickMs);
    const paint = median(clickToPaintMs);
    const rows: PrelabelRow[] = [
      { name: "SAM tool first use in chromium wasm (download + sessions + encode)", value: firstUseMs, unit: "ms", note: `ran on ${backend}; press S -> ready to click; 44.6 MB of models; --disable-gpu; crossOriginIsolated=${isolated} (wasm threads per ADR 0018: 2 on a 2-core box)` },
      { name: "SAM encoder per image, chromium wasm (editor)", value: enc, unit: "ms", note: `median of ${encodeMs.length} images; worker task: pixels posted, 1024² preprocessing, encoder, cached` },
      { name: "SAM click -> mask (decoder + polygons), chromium wasm (editor)", value: dec, unit: "ms", note: `median of ${clickMs.length} clicks; worker round trip incl. mask -> polygons` },
      { name: "SAM click -> mask painted, chromium wasm (editor)", value: Math.round(paint), unit: "ms", note: `median of ${clickToPaintMs.length}; what the annotator waits for` },
    ];
    if (nativeEncoderMs) rows.push({ name: "SAM encoder: chromium wasm / native", value: +(enc / nativeEncoderMs).toFixed(2), unit: "x", goal: "<= 2 (browser)", ok: enc / nativeEncoderMs <= 2, note: `native onnxruntime-node ${nativeEncoderMs} ms (1 thread; bench/prelabel.ts)` });
    if (nativeDecoderMs) rows.push({ name: "SAM click: chromium wasm / native decoder", value: +(dec / nativeDecoderMs).toFixed(2), unit: "x", goal: "<= 2 (browser)", ok: dec / nativeDecoderMs <= 2, note: `native decoder alone ${nativeDecoderMs} ms; the browser figure also has mask -> polygons and two postMessages` });
    return { rows, firstUseMs, encodeMs, clickMs, clickToPaintMs, backend, crossOriginIsolated: isolated };
  } finally {
    await browser.close();
    srv?.stop();
  }
}

// `npx tsx bench/prelabel-browser-sam.ts [nativeEncoderMs nativeDecoderMs]` on its own.
if (process.argv[1]?.endsWith("prelabel-browser-sam.ts")) {
  const [e, d] = process.argv.slice(2).map(Number);
  const r = await runSamBrowserBench(e || undefined, d || undefined);
  for (const row of r.rows) console.log(`${row.name.padEnd(70)} ${String(row.value).padStart(8)} ${row.unit}  ${row.note ?? ""}`);
  console.log(JSON.stringify({ encodeMs: r.encodeMs, clickMs: r.clickMs, clickToPaintMs: r.clickToPaintMs }));
}

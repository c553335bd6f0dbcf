// Headless-chromium rows for the pre-labelling bench: "Pre-label speech" in the real audio
// editor, end to end (click -> audio fetched + decoded -> Silero VAD in the worker -> suggestions
// drawn), on the demo meeting.wav and a generated 60 s clip, with the wasm backend and with WebGPU
// on the software adapter (--enable-unsafe-webgpu), forced through the editor's backend setting.
// Needs a running Loupe with the demo seeded:
//   npx tsx bench/prelabel-browser-audio.ts --base http://127.0.0.1:3440 [--email E --password P]
// (also run by `npm run bench -- --only prelabel --prelabel-base URL`).
import fs from "node:fs";
import { signedInPage } from "./sign-in";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Page } from "playwright-core";
import { writeSpeechLikeWav } from "./audio/wav-gen";

export interface BrowserPrelabelRow { input: string; backend: string; ranOn: string; coldMs: number; warmMs: number; suggestions: number }

async function api(page: Page, method: string, url: string, data?: unknown) {
  const r = await page.request.fetch(url, { method, data: data === undefined ? undefined : JSON.stringify(data), headers: data === undefined ? {} : { "content-type": "application/json" } });
  const t = await r.text();
  return t ? JSON.parse(t) : null;
}

async function once(page: Page): Promise<{ ms: number; ranOn: string; count: number }> {
  const t0 = performance.now();
  await page.getByTestId("prelabel-speech").click();
  // A second run starts from "done": wait until it is really running before waiting for the end.
  await page.locator('[data-testid="prelabel-bar"]:not([data-state="done"])').waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="prelabel-bar"]:is([data-state="done"], [data-state="error"])').waitFor({ timeout: 300_000 });
  const ms = performance.now() - t0;
  if ((await page.getByTestId("prelabel-bar").getAttribute("data-state")) === "error") throw new Error(String(await page.getByTestId("prelabel-error").textContent()));
  return { ms, ranOn: String(await page.getByTestId("prelabel-backend").textContent()), count: Number(await page.getByTestId("prelabel-result").getAttribute("data-count")) };
}

export async function runBrowserPrelabelBench(o: { base: string; email?: string; password?: string }): Promise<BrowserPrelabelRow[]> {
  const rows: BrowserPrelabelRow[] = [];
  for (const backend of ["wasm", "webgpu"] as const) {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run", ...(backend === "webgpu" ? ["--enable-unsafe-webgpu", "--use-angle=swiftshader", "--enable-features=Vulkan"] : ["--disable-gpu"])],
    });
    try {
      const page = await signedInPage(browser, { base: o.base, email: o.email ?? "admin@e2e.test", password: o.password ?? "e2e-admin-password", viewport: { width: 1280, height: 860 } });
      const projects = await api(page, "GET", "/api/v1/projects?limit=100");
      const demo = projects.items.find((p: { name: string }) => p.name === "Demo: meeting audio");
      const tasks = await api(page, "GET", `/api/v1/projects/${demo.id}/tasks?limit=100`);
      const inputs: Array<{ name: string; id: number }> = [{ name: "meeting.wav (15 s)", id: tasks.items.find((t: { fileName?: string }) => t.fileName === "meeting.wav").id }];
      // A 60 s speech-like clip in its own project (made once per Loupe data dir).
      let clip = projects.items.find((p: { name: string }) => p.name === "Bench: prelabel 60 s");
      if (!clip) {
        clip = await api(page, "POST", "/api/v1/projects", { name: "Bench: prelabel 60 s", dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1" }] } });
        const f = path.join(os.tmpdir(), `prelabel-60s-${process.pid}.wav`);
        writeSpeechLikeWav(f, { seconds: 60, sampleRate: 16000, channels: 1 });
        await page.request.post(`/api/v1/projects/${clip.id}/import`, { multipart: { files: { name: "clip-60s.wav", mimeType: "audio/wav", buffer: fs.readFileSync(f) } } });
        fs.rmSync(f, { force: true });
      }
      const ct = await api(page, "GET", `/api/v1/projects/${clip.id}/tasks?limit=10`);
      inputs.push({ name: "60 s clip", id: ct.items[0].id });
      // WebGPU on the software adapter only proves the path (it is far slower): the short file only.
      for (const input of backend === "webgpu" ? inputs.slice(0, 1) : inputs) {
        await page.goto(`/tasks/${input.id}`);
        await page.locator('[data-testid="audio-editor"][data-player-ready="true"]').waitFor({ timeout: 60_000 });
        await page.getByTestId("prelabel-settings").click();
        await page.getByTestId("vad-backend").selectOption(backend);
        await page.getByTestId("prelabel-settings").click();
        const cold = await once(page); // model download + session + measurement included
        console.log(JSON.stringify({ input: input.name, backend, cold: Math.round(cold.ms), ranOn: cold.ranOn }));
        const warm = await once(page);
        rows.push({ input: input.name, backend, ranOn: warm.ranOn, coldMs: Math.round(cold.ms), warmMs: Math.round(warm.ms), suggestions: warm.count });
        console.log(JSON.stringify(rows.at(-1)));
      }
    } catch (e) {
      rows.push({ input: "-", backend, ranOn: `failed: ${(e as Error).message.slice(0, 120)}`, coldMs: NaN, warmMs: NaN, suggestions: 0 });
    } finally {
      await browser.close();
    }
  }
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const arg = (n: string) => {
    const i = process.argv.indexOf(`--${n}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const rows = await runBrowserPrelabelBench({ base: arg("base") ?? "http://127.0.0.1:3440", email: arg("email"), password: arg("password") });
  console.table(rows);
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(`bench/results/prelabel-browser-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, rows }, null, 2));
}

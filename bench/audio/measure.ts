// One audio-bench run against a running Loupe: opens /tasks/:id (an hour-long audio task) in
// Debian's chromium and prints one JSON object on stdout. All times are ms from navigation start
// (performance.now() in the page), read from the editor's own marks (window.__loupeAudio):
//   editor    the waveform canvas exists (the editor booted)
//   playable  the <audio> element has metadata (Range requests; play and seek work)
//   firstPeaks first peaks arrived from the worker (the waveform starts to fill in)
//   usable    playable AND the peaks for the viewport are all in (the goal: <= 3000)
//   allPeaks  peaks for the whole file
// plus: seek to 45:00 and play (ms until the time advances), jump the view to 45:00 via the
// overview strip (ms until that viewport is drawn: a Range fetch when the stream is behind),
// JS heap and the browser's RSS.
//   tsx bench/audio/measure.ts --base URL --task ID [--email E --password P] [--shot file.png]
import { execSync } from "node:child_process";
import { signedInPage } from "../sign-in";
import { chromium } from "playwright-core";

const argv = process.argv.slice(2);
const opt = (k: string, d: string): string => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : d;
};
const BASE = opt("base", "http://127.0.0.1:3000");
const TASK = Number(opt("task", "0"));
const SHOT = opt("shot", "");
const r0 = (x: number | null) => (x === null ? null : Math.round(x));

function treeRssMB(rootPid: number): number {
  const rows = execSync("ps -eo pid=,ppid=,rss=").toString().trim().split("\n").map((l) => l.trim().split(/\s+/).map(Number));
  const kids = new Map<number, number[]>();
  for (const [p, pp] of rows) kids.set(pp!, [...(kids.get(pp!) ?? []), p!]);
  const rss = new Map(rows.map(([p, , r]) => [p!, r!]));
  let tot = 0;
  const st = [rootPid];
  while (st.length) {
    const p = st.pop()!;
    tot += rss.get(p) ?? 0;
    for (const k of kids.get(p) ?? []) st.push(k);
  }
  return tot / 1024;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--autoplay-policy=no-user-gesture-required", "--enable-precise-memory-info"],
});
const out: Record<string, unknown> = { task: TASK };
try {
  const page = await signedInPage(browser, { base: BASE, email: opt("email", "bench@loupe.local"), password: opt("password", "bench-admin-password"), viewport: { width: 1600, height: 900 } });
  // Chromium alone (browser, zygotes, GPU, utilities, the projects page) sums to ~1 GB of RSS
  // here; the editor's cost is the difference.
  await page.waitForTimeout(1000);
  const baselineMB = Math.round(treeRssMB(process.pid) - process.memoryUsage().rss / 1048576);

  await page.goto(`/tasks/${TASK}`, { waitUntil: "commit" });
  const raf = { polling: "raf" as const, timeout: 120_000 };
  const editorAt = await (await page.waitForFunction(() => (document.querySelector('[data-testid="waveform"]') ? performance.now() : 0), null, raf)).jsonValue();
  const playableAt = await (await page.waitForFunction(() => (document.querySelector('[data-player-ready="true"]') ? performance.now() : 0), null, raf)).jsonValue();
  await page.waitForFunction(() => window.__loupeAudio?.marks().usableAt != null, null, raf);
  const early = await page.evaluate(() => window.__loupeAudio!.marks());
  await page.waitForFunction(() => window.__loupeAudio?.marks().peaksDoneAt != null, null, { polling: 100, timeout: 300_000 });
  const marks = await page.evaluate(() => window.__loupeAudio!.marks());
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  const view = await page.evaluate(() => window.__loupeAudio!.view());
  Object.assign(out, {
    editor_ms: r0(editorAt),
    playable_ms: r0(playableAt),
    first_peaks_ms: r0(early.firstPeaksAt),
    usable_ms: r0(early.usableAt),
    all_peaks_ms: r0(marks.peaksDoneAt),
    initial_view_s: view ? +(1600 / view.pxPerSec).toFixed(1) : null,
    source: await page.getAttribute('[data-testid="audio-editor"]', "data-peaks-source"),
    js_heap_MB: Math.round(heap / 1048576),
    browser_rss_MB: Math.round(treeRssMB(process.pid) - process.memoryUsage().rss / 1048576),
    browser_rss_baseline_MB: baselineMB,
  });
  if (SHOT) await page.screenshot({ path: SHOT });

  // Seek deep into the file and play: Range requests make this independent of the file size.
  const seekMs = await page.evaluate(async () => {
    const a = document.querySelector("audio")!;
    a.muted = true;
    const t0 = performance.now();
    a.currentTime = 2700;
    await a.play();
    while (a.currentTime < 2700.05) await new Promise((r) => setTimeout(r, 5));
    const ms = performance.now() - t0;
    a.pause();
    return ms;
  });
  out.seek_45min_play_ms = Math.round(seekMs);

  // Fresh load, then jump the view to ~45:00 through the overview strip as soon as it is usable:
  // the stream is still near the start, so the worker fetches that viewport with a Range request.
  await page.goto(`/tasks/${TASK}`, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__loupeAudio?.marks().usableAt != null, null, raf);
  const box = (await page.getByTestId("waveform").boundingBox())!;
  const jumpAt = await page.evaluate(() => performance.now());
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height - 18);
  const coveredAt = await (await page.waitForFunction(() => {
    const v = window.__loupeAudio!.view();
    return v && v.scroll > 2000 && window.__loupeAudio!.viewportCovered() ? performance.now() : 0;
  }, null, raf)).jsonValue();
  out.jump_45min_viewport_ms = Math.round(coveredAt - jumpAt);
  out.jump_before_stream_done = (await page.evaluate(() => window.__loupeAudio!.marks().peaksDoneAt)) === null;
  await browser.close();
} catch (e) {
  out.fatal = e instanceof Error ? e.message : String(e);
  await browser.close().catch(() => undefined);
}
console.log(JSON.stringify(out));

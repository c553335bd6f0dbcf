// One editor-bench run against a running Loupe: opens /tasks/:id (an image task whose annotation
// has N polygons) in Debian's chromium and prints one JSON object on stdout, shaped like
// bench/label-studio/bench.mjs's output so the two can be compared field by field.
// Run as its own process (index.ts does) so "browser RSS" is just this process's descendants.
//
//   tsx bench/editor/measure.ts --base http://127.0.0.1:PORT --task ID --n N
//       [--email E --password P] [--zoomms 4000] [--panms 4000] [--canvastimeout 30000]
//       [--readytimeout 180000] [--shot file.png]
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium, type CDPSession, type Page } from "playwright-core";
import { IMAGE_W } from "./image";
import { layout, type PolygonSpec } from "./layout";
import { PROBE_SCRIPT } from "./probe";
import { BENCH_ADMIN } from "./server";

const argv = process.argv.slice(2);
const opt = (k: string, d: string): string => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : d;
};
const BASE = opt("base", "http://127.0.0.1:3000");
const TASK = Number(opt("task", "0"));
const N = Number(opt("n", "0"));
const ZOOM_MS = Number(opt("zoomms", "4000"));
const PAN_MS = Number(opt("panms", "4000"));
const CANVAS_TIMEOUT = Number(opt("canvastimeout", "30000"));
const READY_TIMEOUT = Number(opt("readytimeout", "180000"));
const SHOT = opt("shot", "");
const VW = 1600;
const VH = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => +x.toFixed(1);
const pct = (a: number[], p: number): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

// Same definition as the LS bench: RSS of every descendant of this process (chromium and its
// renderer, GPU and utility processes), minus this node process itself.
function treeRssMB(rootPid: number): number {
  const rows = execSync("ps -eo pid=,ppid=,rss=")
    .toString()
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
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
const browserRssMB = () => Math.round(treeRssMB(process.pid) - process.memoryUsage().rss / 1048576);

interface PageState {
  hasCanvas: boolean;
  readyAt: number | null;
  dataReady: string | null;
  regions: number | string | null;
  metrics: Record<string, number | null> | null;
  konva: boolean;
  title: string;
  h1: string | null;
}
interface FrameRec {
  frames: number[];
  views: Array<[number, number, number] | null>;
  wheels: number;
  metrics: Record<string, number | null> | null;
}
interface ProbeResult {
  ms: number | null;
  timeout?: boolean;
  via: string;
  t0: number | null;
  tHandled: number | null;
  tState: number | null;
  tDraw: number | null;
  tPainted: number | null;
}

const state = (page: Page) => page.evaluate("window.__bench.state()") as Promise<PageState>;

/** Navigate and wait for metrics.readyAt; fail fast and clearly when there is no real canvas. */
async function load(page: Page, label: string): Promise<{ ready_ms: number; state: PageState; nav: Record<string, number> }> {
  await page.goto(`${BASE}/tasks/${TASK}`, { waitUntil: "commit", timeout: 60_000 });
  const t0 = Date.now();
  let s: PageState | null = null;
  for (;;) {
    s = await state(page).catch(() => null);
    if (s?.readyAt != null) break;
    const waited = Date.now() - t0;
    if (!s?.hasCanvas && waited > CANVAS_TIMEOUT) {
      throw new Error(
        `${label}: window.__loupeCanvas did not appear within ${CANVAS_TIMEOUT / 1000} s on /tasks/${TASK} ` +
          `(page title "${s?.title ?? "?"}", h1 "${s?.h1?.trim() ?? "?"}"). The task page does not mount the real image ` +
          `canvas yet (components/editor/image/image-canvas.tsx is still the stub?), or it crashed: see errors.`,
      );
    }
    if (waited > READY_TIMEOUT) {
      throw new Error(`${label}: the canvas exists but metrics.readyAt stayed null for ${READY_TIMEOUT / 1000} s; last state ${JSON.stringify(s)}`);
    }
    await sleep(100);
  }
  const nav = (await page.evaluate(
    "(() => { const t = performance.getEntriesByType('navigation')[0]; return { dcl_ms: t.domContentLoadedEventEnd, load_ms: t.loadEventEnd, response_end_ms: t.responseEnd }; })()",
  )) as Record<string, number>;
  return { ready_ms: r1(s.readyAt!), state: s, nav: Object.fromEntries(Object.entries(nav).map(([k, v]) => [k, r1(v)])) };
}

function frameStats(rec: FrameRec, windowMs: number) {
  const iv: number[] = [];
  for (let i = 1; i < rec.frames.length; i++) iv.push(rec.frames[i]! - rec.frames[i - 1]!);
  const views = rec.views.filter((v): v is [number, number, number] => !!v);
  const scales = views.map((v) => v[2] / IMAGE_W);
  const xs = views.map((v) => v[0]).filter(Number.isFinite);
  const ys = views.map((v) => v[1]).filter(Number.isFinite);
  return {
    frames: rec.frames.length,
    raf_p50_ms: r1(pct(iv, 50)),
    raf_p95_ms: r1(pct(iv, 95)),
    raf_max_ms: r1(Math.max(...iv)),
    raf_mean_ms: r1(iv.reduce((a, b) => a + b, 0) / Math.max(1, iv.length)),
    fps: r1((rec.frames.length / windowMs) * 1000),
    // Frames that missed at least one vsync (> 1.5 x 16.7 ms).
    long_frames: iv.filter((x) => x > 25).length,
    wheel_received: rec.wheels,
    // Proof the view really changed (a zoom or pan that did nothing would flatter the numbers).
    scale_min: scales.length ? +Math.min(...scales).toFixed(4) : null,
    scale_max: scales.length ? +Math.max(...scales).toFixed(4) : null,
    x_range_px: xs.length ? r1(Math.max(...xs) - Math.min(...xs)) : null,
    y_range_px: ys.length ? r1(Math.max(...ys) - Math.min(...ys)) : null,
    static_draws_end: rec.metrics?.staticDraws ?? null,
  };
}

async function stageBox(page: Page) {
  return (await page.evaluate(
    "(() => { const el = window.__bench.container(); const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; })()",
  )) as { x: number; y: number; w: number; h: number };
}

async function zoom(page: Page, cdp: CDPSession, synthetic: boolean) {
  await page.evaluate("window.__loupeCanvas.handle.fit()");
  await sleep(500);
  const box = await stageBox(page);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  await page.mouse.move(cx, cy);
  await sleep(300);
  const draws0 = ((await state(page)).metrics?.staticDraws as number | null) ?? null;
  await page.evaluate("window.__bench.startFrames()");
  const lag: number[] = [];
  let sent = 0;
  const t0 = Date.now();
  // Starts zooming IN (deltaY < 0): from the fit view, zooming out first may be clamped and
  // would time frames where nothing changes. Ten notches each way, like the LS bench.
  if (synthetic) {
    sent = (await page.evaluate(
      `new Promise((res) => {
        const tgt = document.elementFromPoint(${cx}, ${cy});
        let n = 0, dir = -1; const t0 = performance.now();
        const id = setInterval(() => {
          if (performance.now() - t0 >= ${ZOOM_MS}) { clearInterval(id); return res(n); }
          tgt.dispatchEvent(new WheelEvent("wheel", { deltaY: dir * 120, deltaMode: 0, clientX: ${cx}, clientY: ${cy}, bubbles: true, cancelable: true }));
          n++; if (n % 10 === 0) dir = -dir;
        }, 16);
      })`,
    )) as number;
  } else {
    let dir = -1;
    while (Date.now() - t0 < ZOOM_MS) {
      const a = Date.now();
      await page.mouse.wheel(0, dir * 120);
      lag.push(Date.now() - a);
      sent++;
      if (sent % 10 === 0) dir = -dir;
      await sleep(16);
    }
  }
  const windowMs = Date.now() - t0;
  const rec = (await page.evaluate("window.__bench.stopFrames()")) as FrameRec;
  const st = frameStats(rec, windowMs);
  void cdp;
  return {
    mode: synthetic ? "synthetic: in-page WheelEvent{deltaY:+-120} on the element under the centre every 16 ms" : "CDP: page.mouse.wheel(0,+-120), await ack, then sleep 16 ms",
    window_ms: windowMs,
    wheel_sent: sent,
    ...st,
    static_draws: st.static_draws_end != null && draws0 != null ? st.static_draws_end - draws0 : null,
    wheel_ack_p50_ms: lag.length ? pct(lag, 50) : null,
    wheel_ack_max_ms: lag.length ? Math.max(...lag) : null,
  };
}

async function pan(page: Page) {
  await page.evaluate("window.__loupeCanvas.handle.fit()");
  await sleep(500);
  const box = await stageBox(page);
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down({ button: "middle" });
  await page.evaluate("window.__bench.startFrames()");
  const t0 = Date.now();
  let moves = 0;
  // A slow ellipse around the centre: every move is a real pan, none leave the canvas.
  while (Date.now() - t0 < PAN_MS) {
    const a = (Date.now() - t0) / 600;
    await page.mouse.move(cx + Math.sin(a) * box.w * 0.25, cy + Math.sin(a * 0.7) * box.h * 0.25);
    moves++;
    await sleep(16);
  }
  const windowMs = Date.now() - t0;
  const rec = (await page.evaluate("window.__bench.stopFrames()")) as FrameRec;
  await page.mouse.up({ button: "middle" });
  const st = frameStats(rec, windowMs);
  return { mode: "middle-button drag, page.mouse.move awaited + 16 ms", window_ms: windowMs, moves, ...st };
}

/** An isolated polygon (no neighbour within its radius + 4 px) near the view centre, at 1:1. */
async function pickTarget(page: Page, specs: PolygonSpec[]) {
  await page.evaluate("window.__loupeCanvas.handle.oneToOne()");
  await sleep(400);
  const box = await stageBox(page);
  const v = (await page.evaluate("window.__bench.view()")) as [number, number, number] | null;
  if (!v || !Number.isFinite(v[0])) throw new Error("cannot map image px to the screen: no Konva Image node on the stage");
  const s = v[2] / IMAGE_W;
  const toScreen = (x: number, y: number) => ({ x: box.x + v[0] + x * s, y: box.y + v[1] + y * s });
  const mid = { x: box.x + box.w / 2, y: box.y + box.h / 2 };
  let best: { spec: PolygonSpec; d: number } | null = null;
  for (const sp of specs) {
    if (sp.r < 15) continue;
    const p = toScreen(sp.cx, sp.cy);
    const d = Math.hypot(p.x - mid.x, p.y - mid.y);
    if (best && d >= best.d) continue;
    const lonely = specs.every((o) => o === sp || Math.hypot(o.cx - sp.cx, o.cy - sp.cy) > o.r + sp.r + 4);
    if (lonely) best = { spec: sp, d };
  }
  if (!best) throw new Error("no isolated polygon to click");
  return { spec: best.spec, scale: s };
}

async function probe(page: Page, eventType: string, cond: string, action: () => Promise<void>, timeoutMs = 5000): Promise<ProbeResult> {
  await page.evaluate(`window.__bench.probe(${JSON.stringify(eventType)}, ${JSON.stringify(cond)}, ${timeoutMs})`);
  await action();
  await page.waitForFunction("window.__bench.probeResult !== null", null, { timeout: timeoutMs + 2000 });
  return (await page.evaluate("window.__bench.probeResult")) as ProbeResult;
}

/** Screen position of a region's vertex centroid (it moves when we drag it). */
async function centreOf(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await stageBox(page);
  const v = (await page.evaluate("window.__bench.view()")) as [number, number, number];
  const pts = (await page.evaluate(`window.__loupeCanvas.editor.getRegion(${JSON.stringify(id)}).points`)) as Array<[number, number]>;
  const s = v[2] / IMAGE_W;
  const cx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
  const cy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
  return { x: box.x + v[0] + cx * s, y: box.y + v[1] + cy * s };
}

const SELECT_REPS = 5;
const DRAGS = 3;

async function selectAndDrag(page: Page, specs: PolygonSpec[]) {
  const { spec, scale } = await pickTarget(page, specs);
  const id = JSON.stringify(spec.id);
  await page.keyboard.press("v").catch(() => undefined);

  // Select: 5 clicks on the centre, the selection cleared (through the API) before each.
  const selects: ProbeResult[] = [];
  for (let k = 0; k < SELECT_REPS; k++) {
    await page.evaluate("window.__loupeCanvas.editor.clearSelection()");
    const at = await centreOf(page, spec.id);
    await page.mouse.move(at.x, at.y);
    await sleep(300);
    selects.push(await probe(page, "pointerdown", `c.editor.selectedIds.has(${id})`, () => page.mouse.click(at.x, at.y)));
  }
  const selected = (await page.evaluate(`window.__loupeCanvas.editor.selectedIds.has(${id})`)) as boolean;
  await sleep(300);

  // Drag: 3 gestures (right, left, right), each mouse down on the selected region and 10 moves of
  // 3 px, every move awaited until painted and timed from its pointermove to that paint.
  const before = (await page.evaluate(`window.__loupeCanvas.editor.getRegion(${id}).points[0]`)) as [number, number];
  const moves: Array<number | null> = [];
  for (let g = 0; g < DRAGS; g++) {
    const at = await centreOf(page, spec.id);
    const dir = g % 2 ? -1 : 1;
    await page.mouse.move(at.x, at.y);
    await sleep(200);
    await page.mouse.down();
    let x = at.x;
    for (let i = 0; i < 10; i++) {
      await page.evaluate(`window.__prevRegion = window.__loupeCanvas.editor.getRegion(${id})`);
      x += 3 * dir;
      const r = await probe(page, "pointermove", `c.editor.getRegion(${id}) !== window.__prevRegion`, () => page.mouse.move(x, at.y), 1500);
      // null: the move changed nothing (still inside the drag threshold) or never painted.
      moves.push(r.ms);
    }
    await page.mouse.up();
    await sleep(300);
  }
  const after = (await page.evaluate(`window.__loupeCanvas.editor.getRegion(${id}).points[0]`)) as [number, number];
  const ms = moves.filter((m): m is number => m != null);
  const sel = selects.filter((r) => r.ms != null);
  const selMs = sel.map((r) => r.ms!);
  const part = (f: (r: ProbeResult) => number | null) => {
    const xs = sel.map(f).filter((x): x is number => x != null);
    return xs.length ? r1(pct(xs, 50)) : null;
  };
  return {
    region: spec.id,
    view_scale: +scale.toFixed(3),
    select_ms: selMs.length ? r1(pct(selMs, 50)) : null,
    select_max_ms: selMs.length ? r1(Math.max(...selMs)) : null,
    select_all_ms: selects.map((r) => (r.ms == null ? null : r1(r.ms))),
    // Medians of: input -> canvas handlers done, -> first layer draw with the selection, -> painted.
    select_breakdown_ms: {
      handlers: part((r) => (r.tHandled != null && r.t0 != null ? r.tHandled - r.t0 : null)),
      to_draw: part((r) => (r.tDraw != null && r.tHandled != null ? r.tDraw - r.tHandled : null)),
      to_paint: part((r) => (r.tPainted != null && r.tDraw != null ? r.tPainted - r.tDraw : null)),
    },
    select_timeouts: selects.filter((r) => r.timeout).length,
    selected,
    paint_detect: selects[0]?.via ?? null,
    drag_moves_ms: moves.map((m) => (m == null ? null : r1(m))),
    drag_p50_ms: ms.length ? r1(pct(ms, 50)) : null,
    drag_p95_ms: ms.length ? r1(pct(ms, 95)) : null,
    drag_max_ms: ms.length ? r1(Math.max(...ms)) : null,
    // Right, left, right by 30 screen px: the region should end 30 / scale image px to the right.
    moved_image_px: r1(after[0] - before[0]),
    expected_image_px: r1(30 / scale),
  };
}

async function heap(page: Page, cdp: CDPSession) {
  const h1 = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.send("HeapProfiler.collectGarbage");
  const h2 = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  void page;
  return { heap_used_MB: r1(h1.usedSize / 1048576), heap_used_afterGC_MB: r1(h2.usedSize / 1048576), browser_tree_rss_MB: browserRssMB() };
}

const out: Record<string, unknown> = { editor: "loupe", N, task: TASK, viewport: `${VW}x${VH}` };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  // The flags of tests/e2e/browser.ts (and of the LS bench).
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const errors: string[] = [];
const blocked = new Set<string>();
try {
  out.chromium = browser.version();
  const ctx = await browser.newContext({ viewport: { width: VW, height: VH }, deviceScaleFactor: 1 });
  await ctx.addInitScript(PROBE_SCRIPT);
  // Loopback only, as in the LS bench.
  await ctx.route("**/*", (r) => {
    const u = new URL(r.request().url());
    if (u.hostname === "127.0.0.1" || u.protocol === "data:" || u.protocol === "blob:") return r.continue();
    blocked.add(u.host);
    return r.abort();
  });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text().slice(0, 200)}`);
  });
  const cdp = await ctx.newCDPSession(page);

  await page.goto(`${BASE}/login`);
  await page.fill('input[name="email"]', opt("email", BENCH_ADMIN.email));
  await page.fill('input[name="password"]', opt("password", BENCH_ADMIN.password));
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(/\/projects/, { timeout: 30_000 });

  // Cold: first load of the task page (editor chunks and the JPEG not cached yet).
  const cold = await load(page, "cold load");
  // Warm: the same page again in the same context (HTTP cache and V8 code cache warm).
  // BENCH_PROFILE_DIR also gets a CPU profile of this load (what the page did before "ready").
  const profLoad = process.env.BENCH_PROFILE_DIR;
  if (profLoad) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
  const warm = await load(page, "warm load");
  if (profLoad) {
    const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
    mkdirSync(profLoad, { recursive: true });
    writeFileSync(`${profLoad}/loupe-${N}-warm-load.cpuprofile`, JSON.stringify(profile));
  }
  out.ready_cold_ms = cold.ready_ms;
  out.ready_warm_ms = warm.ready_ms;
  out.ready_ms = warm.ready_ms;
  out.nav_cold = cold.nav;
  out.nav_warm = warm.nav;
  out.regions_loaded = warm.state.regions;
  out.regions_ok = warm.state.regions === N;
  out.metrics_at_ready = warm.state.metrics;
  if (!out.regions_ok) errors.push(`editor.getRegions().length = ${warm.state.regions}, expected ${N}`);

  await sleep(1000);
  Object.assign(out, await heap(page, cdp));
  if (SHOT) await page.screenshot({ path: SHOT });

  // The floor: rAF intervals with no input at all (headless vsync jitter puts p95 a bit above
  // 16.7 ms even on an idle page; read the goals against this).
  await page.evaluate("window.__bench.startFrames()");
  await sleep(2000);
  out.idle = frameStats((await page.evaluate("window.__bench.stopFrames()")) as FrameRec, 2000);
  out.zoom = await zoom(page, cdp, false);
  out.zoom_synthetic = await zoom(page, cdp, true);
  out.pan = await pan(page);
  const h3 = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  out.heap_used_afterZoom_MB = r1(h3.usedSize / 1048576);
  out.browser_tree_rss_afterZoom_MB = browserRssMB();
  // BENCH_PROFILE_DIR=dir: a CPU profile of the select/drag phase, to see what a slow move did.
  const profDir = process.env.BENCH_PROFILE_DIR;
  if (profDir) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
  out.interact = await selectAndDrag(page, layout(N).specs);
  if (profDir) {
    const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
    mkdirSync(profDir, { recursive: true });
    const file = `${profDir}/loupe-${N}-select-drag.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    out.profile = file;
  }
  if (SHOT) await page.screenshot({ path: SHOT.replace(/\.png$/, "_after.png") });
} catch (e) {
  out.fatal = e instanceof Error ? e.message : String(e);
} finally {
  out.blocked_hosts = [...blocked];
  out.errors = errors.slice(0, 10);
  await browser.close().catch(() => undefined);
}
console.log(JSON.stringify(out));
process.exit(0);

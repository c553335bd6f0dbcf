// The text editor's benchmark (`npm run bench -- --only text`): a 100,000-character document with
// 2,000 spans (nested and overlapping ones included) in headless chromium against `next start`.
// Measures time to a labelled document on screen, input-to-paint latency for creating a span by
// keyboard (caret, Shift+→, label key) and by mouse (drag with an active label), for relabelling
// and for caret moves, and the frame time while scrolling. Input-to-paint: from the event's
// timeStamp to a task queued after the next animation frame (i.e. after that frame's paint).
import { chromium, type Page } from "playwright-core";
import { signedInPage } from "../sign-in";
import { BENCH_ADMIN, startLoupe, type LoupeServer } from "../editor/server";
import { benchSpans, benchText } from "./document";

export interface Row {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
  note?: string;
}
export interface TextBenchResult {
  rows: Row[];
  raw: Record<string, number[] | number | string>;
}

const log = (s: string) => process.stderr.write(`[text-bench] ${s}\n`);
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function api<T>(srv: LoupeServer, method: string, url: string, body?: unknown): Promise<T> {
  const r = await fetch(srv.base + url, {
    method,
    headers: { authorization: `Bearer ${srv.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url} -> ${r.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

type Lat = { type: string; key: string; ms: number };
const takeLat = (page: Page) => page.evaluate(() => (window as unknown as { __lat: Lat[] }).__lat.splice(0));

/** A point inside unlabelled text in the viewport (a piece of at least `min` letters). */
async function freeSpot(page: Page, min = 10): Promise<{ x: number; y: number; x2: number } | null> {
  return page.evaluate((min) => {
    const sc = document.querySelector<HTMLElement>('[data-testid="text-view"]')!.getBoundingClientRect();
    for (const el of document.querySelectorAll<HTMLElement>(".lp-piece:not([data-span])")) {
      const t = el.textContent ?? "";
      const m = /[A-Za-z]{4,} [A-Za-z]{3,}/.exec(t);
      if (!m || t.length < min) continue;
      const node = el.firstChild!;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = range.getClientRects();
      const b = rects[0];
      if (!b || rects.length > 1) continue;
      if (b.top < sc.top + 60 || b.bottom > sc.bottom - 60) continue;
      return { x: b.left + 2, y: (b.top + b.bottom) / 2, x2: b.right - 2 };
    }
    return null;
  }, min);
}
async function spanSpot(page: Page): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => {
    const sc = document.querySelector<HTMLElement>('[data-testid="text-view"]')!.getBoundingClientRect();
    for (const el of document.querySelectorAll<HTMLElement>(".lp-piece[data-span]")) {
      if ((el.dataset.span ?? "").includes(" ")) continue; // a single span, so the click is unambiguous
      const b = el.getClientRects()[0];
      if (!b || b.top < sc.top + 60 || b.bottom > sc.bottom - 60 || b.width < 8) continue;
      return { x: b.left + 3, y: (b.top + b.bottom) / 2 };
    }
    return null;
  });
}
async function scrollTo(page: Page, frac: number) {
  await page.evaluate((f) => {
    const sc = document.querySelector<HTMLElement>('[data-testid="text-view"]')!;
    sc.scrollTop = f * (sc.scrollHeight - sc.clientHeight);
  }, frac);
  await page.waitForTimeout(120);
}
const regionCount = (page: Page) => page.evaluate(() => (window as unknown as { __loupeText: { editor: { regionCount: number } } }).__loupeText.editor.regionCount);

export async function runTextBench(opts: { port?: number; reps?: number } = {}): Promise<TextBenchResult> {
  const reps = opts.reps ?? 20;
  log("starting Loupe (builds first if sources changed)…");
  const srv = await startLoupe({ port: opts.port });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const text = benchText(100_000);
    const spans = benchSpans(text, 2000);
    const project = await api<{ id: number }>(srv, "POST", "/api/v1/projects", {
      name: "text bench",
      dataType: "text",
      schema: {
        labels: [
          { name: "PER", color: "#e6194b", hotkey: "1" },
          { name: "ORG", color: "#4363d8", hotkey: "2" },
          { name: "LOC", color: "#3cb44b", hotkey: "3" },
          { name: "MISC", color: "#f58231", hotkey: "4" },
        ],
      },
    });
    const imp = await api<{ created: number; taskIds: number[] }>(srv, "POST", `/api/v1/projects/${project.id}/import`, [{ data: { text } }]);
    const taskId = imp.taskIds[0]!;
    await api(srv, "POST", `/api/v1/tasks/${taskId}/annotations`, { document: { regions: spans } });
    log(`task ${taskId}: ${[...text].length} code points (${text.length} UTF-16), ${spans.length} spans`);

    const page = await signedInPage(browser, { base: srv.base, email: BENCH_ADMIN.email, password: BENCH_ADMIN.password, viewport: { width: 1400, height: 900 } });
    // Plain strings: tsx's keepNames would wrap named functions in a helper the page lacks.
    await page.addInitScript(`
      window.__lat = [];
      for (const type of ["keydown", "mouseup"]) {
        window.addEventListener(type, (e) => {
          const t0 = e.timeStamp;
          const key = e.key ?? e.type;
          requestAnimationFrame(() => setTimeout(() => window.__lat.push({ type: e.type, key, ms: performance.now() - t0 }), 0));
        }, true);
      }
    `);

    // Ready: navigation start -> the labelled document on screen.
    const readies: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`/tasks/${taskId}`);
      await page.waitForFunction(() => (window as unknown as { __loupeText?: unknown }).__loupeText && document.querySelector(".lp-piece[data-span]"), null, { timeout: 60_000 });
      readies.push(await page.evaluate(() => new Promise<number>((res) => requestAnimationFrame(() => setTimeout(() => res(performance.now()), 0)))));
    }
    const dom = await page.evaluate(() => ({ blocks: document.querySelectorAll(".lp-block").length, nodes: document.querySelectorAll("*").length }));
    if ((await regionCount(page)) !== spans.length) throw new Error("the editor did not load all spans");

    // Keyboard: click (caret), Shift+→ x3, label key.
    const kb: number[] = [];
    const caretMs: number[] = [];
    let created = 0;
    for (let i = 0; i < reps; i++) {
      await scrollTo(page, (i + 0.5) / reps);
      const at = await freeSpot(page);
      if (!at) continue;
      await page.mouse.click(at.x, at.y);
      await page.waitForTimeout(30);
      await takeLat(page);
      for (let k = 0; k < 3; k++) await page.keyboard.press("Shift+ArrowRight");
      await page.keyboard.press("1");
      await page.waitForTimeout(80);
      const lat = await takeLat(page);
      caretMs.push(...lat.filter((l) => l.key === "ArrowRight").map((l) => l.ms));
      const k1 = lat.find((l) => l.key === "1");
      if (k1) kb.push(k1.ms);
      created++;
    }
    const afterKb = await regionCount(page);
    if (afterKb !== spans.length + created) throw new Error(`keyboard: expected ${created} new spans, got ${afterKb - spans.length}`);

    // Mouse: make LOC active, then each drag is labelled at mouseup.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await page.keyboard.press("3");
    const mouse: number[] = [];
    let dragged = 0;
    for (let i = 0; i < reps; i++) {
      await scrollTo(page, (i + 0.25) / reps);
      const at = await freeSpot(page);
      if (!at) continue;
      await page.mouse.move(at.x, at.y);
      await page.mouse.down();
      await page.mouse.move(at.x2, at.y, { steps: 4 });
      await takeLat(page);
      await page.mouse.up();
      await page.waitForTimeout(80);
      const m = (await takeLat(page)).find((l) => l.type === "mouseup");
      if (m) mouse.push(m.ms);
      dragged++;
    }
    const afterMouse = await regionCount(page);
    if (afterMouse !== afterKb + dragged) throw new Error(`mouse: expected ${dragged} new spans, got ${afterMouse - afterKb}`);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");

    // Relabel: click a span (select), press 4.
    const relabel: number[] = [];
    const select: number[] = [];
    for (let i = 0; i < reps; i++) {
      await scrollTo(page, (i + 0.75) / reps);
      const at = await spanSpot(page);
      if (!at) continue;
      await takeLat(page);
      await page.mouse.click(at.x, at.y);
      await page.waitForTimeout(40);
      const s = (await takeLat(page)).find((l) => l.type === "mouseup");
      if (s) select.push(s.ms);
      await page.keyboard.press("4");
      await page.waitForTimeout(60);
      const k = (await takeLat(page)).find((l) => l.key === "4");
      if (k) relabel.push(k.ms);
    }

    // Scrolling: 180 frames, 150 px each.
    await scrollTo(page, 0);
    const frames = (await page.evaluate(`new Promise((res) => {
      const sc = document.querySelector('[data-testid="text-view"]');
      const out = [];
      let last = performance.now();
      let n = 0;
      const tick = (t) => {
        out.push(t - last);
        last = t;
        sc.scrollTop += 150;
        if (++n < 180) requestAnimationFrame(tick);
        else res(out.slice(2));
      };
      requestAnimationFrame(tick);
    })`)) as number[];
    await page.context().close();

    const goal = 50;
    const row = (name: string, xs: number[], note = ""): Row => {
      const p95 = pct(xs, 95);
      return { name, value: r1(p95), unit: "ms", goal: `<= ${goal}`, ok: p95 <= goal, note: `p50 ${r1(pct(xs, 50))} ms, max ${r1(Math.max(...xs))} ms, n=${xs.length}${note ? ", " + note : ""}` };
    };
    const rows: Row[] = [
      { name: "text: ready, 100k chars + 2k spans (median)", value: Math.round(pct(readies, 50)), unit: "ms", note: `navigation -> labelled text painted; runs ${readies.map(Math.round).join(", ")} ms; ${dom.blocks} blocks in the DOM (${dom.nodes} elements)` },
      row("text: span by keyboard, key->paint (p95)", kb, "caret, Shift+→ x3, label key"),
      row("text: span by mouse, mouseup->paint (p95)", mouse, "drag with an active label"),
      row("text: relabel, key->paint (p95)", relabel),
      row("text: select span, click->paint (p95)", select),
      row("text: caret Shift+→, key->paint (p95)", caretMs),
      { name: "text: scrolling frame time (p95)", value: r1(pct(frames, 95)), unit: "ms", goal: "<= 33", ok: pct(frames, 95) <= 33, note: `p50 ${r1(pct(frames, 50))} ms, 150 px per frame, ${frames.length} frames` },
    ];
    return { rows, raw: { readies, kb, mouse, relabel, select, caretMs, frames, codePoints: [...text].length, utf16: text.length, spans: spans.length } };
  } finally {
    await browser.close().catch(() => undefined);
    srv.stop();
  }
}

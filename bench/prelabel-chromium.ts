// Per-model latency in headless chromium: the same inputs as bench/prelabel.ts's native rows
// (modelCases), run by onnxruntime-web in a module Web Worker (as the app's pre-label worker
// does) on a throwaway static page served with COOP/COEP, so wasm threads are available. Rows for
// 1 thread and for `navigator.hardwareConcurrency` threads, and for the bundle the app ships
// (ort.bundle.min.mjs: the WebGPU/JSEP build, whose wasm EP is the one the editors use).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import type { ModelCase } from "./prelabel";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const log = (s: string) => process.stderr.write(`[prelabel-chromium] ${s}\n`);

export interface ChromiumModelRun {
  model: string;
  threads: number;
  bundle: string;
  ms: number;
  createMs: number;
  runs: number;
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

/** Serves the harness page, onnxruntime-web's dist, public/models and the prepared inputs. */
function serve(inputs: string): Promise<{ base: string; close(): void }> {
  const dirs: Array<[string, string]> = [
    ["/ort/", path.join(root, "node_modules/onnxruntime-web/dist")],
    ["/models/", path.join(root, "public/models")],
    ["/inputs/", inputs],
    ["/", path.join(root, "bench/prelabel-chromium")],
  ];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const p = url.pathname === "/" ? "/index.html" : url.pathname;
    const hit = dirs.find(([pre]) => p.startsWith(pre));
    const file = hit ? path.join(hit[1], path.normalize(p.slice(hit[0].length)).replace(/^(\.\.[/\\])+/, "")) : "";
    if (!hit || !file.startsWith(hit[1]) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
      "Cross-Origin-Resource-Policy": "same-origin",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({ base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, close: () => srv.close() })));
}

function writeInputs(cases: ModelCase[], dir: string) {
  const out = cases.map((c, i) => ({
    model: c.model,
    file: c.file,
    runs: c.runs,
    feeds: Object.fromEntries(
      Object.entries(c.feeds).map(([k, t], j) => {
        if (t.type === "int64") return [k, { type: "int64", values: [...(t.data as BigInt64Array)].map(Number), dims: t.dims }];
        if (t.type !== "float32") throw new Error(`${c.model}.${k}: ${t.type} inputs are not supported by the harness`);
        const name = `${i}-${j}.f32`;
        const d = t.data as Float32Array;
        fs.writeFileSync(path.join(dir, name), Buffer.from(d.buffer, d.byteOffset, d.byteLength));
        return [k, { type: "float32", file: name, dims: t.dims }];
      }),
    ),
  }));
  fs.writeFileSync(path.join(dir, "cases.json"), JSON.stringify(out));
}

/** The build the editors' worker uses for wasm sessions, and the JSEP build it loads only for WebGPU. */
export const WASM_BUNDLE = "ort.wasm.bundle.min.mjs";
export const JSEP_BUNDLE = "ort.bundle.min.mjs";

export async function runChromiumModelBench(cases: ModelCase[], configs?: Array<{ bundle: string; threads: number }>): Promise<{ runs: ChromiumModelRun[]; cores: number; isolated: boolean }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-ort-bench-"));
  writeInputs(cases, dir);
  const srv = await serve(dir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const runs: ChromiumModelRun[] = [];
  let cores = 0;
  let isolated = false;
  try {
    const cpu = os.cpus().length;
    for (const { bundle, threads: t } of configs ?? [...new Set([1, cpu])].map((threads) => ({ bundle: WASM_BUNDLE, threads }))) {
      {
        const page = await browser.newPage();
        await page.goto(`${srv.base}/?threads=${t}&bundle=${bundle}`);
        log(`${bundle}, ${t} thread(s)…`);
        const r = (await page.evaluate("window.result")) as { ok: boolean; error?: string; out: Omit<ChromiumModelRun, "threads" | "bundle">[]; isolated?: boolean; cores?: number };
        if (!r.ok) throw new Error(`chromium harness: ${r.error}`);
        cores = r.cores ?? 0;
        isolated = !!r.isolated;
        for (const o of r.out) runs.push({ ...o, threads: t, bundle, ms: +o.ms.toFixed(2), createMs: Math.round(o.createMs) });
        await page.close();
      }
    }
  } finally {
    await browser.close();
    srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { runs, cores, isolated };
}

// `npx tsx bench/prelabel-chromium.ts [model,...]`: just these rows.
export { serve, writeInputs };
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const { modelCases } = await import("./prelabel");
  const only = process.argv[2]?.split(",");
  const cases = (await modelCases()).filter((c) => !only || only.includes(c.model));
  const bundles = process.env.BUNDLES?.split(",") ?? [WASM_BUNDLE];
  const threads = process.env.THREADS?.split(",").map(Number) ?? [1, os.cpus().length];
  const r = await runChromiumModelBench(cases, bundles.flatMap((bundle) => threads.map((t) => ({ bundle, threads: t }))));
  console.log(`cores ${r.cores}, crossOriginIsolated ${r.isolated}, load ${os.loadavg()[0]!.toFixed(2)}`);
  for (const x of r.runs) console.log(`${x.model.padEnd(22)} ${x.bundle.padEnd(24)} threads ${x.threads}  ${x.ms.toFixed(1).padStart(8)} ms  (create ${x.createMs} ms, median of ${x.runs})`);
  process.exit(0);
}

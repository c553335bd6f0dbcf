// `npm run bench`: timings that tests must not assert. Prints a table, writes bench/results/*.json.
// Foundation entries: bulk import of 100k text tasks (JSONL) and task-table page queries on them.
// Editor entries (bench/editor/): the image editor with 1,000 and 5,000 polygons, side by side
// with Label Studio 1.4.0 (bench/label-studio/). See bench/README.md.
// Text entries (bench/text/): the text editor with a 100k-character document and 2,000 spans.
// Audio entries (bench/audio/): hour-long WAV files opened in the audio editor.
// Versions entries (bench/versions.ts): building a dataset version of 100k tasks.
// Export entries (bench/export.ts): COCO/YOLO/native exports of 100k annotations vs a bare floor.
// Pre-labelling entries (bench/prelabel.ts): built-in models, onnxruntime-node vs -web (wasm).
//   npm run bench -- [--only foundation|editor|text|audio|versions|export|prelabel] [--prelabel-base URL] [--skip-ls] [--n 1000,5000] [--text-port P] [--export-tasks N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { printCompare, runEditorBench, type EditorBenchResult } from "./editor/index";
import { runTextBench, type TextBenchResult } from "./text/index";
import { runAudioBench, type AudioBenchResult } from "./audio/index";
import { runVersionsBench, type VersionsBenchResult } from "./versions";
import { runExportBench, type ExportBenchResult } from "./export";
import { modelCases, runPrelabelBench, type PrelabelBenchResult } from "./prelabel";
import { runOcrBrowserBench } from "./prelabel-browser";

const argv = process.argv.slice(2);
const flag = (k: string): string | undefined => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = flag("only");
const PARTS = ["foundation", "editor", "text", "audio", "versions", "export", "prelabel", "prelabel-batch"];
if (only && !PARTS.includes(only)) throw new Error(`--only takes ${PARTS.join(", ")}, not ${only}`);
const ns = (flag("n") ?? "1000,5000").split(",").map(Number);
if (ns.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`--n takes counts like 1000,5000`);

type Row = { name: string; value: number; unit: string; goal?: string; ok?: boolean; note?: string };
const rows: Row[] = [];
if (!only || only === "foundation") rows.push(...(await foundation()));
let editor: EditorBenchResult | null = null;
if (!only || only === "editor") {
  editor = await runEditorBench({ ns, skipLs: argv.includes("--skip-ls") });
  rows.push(...editor.rows);
}
let text: TextBenchResult | null = null;
if (!only || only === "text") {
  const port = flag("text-port");
  text = await runTextBench({ port: port ? Number(port) : undefined });
  rows.push(...text.rows);
}

let audio: AudioBenchResult | null = null;
if (!only || only === "audio") {
  audio = await runAudioBench();
  rows.push(...audio.rows);
}

let versions: VersionsBenchResult | null = null;
if (!only || only === "versions") {
  versions = await runVersionsBench();
  rows.push(...versions.rows);
}
let exportRes: ExportBenchResult | null = null;
if (!only || only === "export") {
  const t = flag("export-tasks");
  exportRes = await runExportBench({ tasks: t ? Number(t) : undefined });
  rows.push(...exportRes.rows);
}
let prelabel: PrelabelBenchResult | null = null;
if (!only || only === "prelabel") {
  prelabel = await runPrelabelBench();
  rows.push(...prelabel.rows);
  // Bring-your-own-model post-processing on synthetic outputs (bench/prelabel-byom.ts).
  const { runByomBench } = await import("./prelabel-byom");
  rows.push(...(await runByomBench()).rows);
  // Headless chromium, the audio editor, against a running Loupe (bench/prelabel-browser-audio.ts).
  const base = flag("prelabel-base");
  if (base) {
    const { runBrowserPrelabelBench } = await import("./prelabel-browser-audio");
    const br = await runBrowserPrelabelBench({ base });
    for (const r of br) rows.push({ name: `Pre-label speech in chromium, ${r.input}, ${r.backend} (warm; cold ${r.coldMs} ms)`, value: r.warmMs, unit: "ms", note: `${r.ranOn}, ${r.suggestions} suggestions` });
    (prelabel as PrelabelBenchResult & { browser?: unknown }).browser = br;
  }
  if (!process.argv.includes("--skip-browser")) {
    // Per model in headless chromium, same inputs as the native rows (bench/prelabel-chromium.ts).
    try {
      const { runChromiumModelBench, WASM_BUNDLE, JSEP_BUNDLE } = await import("./prelabel-chromium");
      const cores = os.cpus().length;
      const configs = [...new Set([1, cores])].map((threads) => ({ bundle: WASM_BUNDLE, threads }));
      const cr = await runChromiumModelBench(await modelCases(), [...configs, { bundle: JSEP_BUNDLE, threads: 1 }]);
      prelabel.chromium = cr;
      for (const m of prelabel.models) {
        const mine = cr.runs.filter((r) => r.model === m.model);
        for (const r of mine) {
          const what = r.bundle === WASM_BUNDLE ? "wasm build (the editors' wasm sessions)" : "JSEP/WebGPU build, wasm EP (not used for wasm any more)";
          rows.push({ name: `${m.model}: chromium wasm ${r.threads} thread${r.threads > 1 ? "s" : ""}${r.bundle === WASM_BUNDLE ? "" : ", JSEP build"}`, value: r.ms, unit: "ms", note: `${what}; ${(r.ms / m.nativeMs).toFixed(2)}x native 1 thread; median of ${r.runs}` });
        }
        const one = mine.find((r) => r.bundle === WASM_BUNDLE && r.threads === 1);
        if (one) rows.push({ name: `${m.model}: chromium / native (1 thread each)`, value: +(one.ms / m.nativeMs).toFixed(2), unit: "x", goal: "<= 2", ok: one.ms / m.nativeMs <= 2 });
      }
    } catch (e) {
      rows.push({ name: "models in chromium (per input)", value: NaN, unit: "ms", note: `failed: ${String(e).slice(0, 200)}` });
    }
    try {
      const b = await runOcrBrowserBench();
      rows.push(...b.rows);
      prelabel.endToEnd.ocrPageChromium = b.runs;
    } catch (e) {
      rows.push({ name: "OCR page.png in the editor, chromium", value: NaN, unit: "ms", note: `failed: ${String(e).slice(0, 200)}` });
    }
    // SAM click-to-mask in the editor (bench/prelabel-browser-sam.ts), with ratios to the native rows.
    try {
      const { runSamBrowserBench } = await import("./prelabel-browser-sam");
      const native = (m: string) => prelabel!.models.find((x) => x.model === m)?.nativeMs;
      const s = await runSamBrowserBench(native("sam-encoder"), native("sam-decoder"));
      rows.push(...s.rows);
      prelabel.endToEnd.samChromium = { firstUseMs: s.firstUseMs, encodeMs: s.encodeMs, clickMs: s.clickMs, clickToPaintMs: s.clickToPaintMs, backend: s.backend };
    } catch (e) {
      rows.push({ name: "SAM tool in the editor, chromium", value: NaN, unit: "ms", note: `failed: ${String(e).slice(0, 200)}` });
    }
  }
}

// Batch pre-labelling + "least confident first" (bench/prelabel-batch.ts); only when asked for.
if (only === "prelabel-batch") {
  const { runPrelabelBatchBench } = await import("./prelabel-batch");
  const t = flag("batch-tasks");
  const r = await runPrelabelBatchBench({ base: flag("prelabel-base"), tasks: t ? Number(t) : undefined });
  rows.push(...r.rows);
}

async function foundation(): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-bench-"));
  process.env.LOUPE_DATA_DIR = dir;
  process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");

  const { getDb, closeDb } = await import("../lib/db/client");
  const { createUser, getUserByEmail } = await import("../lib/server/users");
  const { createProject } = await import("../lib/server/projects");
  const { importFiles } = await import("../lib/server/import");
  const { listTasks, nextTask } = await import("../lib/server/tasks");
  const { createAnnotation } = await import("../lib/server/annotations");

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  };

  getDb();
  await createUser({ email: "bench@loupe.local", password: "benchbench", isAdmin: true });
  const user = getUserByEmail("bench@loupe.local")!;
  const actor = { user, via: "session" as const, tokenProjectId: null, readOnly: false };
  const project = createProject(actor, {
    name: "bench",
    dataType: "text",
    schema: { labels: [{ name: "PER" }, { name: "ORG" }, { name: "LOC" }] },
  });

  // 1. Import 100k JSONL tasks (parse + validate + one transaction), as the upload route does.
  const N = 100_000;
  const words = ["Angela", "met", "Emmanuel", "in", "Paris", "on", "Tuesday", "to", "discuss", "the", "budget", "Apple", "Zurich"];
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const t = Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" ");
    lines.push(JSON.stringify({ data: { text: `${i}: ${t}.`, source: `doc-${i % 100}` } }));
  }
  const file = path.join(dir, "tasks.jsonl");
  fs.writeFileSync(file, lines.join("\n"));
  const sizeMb = fs.statSync(file).size / 1e6;
  const t0 = performance.now();
  const res = await importFiles(actor, project.id, [{ name: "tasks.jsonl", path: file }]);
  const secs = (performance.now() - t0) / 1000;
  if (res.created !== N) throw new Error(`import created ${res.created}, expected ${N}: ${JSON.stringify(res.failed.slice(0, 3))}`);
  const rate = N / secs;
  rows.push({ name: "import 100k JSONL text tasks", value: Math.round(rate), unit: "tasks/s", goal: ">= 20000", ok: rate >= 20_000, note: `${secs.toFixed(2)} s, ${sizeMb.toFixed(1)} MB` });

  // Give the table something to filter: 2,000 annotated tasks with labels.
  for (let i = 0; i < 2000; i++) {
    const n = nextTask(actor, project.id);
    createAnnotation(actor, n.taskId!, { document: { regions: [{ id: "s", kind: "span", label: i % 2 ? "PER" : "ORG", start: 0, end: 3 }] } });
  }

  // 2. Task-table page queries: the shapes the data page sends (page, sort, filters).
  const queries: Array<Record<string, string>> = [
    { page: "1", limit: "50" },
    { page: "1000", limit: "50" },
    { page: "1999", limit: "50" },
    { page: "1", limit: "100", sort: "id", order: "desc" },
    { page: "10", limit: "50", sort: "annotations", order: "desc" },
    { page: "1", limit: "50", status: "completed" },
    { page: "1", limit: "50", status: "new" },
    { page: "500", limit: "50", status: "new" },
    { page: "1", limit: "50", label: "PER" },
    { page: "1", limit: "50", annotator: String(user.id) },
    { page: "1", limit: "50", sort: "status", order: "asc" },
  ];
  const times: number[] = [];
  for (let rep = 0; rep < 20; rep++) {
    for (const q of queries) {
      const s = performance.now();
      const r = listTasks(actor, project.id, q);
      times.push(performance.now() - s);
      if (r.total <= 0) throw new Error(`query ${JSON.stringify(q)} found nothing`);
    }
  }
  const p95 = pct(times, 95);
  rows.push({ name: "task table page query on 100k (p95)", value: +p95.toFixed(2), unit: "ms", goal: "<= 50", ok: p95 <= 50, note: `p50 ${pct(times, 50).toFixed(2)} ms, ${times.length} queries` });

  // 3. "Start labelling": reserve the next slot with 100k tasks.
  const qt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    const n = nextTask(actor, project.id);
    qt.push(performance.now() - s);
    createAnnotation(actor, n.taskId!, { document: {}, status: "skipped" });
  }
  rows.push({ name: "next task (queue + lock) on 100k (p95)", value: +pct(qt, 95).toFixed(2), unit: "ms", note: `p50 ${pct(qt, 50).toFixed(2)} ms` });

  closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows;
}

const w = [44, 12, 9, 10, 5];
const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i] ?? 10)).join(" ");
console.log("\n" + line(["benchmark", "value", "unit", "goal", "ok"]) + "  note");
console.log("-".repeat(100));
for (const r of rows) console.log(line([r.name, String(r.value), r.unit, r.goal ?? "", r.ok === undefined ? "" : r.ok ? "yes" : "NO"]) + "  " + (r.note ?? ""));
if (editor) {
  console.log("\nImage editor, side by side (same JPEG, same polygons, same chromium, same run):\n");
  printCompare(editor.compare);
  if (editor.notes.length) console.log("\nnotes:\n" + editor.notes.map((n) => `  - ${n}`).join("\n"));
}
if (prelabel) {
  console.log("\nPre-labelling models, same input on both runtimes (ms, median):\n");
  console.log(["model".padEnd(22), "input".padEnd(42), "native".padStart(9), "wasm".padStart(9), "ratio".padStart(7)].join(" "));
  const ch = (m: string, t: number) => prelabel!.chromium?.runs.find((r) => r.model === m && r.threads === t && r.bundle === "ort.wasm.bundle.min.mjs")?.ms;
  const cores = os.cpus().length;
  const fmt = (x: number | undefined, w: number) => (x === undefined ? "-" : x.toFixed(2)).padStart(w);
  console.log(["model".padEnd(22), "input".padEnd(38), "native".padStart(9), "Node wasm".padStart(10), "chromium".padStart(9), `chr ${cores}t`.padStart(9), "chr/nat".padStart(8)].join(" "));
  for (const m of prelabel.models) {
    const c1 = ch(m.model, 1);
    console.log([m.model.padEnd(22), m.input.slice(0, 38).padEnd(38), fmt(m.nativeMs, 9), fmt(m.wasmMs, 10), fmt(c1, 9), fmt(cores > 1 ? ch(m.model, cores) : undefined, 9), (c1 === undefined ? "-" : `${(c1 / m.nativeMs).toFixed(2)}x`).padStart(8)].join(" "));
  }
  console.log("\n(native = onnxruntime-node, 1 intra-op thread; Node wasm = onnxruntime-web in Node, 1 thread; chromium = onnxruntime-web's wasm build in a Web Worker in headless chromium, 1 thread and " + cores + " threads (cross-origin isolated); chr/nat compares 1 thread with 1 thread)");
}
const parts = only ?? PARTS.join("-");
const out = path.join("bench", "results", `${parts}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, rows, editor, text, audio, versions, export: exportRes, prelabel }, null, 2));
console.log(`\nsaved ${out}`);

// The audio editor's benchmark (`npm run bench -- --only audio`): generate hour-long WAV files,
// import them into a throwaway Loupe, and open each in headless chromium (measure.ts, one process
// per run so browser RSS is that browser's). Goal: usable (playable + viewport waveform drawn)
// within 3 s of opening an hour of audio.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startLoupe, type LoupeServer } from "../editor/server";
import { writeSpeechLikeWav } from "./wav-gen";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const TSX = path.join(root, "node_modules", ".bin", "tsx");
const log = (s: string) => process.stderr.write(`[audio-bench] ${s}\n`);

export interface Row {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
  note?: string;
}
export interface AudioBenchResult {
  rows: Row[];
  runs: Array<Record<string, unknown>>;
}

const FILES = [
  { name: "1 h 16 kHz mono", sampleRate: 16_000, channels: 1 as const },
  { name: "1 h 44.1 kHz stereo", sampleRate: 44_100, channels: 2 as const },
];

function runJson(args: string[], timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const child = spawn(TSX, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? ""));
      } catch {
        resolve({ fatal: `exit ${code}: no JSON (timeout?). ${err.slice(-1500)}` });
      }
    });
  });
}

async function api<T>(srv: LoupeServer, method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${srv.token}` };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const r = await fetch(srv.base + url, { method, headers, body: payload });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url} -> ${r.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

export async function runAudioBench(opts: { seconds?: number } = {}): Promise<AudioBenchResult> {
  const seconds = opts.seconds ?? 3600;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audio-bench-"));
  const rows: Row[] = [];
  const runs: Array<Record<string, unknown>> = [];
  // An hour of 44.1 kHz stereo is ~635 MB: above the default upload cap.
  process.env.LOUPE_MAX_UPLOAD_MB = process.env.LOUPE_MAX_UPLOAD_MB ?? "1024";
  let srv: LoupeServer | null = null;
  try {
    const files = FILES.map((f) => {
      const file = path.join(dir, `${f.name.replace(/\W+/g, "-")}.wav`);
      const t0 = performance.now();
      const bytes = writeSpeechLikeWav(file, { seconds, sampleRate: f.sampleRate, channels: f.channels });
      log(`generated ${f.name}: ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return { ...f, file, bytes };
    });
    log("starting Loupe (builds if sources changed)…");
    srv = await startLoupe({ port: process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined });
    const project = await api<{ id: number }>(srv, "POST", "/api/v1/projects", { name: "audio bench", dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1" }] } });
    for (const f of files) {
      const form = new FormData();
      form.append("files", await fs.openAsBlob(f.file, { type: "audio/wav" }), path.basename(f.file));
      const t0 = performance.now();
      const imp = await api<{ created: number; taskIds: number[] }>(srv, "POST", `/api/v1/projects/${project.id}/import`, form);
      const importS = (performance.now() - t0) / 1000;
      if (imp.created !== 1) throw new Error(`import of ${f.name} created ${imp.created} tasks`);
      log(`imported ${f.name} in ${importS.toFixed(1)} s; measuring…`);
      const shot = process.env.BENCH_SHOT_DIR ? ["--shot", path.join(process.env.BENCH_SHOT_DIR, `audio-${f.sampleRate}-${f.channels}.png`)] : [];
      const r = await runJson([path.join(root, "bench", "audio", "measure.ts"), "--base", srv.base, "--task", String(imp.taskIds[0]), ...shot], 10 * 60_000);
      r.file = f.name;
      r.bytes = f.bytes;
      r.import_s = +importS.toFixed(1);
      runs.push(r);
      const mb = `${(f.bytes / 1e6).toFixed(0)} MB WAV`;
      if (r.fatal) {
        rows.push({ name: `audio ${f.name}: usable`, value: NaN, unit: "ms", goal: "<= 3000", ok: false, note: String(r.fatal).slice(0, 200) });
        continue;
      }
      const n = (k: string) => Number(r[k]);
      rows.push({ name: `audio ${f.name}: usable`, value: n("usable_ms"), unit: "ms", goal: "<= 3000", ok: n("usable_ms") <= 3000, note: `${mb}; playable ${n("playable_ms")} ms, first peaks ${n("first_peaks_ms")} ms, view ${r.initial_view_s} s` });
      rows.push({ name: `audio ${f.name}: all peaks`, value: n("all_peaks_ms"), unit: "ms", note: `${r.source}; import ${r.import_s} s` });
      rows.push({ name: `audio ${f.name}: seek 45:00 + play`, value: n("seek_45min_play_ms"), unit: "ms", note: "HTTP Range" });
      rows.push({ name: `audio ${f.name}: jump view to 45:00`, value: n("jump_45min_viewport_ms"), unit: "ms", note: r.jump_before_stream_done ? "drawn before the stream got there (Range fetch)" : "stream was already done" });
      rows.push({ name: `audio ${f.name}: memory`, value: n("browser_rss_MB") - n("browser_rss_baseline_MB"), unit: "MB RSS+", note: `browser RSS ${n("browser_rss_MB")} MB minus ${n("browser_rss_baseline_MB")} MB on the projects page; JS heap ${n("js_heap_MB")} MB` });
    }
  } finally {
    srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, runs };
}

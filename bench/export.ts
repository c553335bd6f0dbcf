// The export part of `npm run bench` (`--only export`): COCO, YOLO and native exports of a
// 100,000-annotation dataset version, each in a fresh child process (peak RSS per measurement),
// and the bare floor (same rows read and JSON.stringify-ed without an exporter). See bench/README.md.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { seedExportBench, type Seeded } from "./export/seed";

type Row = { name: string; value: number; unit: string; goal?: string; ok?: boolean; note?: string };

export interface ExportMeasure { mode: string; annotations: number; seconds: number; perSecond: number; cpuSeconds: number; perCpuSecond: number; peakRssMb: number; rssBeforeMb: number; bytes: number; checked?: number }
export interface ExportBenchResult { rows: Row[]; seed: Omit<Seeded, "dataDir">; runs: ExportMeasure[]; goals: Record<string, string>; loadavg: number }

const GOALS = { coco_annotations_per_s: ">= 50000", coco_peak_rss_mb: "<= 300" };

function measure(mode: string, seeded: Seeded, out: string): ExportMeasure {
  const args = ["--import", "tsx"];
  const prof = process.env.BENCH_PROFILE_DIR;
  if (prof) args.push("--cpu-prof", `--cpu-prof-dir=${prof}`, `--cpu-prof-name=export-${mode}.cpuprofile`);
  const r = spawnSync(process.execPath, [...args, path.join("bench", "export", "child.ts"), mode, seeded.dataDir, String(seeded.versionId), out], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`export bench child ${mode} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop()!;
  return JSON.parse(line) as ExportMeasure;
}

/** Counts what the archive really holds (python's zipfile also checks every CRC): a broken exporter cannot report fast numbers. */
function checkArchive(mode: string, file: string): number {
  const py = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); mode = sys.argv[2]; n = 0
bad = z.testzip()
if bad: raise SystemExit("bad CRC in " + bad)
for name in z.namelist():
    if mode == "coco" and name.startswith("annotations/instances_"):
        n += len(json.loads(z.read(name))["annotations"])
    elif mode.startswith("yolo") and name.startswith("labels/"):
        n += len([l for l in z.read(name).decode().split("\\n") if l])
    elif mode == "native" and name == "tasks.jsonl":
        for line in z.read(name).decode().splitlines():
            for a in json.loads(line)["annotations"]: n += len(a["document"]["regions"])
print(n)`;
  return Number(execFileSync("python3", ["-c", py, file, mode], { encoding: "utf8", maxBuffer: 1 << 20 }).trim());
}

export async function runExportBench(opts: { tasks?: number; keep?: boolean } = {}): Promise<ExportBenchResult> {
  const tasks = opts.tasks ?? 25_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-export-bench-"));
  const loadavg = os.loadavg()[0]!;
  const seeded = await seedExportBench(path.join(dir, "data"), tasks);
  console.log(`export bench: seeded ${seeded.tasks} tasks / ${seeded.regions} regions in ${seeded.seconds.toFixed(1)} s`);
  const runs: ExportMeasure[] = [];
  for (const mode of ["floor", "coco", "yolo-detect", "yolo-segment", "native"]) {
    const out = path.join(dir, `${mode}.${mode === "floor" ? "jsonl" : "zip"}`);
    const m = measure(mode, seeded, out);
    if (mode !== "floor") {
      m.checked = checkArchive(mode, out);
      if (m.checked !== seeded.regions) throw new Error(`${mode}: the archive holds ${m.checked} annotations, expected ${seeded.regions}`);
    }
    console.log(`  ${mode}: ${Math.round(m.perSecond)} ann/s, ${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds.toFixed(2)} s: ${Math.round(m.perCpuSecond)} ann/CPU-s), peak RSS ${m.peakRssMb.toFixed(0)} MB`);
    runs.push(m);
    fs.rmSync(out, { force: true });
  }
  if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  const by = (m: string) => runs.find((r) => r.mode === m)!;
  const floor = by("floor"), coco = by("coco");
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const rows: Row[] = [
    { name: "export floor: read rows + JSON.stringify", value: Math.round(floor.perSecond), unit: "ann/s", note: `${floor.seconds.toFixed(2)} s (CPU ${floor.cpuSeconds.toFixed(2)} s), peak RSS ${floor.peakRssMb.toFixed(0)} MB, ${mb(floor.bytes)} MB JSONL` },
    { name: "COCO export 100k annotations", value: Math.round(coco.perSecond), unit: "ann/s", goal: GOALS.coco_annotations_per_s, ok: coco.perSecond >= 50_000, note: `${coco.seconds.toFixed(2)} s (CPU ${coco.cpuSeconds.toFixed(2)} s, zlib thread included), ${mb(coco.bytes)} MB zip, media as URLs, load ${loadavg.toFixed(1)}` },
    { name: "COCO export peak RSS", value: Math.round(coco.peakRssMb), unit: "MB", goal: GOALS.coco_peak_rss_mb, ok: coco.peakRssMb <= 300, note: `process RSS before exporting ${coco.rssBeforeMb.toFixed(0)} MB` },
    { name: "COCO / floor throughput", value: +(coco.perSecond / floor.perSecond).toFixed(2), unit: "ratio", note: `1.0 = as fast as reading and stringifying the rows; by CPU time ${(coco.perCpuSecond / floor.perCpuSecond).toFixed(2)}` },
  ];
  for (const m of ["yolo-detect", "yolo-segment", "native"]) {
    const r = by(m);
    rows.push({ name: `${m === "native" ? "native JSONL" : m.replace("-", " ")} export 100k annotations`, value: Math.round(r.perSecond), unit: "ann/s", note: `${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${mb(r.bytes)} MB zip` });
  }
  const { dataDir: _d, ...seed } = seeded;
  return { rows, seed, runs, goals: GOALS, loadavg };
}

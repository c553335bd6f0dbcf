// `loupe pull`: fetch a dataset version's manifest, verify its content hash, download the archive
// (resumable), verify the archive's sha256 against the server's Repr-Digest, unpack it safely and
// write loupe.dataset.json (file list with md5 and size, DVC-style `outs`). Flags in docs/api.md.
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { manifestHash, type ManifestItem, type VersionFilter, type VersionSplit } from "../lib/server/datasets";
import { unzipTo, UnzipError, type ExtractedFile } from "../lib/archive/unzip";
import { PullError, downloadResumable, getJson } from "./pull-http";

export { PullError };

export interface PullOptions {
  url: string;
  token: string;
  project: string;
  version?: string;
  format: string;
  out: string;
  media?: "url" | "include";
  force?: boolean;
  quiet?: boolean;
  /** Where progress and notes go (default process.stderr). */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  attempts?: number;
  backoffMs?: number;
  idleTimeoutMs?: number;
  /** Longest wait for a version that is still building (default 10 minutes). */
  waitMs?: number;
  /** Poll interval while a version builds (default 2 s). */
  pollMs?: number;
}

/** The version manifest as `GET /api/v1/projects/:id/versions/:v` returns it (fields pull uses). */
interface ManifestJson {
  number: number;
  name: string;
  status?: string;
  createdAt: string;
  schemaVersion: number;
  filter: VersionFilter;
  split: VersionSplit | null;
  sha256: string;
  counts?: Record<string, number>;
  project: { id: number; name: string; dataType: string };
  items: ManifestItem[];
}

export const DATASET_FILE = "loupe.dataset.json";
const TMP_DIR = ".loupe-tmp";

export interface DatasetFile {
  loupe: "dataset-pull/1";
  url: string;
  project: { id: number; name: string; dataType: string };
  version: { number: number; name: string; createdAt: string; sha256: string; tasks?: number; annotations?: number };
  format: string;
  media: string;
  archive: { sha256: string; size: number; etag: string | null };
  pulledAt: string;
  /** DVC-style summary of the directory (md5 computed the way DVC hashes a directory). */
  outs: Array<{ path: string; md5: string; size: number; nfiles: number; hash: "md5" }>;
  files: Array<{ path: string; md5: string; size: number }>;
}

/** Recomputes the version's content hash from the manifest the API returned. */
export function verifyManifest(m: ManifestJson): string {
  const got = manifestHash({ projectId: m.project.id, schemaVersion: m.schemaVersion, filter: m.filter, split: m.split ?? null, items: m.items });
  return got;
}

/** Python's json.dumps string (ensure_ascii): non-ASCII as \\uXXXX UTF-16 escapes. */
const pyJsonString = (v: string): string => JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

/** Path order of DVC's tree listing: by the tuple of path segments, not the whole string. */
function bySegments(a: string, b: string): number {
  const x = a.split("/"), y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * DVC's directory hash (best effort, as dvc-data computes it): md5 of
 * `json.dumps([{"md5", "relpath"}...], sort_keys=True)` over the files in path-segment order, plus ".dir".
 */
export function dvcDirMd5(files: Array<{ path: string; md5: string }>): string {
  const sorted = [...files].sort((a, b) => bySegments(a.path, b.path));
  const json = "[" + sorted.map((f) => `{"md5": ${pyJsonString(f.md5)}, "relpath": ${pyJsonString(f.path)}}`).join(", ") + "]";
  return createHash("md5").update(json).digest("hex") + ".dir";
}

async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  await pipeline(fs.createReadStream(file), h);
  return h.digest("hex");
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const u = ["KB", "MB", "GB", "TB"];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < u.length - 1) (v /= 1024), i++;
  return `${v.toFixed(1)} ${u[i]}`;
}

function readPrevious(dir: string): DatasetFile | null {
  try {
    const j = JSON.parse(fs.readFileSync(path.join(dir, DATASET_FILE), "utf8")) as DatasetFile;
    return j && j.loupe === "dataset-pull/1" && Array.isArray(j.files) ? j : null;
  } catch {
    return null;
  }
}

/** A directory we may write into: missing, empty, a previous pull, or only our own temp files. */
function checkOutDir(dir: string, force: boolean): DatasetFile | null {
  if (!fs.existsSync(dir)) return null;
  if (!fs.statSync(dir).isDirectory()) throw new PullError(`--out ${dir} exists and is not a directory`, 2);
  const prev = readPrevious(dir);
  const foreign = fs.readdirSync(dir).filter((n) => !n.startsWith(".loupe-"));
  if (!prev && foreign.length > 0 && !force) {
    throw new PullError(`--out ${dir} is not empty and holds no previous pull (${DATASET_FILE}); give an empty directory or --force`, 2);
  }
  return prev;
}

function removeEmptyParents(root: string, file: string): void {
  let d = path.dirname(file);
  while (d.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}

/** Moves the unpacked tree into `dir`, removing the previous pull's files first. */
function placeFiles(dir: string, tmp: string, prev: DatasetFile | null): void {
  const root = path.resolve(dir);
  if (prev) {
    for (const f of prev.files) {
      const p = path.resolve(root, f.path);
      if (!p.startsWith(root + path.sep)) continue; // a hand-edited manifest cannot make us delete elsewhere
      fs.rmSync(p, { force: true });
      removeEmptyParents(root, p);
    }
  }
  moveInto(tmp, root);
  fs.rmSync(tmp, { recursive: true, force: true });
}

/**
 * Moves every entry of `from` into `to`: directories merge (files someone added inside them stay),
 * a file replaces what has its name (only reachable with --force or after a previous pull).
 */
function moveInto(from: string, to: string): void {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name), dest = path.join(to, e.name);
    const there = fs.lstatSync(dest, { throwIfNoEntry: false });
    if (!there) fs.renameSync(src, dest);
    else if (e.isDirectory() && there.isDirectory()) moveInto(src, dest);
    else {
      fs.rmSync(dest, { recursive: true, force: true });
      fs.renameSync(src, dest);
    }
  }
}

export interface PullResult {
  dataset: DatasetFile;
  upToDate: boolean;
  bytes: number;
  resumedFrom: number;
  requests: number;
  seconds: number;
  /** Seconds per phase: manifest (fetch + hash check), download, verify (sha256), unpack (incl. md5s). */
  phases: { manifest: number; download: number; verify: number; unpack: number };
}

export async function pull(o: PullOptions): Promise<PullResult> {
  const t0 = Date.now();
  const err = o.stderr ?? process.stderr;
  const log = (s: string) => { if (!o.quiet) err.write(s + "\n"); };
  let base: URL;
  try {
    base = new URL(o.url);
    if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw new PullError(`--url must be an http(s) URL, got ${JSON.stringify(o.url)}`, 2);
  }
  if (!/^[1-9]\d*$/.test(o.project)) throw new PullError("--project must be a project id (a positive integer)", 2);
  const version = o.version ?? "latest";
  if (version !== "latest" && !/^[1-9]\d*$/.test(version)) throw new PullError('--version must be a version number or "latest"', 2);
  if (!/^[a-z0-9_-]{1,40}$/i.test(o.format)) throw new PullError("--format must be a format name such as native, coco, yolo", 2);
  const media = o.media ?? "url";
  if (media !== "url" && media !== "include") throw new PullError('--media must be "url" or "include"', 2);
  const http = { token: o.token, attempts: o.attempts, backoffMs: o.backoffMs, idleTimeoutMs: o.idleTimeoutMs, log };
  const api = (p: string) => new URL(`${base.pathname.replace(/\/$/, "")}/api/v1/projects/${o.project}/${p}`, base).toString();

  const dir = path.resolve(o.out);
  const prev = checkOutDir(dir, !!o.force);

  // 1. The manifest, and its content hash recomputed here.
  let tp = Date.now();
  const lap = () => { const n = Date.now(), d = (n - tp) / 1000; tp = n; return d; };
  let m = await getJson<ManifestJson>(api(`versions/${version}`), `version ${version} of project ${o.project}`, http);
  const deadline = Date.now() + (o.waitMs ?? 600_000);
  while (m.status && m.status !== "ready") {
    if (m.status === "failed") throw new PullError(`version ${m.number} failed to build; nothing to pull`);
    if (Date.now() > deadline) throw new PullError(`version ${m.number} is still ${m.status}; try again later`);
    log(`version ${m.number} is ${m.status}; waiting…`);
    await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
    m = await getJson<ManifestJson>(api(`versions/${m.number}`), `version ${m.number}`, http);
  }
  const recomputed = verifyManifest(m);
  if (recomputed !== m.sha256) {
    throw new PullError(`version ${m.number}: manifest hash mismatch (server says ${m.sha256}, manifest hashes to ${recomputed}); refusing to pull`);
  }
  const phManifest = lap();
  log(`project ${m.project.id} "${m.project.name}", version ${m.number} "${m.name}" (sha256 ${m.sha256.slice(0, 12)}…), format ${o.format}`);

  if (prev && !o.force && prev.version.number === m.number && prev.version.sha256 === m.sha256 && prev.format === o.format && prev.media === media && prev.project.id === m.project.id) {
    log(`${dir} already holds this version; nothing to do (use --force to pull again)`);
    return { dataset: prev, upToDate: true, bytes: 0, resumedFrom: 0, requests: 0, seconds: (Date.now() - t0) / 1000, phases: { manifest: phManifest, download: 0, verify: 0, unpack: 0 } };
  }

  // 2. The archive, resumable.
  fs.mkdirSync(dir, { recursive: true });
  const part = path.join(dir, `.loupe-download-${m.number}-${o.format}${media === "include" ? "-media" : ""}.part`);
  const tty = !!err.isTTY && !o.quiet;
  let lastShown = 0, lastPct = -1;
  const dlStart = Date.now();
  const progress = (got: number, total: number | null) => {
    if (o.quiet) return;
    const now = Date.now();
    const pct = total ? Math.floor((got / total) * 100) : -1;
    if (tty) {
      if (now - lastShown < 100 && got !== total) return;
      lastShown = now;
      const rate = got / Math.max(0.001, (now - dlStart) / 1000);
      err.write(`\r${fmtBytes(got)}${total ? ` / ${fmtBytes(total)}  ${pct}%` : ""}  ${fmtBytes(rate)}/s   `);
    } else if (total && pct >= lastPct + 25) {
      lastPct = pct - (pct % 25);
      err.write(`downloaded ${got}/${total} bytes (${pct}%)\n`);
    }
  };
  const url = api(`versions/${m.number}/export?format=${encodeURIComponent(o.format)}&media=${media}`);
  lap();
  const dl = await downloadResumable(url, part, http, progress);
  const phDownload = lap();
  if (tty) err.write("\n");
  if (dl.resumedFrom > 0) log(`resumed a partial download at byte ${dl.resumedFrom}`);

  // 3. The archive's digest.
  if (!dl.digest) {
    fs.rmSync(part, { force: true });
    throw new PullError("the server sent no archive digest (Repr-Digest); cannot verify the download");
  }
  const actual = await sha256File(part);
  if (actual !== dl.digest) {
    fs.rmSync(part, { force: true });
    fs.rmSync(`${part}.etag`, { force: true });
    throw new PullError(`archive sha256 mismatch: the server states ${dl.digest}, the download is ${actual}; deleted the download, run again`);
  }

  const phVerify = lap();

  // 4. Unpack beside the target, then move into place.
  const tmp = path.join(dir, TMP_DIR);
  fs.rmSync(tmp, { recursive: true, force: true });
  let files: ExtractedFile[];
  try {
    files = await unzipTo(part, tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof UnzipError) {
      fs.rmSync(part, { force: true });
      throw new PullError(`archive rejected: ${e.message}`);
    }
    throw e;
  }
  if (files.some((f) => f.path === DATASET_FILE)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new PullError(`archive contains ${DATASET_FILE}, which pull writes itself; refusing`);
  }
  placeFiles(dir, tmp, prev);
  const archiveSize = fs.statSync(part).size;
  fs.rmSync(part, { force: true });
  fs.rmSync(`${part}.etag`, { force: true });

  // 5. The pull record.
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const total = sorted.reduce((s, f) => s + f.size, 0);
  const dataset: DatasetFile = {
    loupe: "dataset-pull/1",
    url: base.origin + base.pathname.replace(/\/$/, ""),
    project: m.project,
    version: { number: m.number, name: m.name, createdAt: m.createdAt, sha256: m.sha256, tasks: m.counts?.tasks, annotations: m.counts?.annotations },
    format: o.format,
    media,
    archive: { sha256: actual, size: archiveSize, etag: dl.etag },
    pulledAt: new Date().toISOString(),
    outs: [{ path: ".", md5: dvcDirMd5(sorted), size: total, nfiles: sorted.length, hash: "md5" }],
    files: sorted.map((f) => ({ path: f.path, md5: f.md5, size: f.size })),
  };
  const tmpJson = path.join(dir, `.loupe-${process.pid}.json`);
  fs.writeFileSync(tmpJson, JSON.stringify(dataset, null, 2) + "\n");
  fs.renameSync(tmpJson, path.join(dir, DATASET_FILE));
  const seconds = (Date.now() - t0) / 1000;
  return {
    dataset, upToDate: false, bytes: archiveSize, resumedFrom: dl.resumedFrom, requests: dl.requests, seconds,
    phases: { manifest: phManifest, download: phDownload, verify: phVerify, unpack: lap() },
  };
}

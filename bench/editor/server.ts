// Starts Loupe for the editor bench the way `npm start` does (scripts/start.mjs: build when
// sources changed, migrate, `next start`) on a throwaway data dir, and sets up what the bench
// opens: an image project (label "car", polygons), the 4000x3000 JPEG as tasks, and one
// annotation per task with N polygons, all through the REST API with an API token.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { benchDocument } from "./layout";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
export const BENCH_ADMIN = { email: "bench@loupe.local", password: "bench-admin-password" };
// .next is shared with other engineers' builds and e2e runs: a rebuild in the middle of a run
// would swap the chunks under our server, so we hold the same lock they take for its lifetime.
// BENCH_NEXT_LOCK: a worktree with its own .next can use its own lock instead of waiting for others.
const NEXT_LOCK = process.env.BENCH_NEXT_LOCK || "/tmp/loupe-next.lock";

export interface LoupeServer {
  base: string;
  dataDir: string;
  token: string;
  log(): string;
  stop(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startLoupe(opts: { startTimeoutMs?: number; lockWaitS?: number; port?: number } = {}): Promise<LoupeServer> {
  const port = opts.port ?? (await freePort());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-editor-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    LOUPE_DATA_DIR: dataDir,
    LOUPE_DEMO: "0",
    LOUPE_ADMIN_EMAIL: BENCH_ADMIN.email,
    LOUPE_ADMIN_PASSWORD: BENCH_ADMIN.password,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const lockWait = String(opts.lockWaitS ?? 1200);
  let child: ChildProcess;
  let out = "";
  // Detached: its own process group, so stop() ends flock, start.mjs and `next start` together.
  child = spawn("flock", ["-w", lockWait, NEXT_LOCK, process.execPath, path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", stop);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 20 * 60_000);
  let up = false;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(`${base}/login`)).status === 200) {
        up = true;
        break;
      }
    } catch {
      /* not listening yet (or building) */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!up) {
    stop();
    const why = child.exitCode !== null ? `exited with ${child.exitCode}` : "timed out (lock held by another build, or a slow build?)";
    throw new Error(`Loupe server did not start (${why}). Log tail:\n${out.slice(-4000)}`);
  }

  const t = spawnSync(process.execPath, [path.join(root, "bin", "loupe.mjs"), "token", "create", "--email", BENCH_ADMIN.email, "--name", "editor-bench"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  const token = (t.stdout || "").trim().split("\n").pop() ?? "";
  if (t.status !== 0 || !token) {
    stop();
    throw new Error(`loupe token create failed: ${t.stderr || t.stdout}`);
  }
  return { base, dataDir, token, log: () => out, stop };
}

async function api<T>(srv: LoupeServer, method: string, url: string, body?: unknown | FormData): Promise<T> {
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

/** One image project; for each N a task on the same JPEG with an annotation of N polygons. */
export async function setupTasks(srv: LoupeServer, jpeg: string, ns: number[]): Promise<Map<number, number>> {
  const project = await api<{ id: number }>(srv, "POST", "/api/v1/projects", {
    name: "editor bench",
    dataType: "image",
    schema: { labels: [{ name: "car", color: "#e6194b", kinds: ["polygon"] }] },
  });
  const form = new FormData();
  const bytes = fs.readFileSync(jpeg);
  for (const n of ns) form.append("files", new Blob([bytes], { type: "image/jpeg" }), `bench-${n}.jpg`);
  const imp = await api<{ created: number; taskIds: number[] }>(srv, "POST", `/api/v1/projects/${project.id}/import`, form);
  if (imp.created !== ns.length || imp.taskIds.length !== ns.length) throw new Error(`import created ${imp.created} tasks, expected ${ns.length}`);
  const tasks = new Map<number, number>();
  for (let i = 0; i < ns.length; i++) {
    const n = ns[i]!;
    const taskId = imp.taskIds[i]!;
    await api(srv, "POST", `/api/v1/tasks/${taskId}/annotations`, { document: benchDocument(n) });
    tasks.set(n, taskId);
  }
  return tasks;
}

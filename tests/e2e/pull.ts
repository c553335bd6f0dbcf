// `loupe pull` against a running server (E2E_BASE_URL), for the versions e2e and cli-pull.test.ts.
// Tokens are minted the way a person does it: POST /api/v1/tokens from a signed-in session.
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { BASE } from "./browser";
import type { DatasetFile } from "@/cli/pull";

/** An API token from the signed-in page's session; scoped to a project and/or read-only if asked. */
export async function createApiToken(page: Page, opts: { projectId?: number; readOnly?: boolean; name?: string } = {}): Promise<string> {
  const r = await page.request.post("/api/v1/tokens", {
    data: JSON.stringify({ name: opts.name ?? "e2e pull", projectId: opts.projectId, readOnly: opts.readOnly ?? false }),
    headers: { "content-type": "application/json" },
  });
  const j = (await r.json()) as { token?: string; error?: { message: string } };
  if (!r.ok() || !j.token) throw new Error(`token create failed (${r.status()}): ${j.error?.message ?? JSON.stringify(j)}`);
  return j.token;
}

export interface PullRun {
  code: number;
  stdout: string;
  stderr: string;
  /** DIR/loupe.dataset.json when the pull succeeded. */
  dataset: DatasetFile | null;
}

export interface PullArgs {
  token: string;
  project: number | string;
  format: string;
  out: string;
  version?: number | string;
  media?: "url" | "include";
  url?: string;
  /** More flags, e.g. ["--force"]. */
  extra?: string[];
  env?: Record<string, string>;
}

/** Runs `node bin/loupe.mjs pull …` as a separate process (the way a training job would). */
export function runPull(a: PullArgs): Promise<PullRun> {
  const args = [
    path.resolve("bin/loupe.mjs"), "pull", "--url", a.url ?? BASE, "--token", a.token, "--project", String(a.project),
    "--version", String(a.version ?? "latest"), "--format", a.format, "--out", a.out, "--media", a.media ?? "url", ...(a.extra ?? []),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ...a.env }, cwd: process.cwd() });
    let stdout = "", stderr = "";
    p.stdout.on("data", (c) => (stdout += c));
    p.stderr.on("data", (c) => (stderr += c));
    p.on("error", reject);
    p.on("close", (code) => {
      const f = path.join(a.out, "loupe.dataset.json");
      const dataset = code === 0 && fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, "utf8")) as DatasetFile) : null;
      resolve({ code: code ?? -1, stdout, stderr, dataset });
    });
  });
}

/**
 * A forwarding proxy in front of `target` that cuts the connection of the first `times` export
 * downloads after `cutAfter` body bytes (a flaky network). `requests` logs what the client sent.
 */
export async function flakyProxy(target: string, cutAfter: number, times = 1) {
  const requests: Array<{ path: string; range?: string; ifRange?: string; status?: number }> = [];
  let left = times;
  const t = new URL(target);
  const server = http.createServer((req, res) => {
    const entry: (typeof requests)[number] = { path: req.url ?? "", range: req.headers.range, ifRange: req.headers["if-range"] as string | undefined };
    requests.push(entry);
    const up = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host } }, (ur) => {
      entry.status = ur.statusCode;
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      const cut = left > 0 && (req.url ?? "").includes("/export") && ur.statusCode === 200;
      if (cut) left--;
      let sent = 0;
      ur.on("data", (c: Buffer) => {
        if (cut && sent + c.length >= cutAfter) {
          res.write(c.subarray(0, cutAfter - sent), () => req.socket.destroy());
          ur.destroy();
          sent = cutAfter;
          return;
        }
        sent += c.length;
        res.write(c);
      });
      ur.on("end", () => res.end());
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

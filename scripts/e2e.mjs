#!/usr/bin/env node
// End-to-end: start Loupe exactly as the README does (`npm start`: build, migrate, seed the
// demo) on a fresh data dir, then drive Debian's chromium with playwright-core against it.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = process.env.E2E_PORT || "3217";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-e2e-"));
const env = {
  ...process.env,
  PORT: port,
  LOUPE_DATA_DIR: dataDir,
  LOUPE_ADMIN_EMAIL: "admin@e2e.test",
  LOUPE_ADMIN_PASSWORD: "e2e-admin-password",
  NEXT_TELEMETRY_DISABLED: "1",
  // tests/e2e/webhooks.test.ts runs its receiver on 127.0.0.1; loopback is refused unless allowlisted.
  LOUPE_URL_ALLOWLIST: [process.env.LOUPE_URL_ALLOWLIST, "127.0.0.1"].filter(Boolean).join(","),
};

const server = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
let log = "";
server.stdout.on("data", (d) => (log += d));
server.stderr.on("data", (d) => (log += d));
const stop = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
};
process.on("exit", stop);
process.on("SIGINT", () => process.exit(130));

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 15 * 60_000;
let up = false;
while (Date.now() < deadline && server.exitCode === null) {
  try {
    const r = await fetch(`${base}/login`);
    if (r.status === 200) {
      up = true;
      break;
    }
  } catch {}
  await new Promise((r) => setTimeout(r, 1000));
}
if (!up) {
  console.error("[e2e] server did not start:\n" + log.slice(-5000));
  process.exit(1);
}
console.log(`[e2e] Loupe is up on ${base} (data in ${dataDir})`);

const r = spawnSync(path.join(root, "node_modules", ".bin", "vitest"), ["run", "--config", "vitest.e2e.config.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, E2E_BASE_URL: base, E2E_DATA_DIR: dataDir },
});
if (r.status !== 0) console.error("[e2e] server log (tail):\n" + log.slice(-3000));
stop();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(r.status ?? 1);

#!/usr/bin/env node
// `npm start`: build once (again when sources change), migrate + seed, then `next start`.
import { spawnSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function sourceHash() {
  const h = crypto.createHash("sha256");
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = fs.statSync(p);
        h.update(`${p}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of ["app", "components", "lib", "public"]) walk(path.join(root, d));
  for (const f of ["package.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json"]) {
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  return h.digest("hex");
}

// Model + onnxruntime-web wasm files into public/ (idempotent; before hashing public/ for the build).
const models = spawnSync(process.execPath, ["scripts/copy-models.mjs", "--quiet"], { stdio: "inherit", env: process.env });
if (models.status !== 0) process.exit(models.status ?? 1);

const stamp = path.join(root, ".next", "loupe-source-hash");
const hash = sourceHash();
const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash;
if (!built || process.env.LOUPE_REBUILD === "1") {
  console.log("[loupe] building the production bundle (first start or sources changed)…");
  const r = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, hash);
}

const setup = spawnSync(bin("tsx"), ["scripts/setup.ts"], { stdio: "inherit", env: process.env });
if (setup.status !== 0) process.exit(setup.status ?? 1);

if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = "true";
const port = process.env.PORT || "3000";
const server = spawn(bin("next"), ["start", "-p", port], { stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

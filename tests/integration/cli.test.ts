// The operator CLI, run as operators run it: a separate process on LOUPE_DATA_DIR.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

let dir: string;
const loupe = (...args: string[]) =>
  spawnSync(process.execPath, [path.resolve("bin/loupe.mjs"), ...args], {
    env: { ...process.env, LOUPE_DATA_DIR: dir },
    encoding: "utf8",
    cwd: os.tmpdir(), // works from anywhere, like `npx loupe`
  });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-cli-"));
});

describe("loupe CLI", () => {
  it("migrates, creates users and refuses duplicates", () => {
    expect(loupe("migrate").status).toBe(0);
    expect(fs.existsSync(path.join(dir, "loupe.db"))).toBe(true);
    const u = loupe("user", "create", "--email", "Op@Example.com", "--password", "long-password", "--admin");
    expect(u.status).toBe(0);
    expect(u.stdout).toMatch(/op@example.com/);
    const dup = loupe("user", "create", "--email", "op@example.com", "--password", "long-password");
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toMatch(/already exists/);
    const bad = loupe("user", "create", "--email", "nope", "--password", "x");
    expect(bad.status).not.toBe(0);
  }, 60_000);

  it("prints a token alone on stdout", () => {
    const t = loupe("token", "create", "--email", "op@example.com", "--read-only");
    expect(t.status).toBe(0);
    expect(t.stdout.trim()).toMatch(/^loupe_[A-Za-z0-9_-]{40,}$/);
    expect(loupe("token", "create", "--email", "ghost@example.com").status).not.toBe(0);
  }, 60_000);

  it("imports files into a project, reporting failures", async () => {
    process.env.LOUPE_DATA_DIR = dir;
    const { closeDb } = await import("@/lib/db/client");
    const { createProject } = await import("@/lib/server/projects");
    const { getUserByEmail } = await import("@/lib/server/users");
    const user = getUserByEmail("op@example.com")!;
    const p = createProject({ user, via: "session", tokenProjectId: null, readOnly: false }, { name: "cli", dataType: "text" });
    closeDb();
    const ok = loupe("import", "--project", String(p.id), path.resolve("tests/fixtures/text/news.jsonl"));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/created 12 tasks/);
    const bad = path.join(dir, "bad.jsonl");
    fs.writeFileSync(bad, '{"text": "a"}\n{oops\n');
    const r = loupe("import", "--project", String(p.id), bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/bad.jsonl:2/);
  }, 60_000);
});

// The operator CLI: user create, token create, import, migrate, pull (flags in docs/api.md).
import fs from "node:fs";
import path from "node:path";
import { getDb, closeDb } from "../lib/db/client";
import { createUser, firstAdmin, getUserByEmail } from "../lib/server/users";
import { createToken } from "../lib/server/tokens";
import { importFiles } from "../lib/server/import";
import { ApiError } from "../lib/server/errors";
import { config } from "../lib/config";
import type { Actor } from "../lib/auth/actor";
import { pull, PullError } from "./pull";

const USAGE = `usage: loupe <command> [flags]

  user create --email E --password P [--admin] [--name N]
  token create --email E [--project ID] [--read-only] [--name N]
  import --project ID [--email E] FILE...      import media files or task lists (JSON/JSONL/CSV)
  migrate                                       apply database migrations in LOUPE_DATA_DIR
  pull --url U --token T --project P [--version N|latest] --format F --out DIR
       [--media url|include] [--force] [--quiet]
                                                download, verify and unpack a dataset version
                                                (LOUPE_URL and LOUPE_TOKEN stand in for --url, --token)

LOUPE_DATA_DIR (default ./data) selects the database, as for the server.`;

type Flags = { _: string[]; [k: string]: string | boolean | string[] };

export function parseFlags(argv: string[]): Flags {
  const out: Flags = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const [k, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
      const next = argv[i + 1];
      if (inline !== undefined) out[k] = inline;
      else if (next !== undefined && !next.startsWith("--")) (out[k] = next), i++;
      else out[k] = true;
    } else out._.push(a);
  }
  return out;
}

const str = (f: Flags, k: string): string | undefined => (typeof f[k] === "string" ? (f[k] as string) : undefined);

function need(f: Flags, k: string): string {
  const v = str(f, k);
  if (!v) throw new ApiError(400, "missing_flag", `--${k} is required`, k);
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const f = parseFlags(argv);
  const [cmd, sub] = f._;
  try {
    if (!cmd || cmd === "help" || f.help) {
      console.log(USAGE);
      return cmd ? 0 : 2;
    }
    if (cmd === "migrate") {
      getDb();
      console.log(`migrations applied to ${config.dbPath}`);
      return 0;
    }
    if (cmd === "user" && sub === "create") {
      const u = await createUser({ email: need(f, "email"), password: need(f, "password"), name: str(f, "name"), isAdmin: f.admin === true });
      console.log(`created user ${u.id} <${u.email}>${u.isAdmin ? " (admin)" : ""}`);
      return 0;
    }
    if (cmd === "token" && sub === "create") {
      const u = getUserByEmail(need(f, "email"));
      if (!u) throw new ApiError(404, "not_found", `no user with email ${str(f, "email")}`, "email");
      const project = str(f, "project");
      const { token } = createToken(u.id, {
        name: str(f, "name") ?? "cli",
        projectId: project ? Number(project) : undefined,
        readOnly: f["read-only"] === true,
      });
      process.stdout.write(token + "\n");
      return 0;
    }
    if (cmd === "pull") {
      const url = str(f, "url") ?? process.env.LOUPE_URL;
      const token = str(f, "token") ?? process.env.LOUPE_TOKEN;
      if (!url) throw new ApiError(400, "missing_flag", "--url (or LOUPE_URL) is required", "url");
      if (!token) throw new ApiError(400, "missing_flag", "--token (or LOUPE_TOKEN) is required", "token");
      const media = str(f, "media") ?? "url";
      try {
        const r = await pull({
          url, token, project: need(f, "project"), version: str(f, "version") ?? "latest", format: need(f, "format"), out: need(f, "out"),
          media: media as "url" | "include", force: f.force === true, quiet: f.quiet === true,
        });
        const d = r.dataset;
        if (!r.upToDate) {
          const ph = r.phases;
          const mbps = r.bytes / 1e6 / Math.max(ph.download, 0.001);
          console.log(`pulled project ${d.project.id} version ${d.version.number} (${d.format}): ${d.files.length} files, ${r.bytes} bytes in ${r.seconds.toFixed(2)}s (download ${mbps.toFixed(1)} MB/s) into ${path.resolve(need(f, "out"))}`);
          if (!(f.quiet === true)) {
            console.error(`phases: manifest ${ph.manifest.toFixed(2)}s, download ${ph.download.toFixed(2)}s, verify ${ph.verify.toFixed(2)}s, unpack ${ph.unpack.toFixed(2)}s`);
          }
        }
        return 0;
      } catch (e) {
        if (e instanceof PullError) {
          console.error(`error: ${e.message}`);
          return e.exitCode;
        }
        throw e;
      }
    }
    if (cmd === "import") {
      const projectId = Number(need(f, "project"));
      const email = str(f, "email");
      const full = email ? getUserByEmail(email) : firstAdmin();
      if (!full) throw new ApiError(404, "not_found", "no such user (give --email of a project manager)", "email");
      const files = f._.slice(1).map((p) => {
        if (!fs.existsSync(p) || !fs.statSync(p).isFile()) throw new ApiError(404, "not_found", `no such file: ${p}`, "file");
        return { name: path.basename(p), path: p };
      });
      if (!files.length) throw new ApiError(400, "missing_files", "give one or more files to import", "file");
      const actor: Actor = { user: full, via: "session", tokenProjectId: null, readOnly: false };
      const r = await importFiles(actor, projectId, files, (done, total) => process.stderr.write(`\rimporting ${done}/${total} files`));
      process.stderr.write("\n");
      console.log(`created ${r.created} tasks${r.failed.length ? `, ${r.failed.length} failed:` : ""}`);
      for (const x of r.failed) console.log(`  ${x.file ?? ""}${x.line ? `:${x.line}` : ""}  ${x.message}`);
      return r.failed.length && !r.created ? 1 : 0;
    }
    console.error(`unknown command: ${f._.join(" ")}\n\n${USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof ApiError) {
      console.error(`error: ${e.message}`);
      return cmd === "pull" ? 2 : 1;
    }
    throw e;
  } finally {
    closeDb();
  }
}

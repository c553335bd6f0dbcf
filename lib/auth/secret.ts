// The session-signing secret: NEXTAUTH_SECRET if set, else one generated into the data dir.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";

// Read once per data dir: every cookie-authenticated request needs it.
const cache = new Map<string, string>();

export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const dir = config.dataDir;
  let s = cache.get(dir);
  if (!s) {
    s = readOrCreate(path.join(dir, ".auth-secret"));
    cache.set(dir, s);
  }
  return s;
}

function readOrCreate(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const s = crypto.randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, s, { mode: 0o600, flag: "wx" });
      return s;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process won the race
    }
  }
}

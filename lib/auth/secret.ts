// The session-signing secret: NEXTAUTH_SECRET if set, else one generated into the data dir.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";

export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(config.dataDir, ".auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const s = crypto.randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, s, { mode: 0o600, flag: "wx" });
      return s;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process won the race
    }
  }
}

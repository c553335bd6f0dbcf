// Operator settings, read from the environment (see docs/api.md, "Running").
import path from "node:path";

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export const config = {
  get dataDir(): string {
    return path.resolve(/*turbopackIgnore: true*/ process.env.LOUPE_DATA_DIR || "./data");
  },
  get dbPath(): string {
    return path.join(this.dataDir, "loupe.db");
  },
  get mediaDir(): string {
    return path.join(this.dataDir, "media");
  },
  /** Largest single uploaded file, bytes. */
  get maxUploadBytes(): number {
    return int("LOUPE_MAX_UPLOAD_MB", 512) * 1024 * 1024;
  },
  /** Largest task-list file (JSON/JSONL/CSV), bytes. */
  get maxTaskListBytes(): number {
    return int("LOUPE_MAX_TASKLIST_MB", 256) * 1024 * 1024;
  },
  /** Decompression-bomb guard: images above this many pixels are refused. */
  get maxImagePixels(): number {
    return int("LOUPE_MAX_IMAGE_PIXELS", 100_000_000);
  },
  get urlFetchTimeoutMs(): number {
    return int("LOUPE_URL_TIMEOUT_MS", 15_000);
  },
  /** Hosts (exact names or IPs) that URL import may reach even if private. Empty by default. */
  get urlAllowlist(): string[] {
    return (process.env.LOUPE_URL_ALLOWLIST || "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  },
  get sessionMaxAgeSeconds(): number {
    return int("LOUPE_SESSION_MAX_AGE", 8 * 3600);
  },
};

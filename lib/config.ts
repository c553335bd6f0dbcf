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
  /** Largest uploaded model file (.onnx), bytes: LOUPE_MODEL_MAX_BYTES (default 500 MiB). */
  get modelMaxBytes(): number {
    return int("LOUPE_MODEL_MAX_BYTES", 500 * 1024 * 1024);
  },
  /** Bring-your-own model files (content-addressed like media). */
  get modelsDir(): string {
    return path.join(this.dataDir, "models");
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
  /** Hosts (exact names or IPs) that URL import and webhooks may reach even if private. Empty by default. */
  get urlAllowlist(): string[] {
    return (process.env.LOUPE_URL_ALLOWLIST || "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  },
  /** Per-attempt limit for a webhook delivery (connect, send, response). */
  get webhookTimeoutMs(): number {
    return int("LOUPE_WEBHOOK_TIMEOUT_MS", 10_000);
  },
  /** Attempts per delivery before it is marked failed (first try included). */
  get webhookMaxAttempts(): number {
    return int("LOUPE_WEBHOOK_MAX_ATTEMPTS", 6);
  },
  /** First retry delay; later ones are 6x, 30x, 180x, 720x it (10 s, 1 min, 5 min, 30 min, 2 h). */
  get webhookRetryBaseMs(): number {
    return int("LOUPE_WEBHOOK_RETRY_BASE_MS", 10_000);
  },
  /** Deliveries sent at the same time (one per webhook at a time). */
  get webhookConcurrency(): number {
    return int("LOUPE_WEBHOOK_CONCURRENCY", 4);
  },
  /** Finished (succeeded/failed) deliveries older than this many days are deleted from the log. */
  get webhookLogDays(): number {
    return int("LOUPE_WEBHOOK_LOG_DAYS", 30);
  },
  /** Finished deliveries kept per webhook at most (the newest); pending ones are never pruned. */
  get webhookLogKeep(): number {
    return int("LOUPE_WEBHOOK_LOG_KEEP", 1000);
  },
  get sessionMaxAgeSeconds(): number {
    return int("LOUPE_SESSION_MAX_AGE", 8 * 3600);
  },
};

// Pure pieces of webhook delivery: the signature receivers verify and the retry schedule.
// No I/O here, so both are unit-tested exactly (tests/unit/webhook-signing.test.ts).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const WEBHOOK_EVENTS = ["version.created", "annotation.submitted", "task.reviewed", "ping"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the X-Loupe-Signature header. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** What a receiver does (docs/api.md has the same in a snippet): constant-time compare, bounded clock skew. */
export function verifySignature(
  secret: string,
  header: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  opts: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const ts = Number(header.timestamp);
  if (!header.signature || !Number.isInteger(ts)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const want = Buffer.from(signPayload(secret, ts, body));
  const got = Buffer.from(header.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Multiples of the base delay: 10 s, 1 min, 5 min, 30 min, 2 h with the default 10 s base. */
export const BACKOFF_FACTORS = [1, 6, 30, 180, 720] as const;

/**
 * Delay before the next try after `attempts` failed attempts (1 = the first try failed), or null
 * when no attempt is left. Past the table the last step repeats.
 */
export function retryDelayMs(attempts: number, maxAttempts: number, baseMs: number): number | null {
  if (attempts >= maxAttempts) return null;
  const i = Math.min(Math.max(attempts, 1), BACKOFF_FACTORS.length) - 1;
  return baseMs * BACKOFF_FACTORS[i]!;
}

export function newWebhookSecret(): string {
  return "whsec_" + randomBytes(24).toString("base64url");
}

/** What the UI shows after creation: enough to tell secrets apart, never enough to sign. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, secret.startsWith("whsec_") ? 10 : 4) + "…";
}

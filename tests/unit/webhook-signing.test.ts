import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BACKOFF_FACTORS, newWebhookSecret, retryDelayMs, secretPrefix, signPayload, verifySignature } from "@/lib/server/webhook-signing";

describe("webhook signatures", () => {
  const body = '{"id":"e1","event":"ping"}';

  it("is HMAC-SHA256 over '<timestamp>.<body>' in hex, prefixed sha256=", () => {
    const want = createHmac("sha256", "s3cret-s3cret-s3cret").update(`1700000000.${body}`).digest("hex");
    expect(signPayload("s3cret-s3cret-s3cret", 1700000000, body)).toBe(`sha256=${want}`);
    // A known vector, so a change of algorithm or layout cannot slip through.
    expect(signPayload("key", 1, "{}")).toBe("sha256=" + createHmac("sha256", "key").update("1.{}").digest("hex"));
  });

  it("verifies its own signatures and rejects tampering, other secrets, and stale timestamps", () => {
    const ts = 1_700_000_000;
    const sig = signPayload("k".repeat(20), ts, body);
    const ok = (s: string, t: number, b: string, now = ts) => verifySignature(s, { signature: sig, timestamp: String(t) }, b, { nowSeconds: now });
    expect(ok("k".repeat(20), ts, body)).toBe(true);
    expect(ok("k".repeat(20), ts, body.replace("ping", "pong"))).toBe(false);
    expect(ok("x".repeat(20), ts, body)).toBe(false);
    expect(ok("k".repeat(20), ts + 1, body, ts + 1)).toBe(false); // timestamp is part of what is signed
    expect(ok("k".repeat(20), ts, body, ts + 301)).toBe(false); // replay window
    expect(verifySignature("k".repeat(20), { signature: undefined, timestamp: String(ts) }, body, { nowSeconds: ts })).toBe(false);
  });

  it("makes random secrets and shows only a prefix", () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(secretPrefix(a)).toBe(a.slice(0, 10) + "…");
    expect(secretPrefix("my-own-secret-value")).toBe("my-o…");
  });
});

describe("retry schedule", () => {
  it("backs off 10 s, 1 min, 5 min, 30 min, 2 h with the default base", () => {
    const base = 10_000;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 6, base))).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
  });
  it("stops after maxAttempts and repeats the last step past the table", () => {
    expect(retryDelayMs(6, 6, 10_000)).toBeNull();
    expect(retryDelayMs(3, 3, 10)).toBeNull();
    expect(retryDelayMs(1, 1, 10)).toBeNull();
    expect(retryDelayMs(9, 20, 10)).toBe(10 * BACKOFF_FACTORS[BACKOFF_FACTORS.length - 1]!);
  });
  it("scales with the base delay (tests use a few ms)", () => {
    expect(retryDelayMs(1, 5, 5)).toBe(5);
    expect(retryDelayMs(2, 5, 5)).toBe(30);
  });
});

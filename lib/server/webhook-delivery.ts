// The in-process sender: sends due webhook deliveries, records every attempt on its row, and
// reschedules failures with backoff (docs/adr/0009-webhooks.md). Emitting an event only inserts
// rows and calls kickDeliveries(); nothing here is awaited by the request that triggered it.
//
// Safety: the target's host is re-resolved and vetted on every attempt and the socket connects
// only to the vetted addresses (pinnedLookup), redirects are not followed, the response body is
// read up to a cap, and every attempt has a timeout. At most one attempt per webhook runs at a
// time, so a hanging target holds one of the slots, never all of them.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net from "node:net";
import { and, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { webhookDeliveries, webhooks, type Webhook, type WebhookDelivery } from "../db/schema";
import { config } from "../config";
import { ApiError } from "./errors";
import { parseFetchUrl, pinnedLookup, resolveAllowed } from "./url-fetch";
import { retryDelayMs, signPayload } from "./webhook-signing";

/** Bytes of a response read at most (then the socket is dropped) and kept in the log. */
export const RESPONSE_READ_CAP = 64 * 1024;
export const RESPONSE_KEEP = 1024;

export interface AttemptResult {
  ok: boolean;
  /** No later attempt can succeed (the target is refused by the SSRF rules). */
  permanent: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

interface SenderState {
  started: boolean;
  running: number;
  inFlight: Set<number>;
  busyHooks: Set<number>;
  timer: NodeJS.Timeout | null;
  timerAt: number;
  pumping: boolean;
  /** When pruneDeliveries last ran in this process (0: not yet). */
  prunedAt: number;
}

// On globalThis: Next may bundle this module into several route chunks; there must be one loop.
const g = globalThis as unknown as { __loupeWebhookSender?: SenderState };
function state(): SenderState {
  g.__loupeWebhookSender ??= { started: false, running: 0, inFlight: new Set(), busyHooks: new Set(), timer: null, timerAt: 0, pumping: false, prunedAt: 0 };
  return g.__loupeWebhookSender;
}

const shorten = (s: string, n = 500) => (s.length > n ? s.slice(0, n) + "…" : s);

/** POSTs `body` to `url` once. Never throws: every outcome is an AttemptResult. */
export async function sendOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; allowlist: readonly string[] },
): Promise<AttemptResult> {
  const t0 = Date.now();
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error("timeout")), opts.timeoutMs);
  const done = (r: Omit<AttemptResult, "durationMs">): AttemptResult => ({ ...r, durationMs: Date.now() - t0 });
  let res: IncomingMessage | undefined;
  try {
    let u: URL;
    let addresses;
    try {
      u = parseFetchUrl(url, "url");
      addresses = await resolveAllowed(u, { allowlist: opts.allowlist, field: "url", signal: ctl.signal });
    } catch (e) {
      if (ctl.signal.aborted) throw e;
      if (e instanceof ApiError) {
        const permanent = e.code === "blocked_url" || e.code === "invalid_url";
        return done({ ok: false, permanent, status: null, error: permanent ? `Refused: ${e.message}` : e.message });
      }
      throw e;
    }
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const mod = u.protocol === "https:" ? https : http;
    res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = mod.request({
        protocol: u.protocol,
        hostname: host,
        port: u.port || (u.protocol === "https:" ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: "POST",
        headers: { ...headers, host: u.host, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        agent: false,
        signal: ctl.signal,
        ...(u.protocol === "https:" && net.isIP(host) === 0 ? { servername: host } : {}),
      });
      req.on("response", resolve);
      req.on("error", reject);
      req.end(body);
    });
    const status = res.statusCode ?? 0;
    // Read a bounded amount: enough to log what the receiver said, never its whole reply.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= RESPONSE_READ_CAP) break;
    }
    const text = Buffer.concat(chunks).subarray(0, RESPONSE_KEEP).toString("utf8").trim();
    if (status >= 200 && status < 300) return done({ ok: true, permanent: false, status, error: null });
    // 3xx included: redirects are not followed, the receiver must answer at the registered URL.
    return done({ ok: false, permanent: false, status, error: `HTTP ${status}${text ? `: ${text}` : ""}` });
  } catch (e) {
    if (ctl.signal.aborted) return done({ ok: false, permanent: false, status: null, error: `Timed out after ${opts.timeoutMs} ms.` });
    const err = e as NodeJS.ErrnoException;
    return done({ ok: false, permanent: false, status: null, error: shorten(`Could not deliver: ${err.code ?? err.message}`) });
  } finally {
    clearTimeout(timer);
    res?.destroy();
  }
}

export function deliveryHeaders(d: Pick<WebhookDelivery, "id" | "event" | "payload">, secret: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "Loupe-Webhooks/1",
    "x-loupe-event": d.event,
    "x-loupe-delivery": String(d.id),
    "x-loupe-timestamp": String(ts),
    "x-loupe-signature": signPayload(secret, ts, d.payload),
  };
}

/** One attempt at one delivery, recorded on its row. */
async function attempt(d: WebhookDelivery, hook: Webhook): Promise<void> {
  const r = await sendOnce(hook.url, deliveryHeaders(d, hook.secret), d.payload, {
    timeoutMs: config.webhookTimeoutMs,
    allowlist: config.urlAllowlist,
  });
  const attempts = d.attempts + 1;
  const delay = r.ok || r.permanent ? null : retryDelayMs(attempts, config.webhookMaxAttempts, config.webhookRetryBaseMs);
  const now = Date.now();
  getDb()
    .update(webhookDeliveries)
    .set({
      attempts,
      status: r.ok ? "succeeded" : delay === null ? "failed" : "pending",
      nextAttemptAt: delay === null ? null : now + delay,
      responseStatus: r.status,
      error: r.error,
      durationMs: r.durationMs,
      updatedAt: now,
    })
    .where(eq(webhookDeliveries.id, d.id))
    .run();
}

/**
 * Claims a due row: moves its next_attempt_at past this attempt's timeout, so a second process
 * (or a restart mid-attempt) does not send it again until this attempt had its chance.
 */
function claim(id: number, now: number): boolean {
  const lease = now + config.webhookTimeoutMs + 30_000;
  const r = getDb()
    .update(webhookDeliveries)
    .set({ nextAttemptAt: lease })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .run();
  return r.changes === 1;
}

/** The loop prunes the log at most this often. */
export const PRUNE_EVERY_MS = 5 * 60_000;

/**
 * Keeps the delivery log bounded: deletes finished (succeeded/failed) deliveries older than
 * `maxAgeMs`, and per webhook all but the newest `keep` finished ones. Pending deliveries (first
 * try or waiting for a retry) are never deleted. One transaction; the per-webhook cut uses the
 * (webhook_id, id) index, the age cut the (status, next_attempt_at) one. Returns rows deleted.
 */
export function pruneDeliveries(
  opts: { now?: number; maxAgeMs?: number; keep?: number } = {},
): number {
  const now = opts.now ?? Date.now();
  const maxAgeMs = opts.maxAgeMs ?? config.webhookLogDays * 86_400_000;
  const keep = Math.max(1, opts.keep ?? config.webhookLogKeep);
  const finished = inArray(webhookDeliveries.status, ["succeeded", "failed"]);
  return getDb().transaction((tx) => {
    let n = tx.delete(webhookDeliveries).where(and(finished, lt(webhookDeliveries.createdAt, now - maxAgeMs))).run().changes;
    for (const { id } of tx.select({ id: webhooks.id }).from(webhooks).all()) {
      // The keep-th newest finished delivery; everything finished and older than it goes.
      const nth = tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.webhookId, id), finished))
        .orderBy(desc(webhookDeliveries.id))
        .limit(1)
        .offset(keep - 1)
        .get();
      if (!nth) continue;
      n += tx
        .delete(webhookDeliveries)
        .where(and(eq(webhookDeliveries.webhookId, id), finished, lt(webhookDeliveries.id, nth.id)))
        .run().changes;
    }
    return n;
  });
}

function maybePrune(now: number): void {
  const s = state();
  if (s.prunedAt && now - s.prunedAt < PRUNE_EVERY_MS) return;
  s.prunedAt = now;
  try {
    pruneDeliveries({ now });
  } catch (e) {
    console.error("[loupe] webhook log prune:", (e as Error).message);
  }
}

function pump(): void {
  const s = state();
  if (s.pumping) return;
  s.pumping = true;
  try {
    maybePrune(Date.now());
    const limit = config.webhookConcurrency;
    const now = Date.now();
    if (s.running < limit) {
      const due = getDb()
        .select({ d: webhookDeliveries, h: webhooks })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now), eq(webhooks.active, true)))
        .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.id)
        .limit(200)
        .all();
      for (const { d, h } of due) {
        if (s.running >= limit) break;
        if (s.inFlight.has(d.id) || s.busyHooks.has(h.id)) continue;
        if (!claim(d.id, now)) continue;
        s.running++;
        s.inFlight.add(d.id);
        s.busyHooks.add(h.id);
        void attempt(d, h)
          .catch((e) => console.error("[loupe] webhook delivery", d.id, "failed to record:", e))
          .finally(() => {
            s.running--;
            s.inFlight.delete(d.id);
            s.busyHooks.delete(h.id);
            setImmediate(pump);
          });
      }
    }
    scheduleNext(now);
  } catch (e) {
    // A closed or swapped database (tests) must not crash the process; the next kick retries.
    console.error("[loupe] webhook sender:", (e as Error).message);
  } finally {
    s.pumping = false;
  }
}

/** Wakes the loop when the earliest pending delivery (of an active webhook) becomes due. */
function scheduleNext(now: number): void {
  const s = state();
  const row = getDb()
    .select({ at: sql<number | null>`min(${webhookDeliveries.nextAttemptAt})` })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(and(eq(webhookDeliveries.status, "pending"), eq(webhooks.active, true)))
    .get();
  const at = row?.at ?? null;
  if (at === null) {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    return;
  }
  // Rows in flight hold a lease in the future; waking at it is harmless (nothing is due yet).
  const wake = Math.max(at, now + 5);
  if (s.timer && s.timerAt <= wake) return;
  if (s.timer) clearTimeout(s.timer);
  s.timerAt = wake;
  s.timer = setTimeout(() => {
    s.timer = null;
    pump();
  }, Math.min(wake - now, 60_000));
  s.timer.unref();
}

/** Starts the loop if needed and looks for due work now. Cheap; call after inserting deliveries. */
export function kickDeliveries(): void {
  const s = state();
  s.started = true;
  setImmediate(pump);
}

/** Kicks only the first time in this process: how pending rows from before a restart get picked up. */
export function ensureSenderStarted(): void {
  if (!state().started) kickDeliveries();
}

/** For tests that switch databases: forget timers and in-flight bookkeeping. */
export function resetSender(): void {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  g.__loupeWebhookSender = undefined;
}

// Webhooks: managers register URLs for project events; emitting an event inserts one delivery
// row per matching webhook and wakes the sender (webhook-delivery.ts). Nothing here waits on
// the network except registration's DNS check. docs/adr/0009-webhooks.md, docs/api.md "Webhooks".
import { randomUUID } from "node:crypto";
import net from "node:net";
import { z } from "zod";
import { and, count, desc, eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { projects, webhookDeliveries, webhooks, type Webhook, type WebhookDelivery } from "../db/schema";
import { config } from "../config";
import type { Actor } from "../auth/actor";
import { parseOr422 } from "../validation";
import { accessProject } from "./access";
import { audit } from "./audit";
import { ApiError, conflict, invalid, notFound } from "./errors";
import { forbiddenReason, normalizeIp } from "./ip-ranges";
import { parseFetchUrl, resolveAllowed } from "./url-fetch";
import { ensureSenderStarted, kickDeliveries } from "./webhook-delivery";
import { WEBHOOK_EVENTS, newWebhookSecret, secretPrefix, type WebhookEvent } from "./webhook-signing";

export { WEBHOOK_EVENTS, type WebhookEvent };

const MAX_WEBHOOKS_PER_PROJECT = 20;
/** How long registration waits for DNS before accepting the URL (delivery checks again anyway). */
const REGISTER_DNS_TIMEOUT_MS = 3000;

const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }))
  .min(1, "choose at least one event")
  .transform((a) => [...new Set(a)]);

const secretSchema = z
  .string()
  .min(16, "must be at least 16 characters")
  .max(256, "must be at most 256 characters")
  .refine((s) => !/[\s\u0000-\u001f\u007f]/.test(s), "must not contain spaces or control characters");

const createSchema = z.object({
  url: z.string().trim().min(1, "enter a URL").max(2048, "must be at most 2048 characters"),
  events: eventsSchema,
  secret: secretSchema.optional(),
  description: z.string().trim().max(500, "must be at most 500 characters").optional(),
  active: z.boolean().optional(),
});

const updateSchema = z
  .object({
    url: createSchema.shape.url.optional(),
    events: eventsSchema.optional(),
    active: z.boolean().optional(),
    description: createSchema.shape.description,
    secret: secretSchema.optional(),
    /** true: replace the secret with a new random one, returned once in this response. */
    rotateSecret: z.boolean().optional(),
  })
  .strict();

export interface WebhookOut {
  id: number;
  projectId: number;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  description: string;
  secretPrefix: string;
  createdAt: string;
  createdBy: number | null;
  lastDelivery: { id: number; event: string; status: string; attempts: number; responseStatus: number | null; at: string } | null;
}

export interface DeliveryOut {
  id: number;
  webhookId: number;
  event: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  payload: unknown;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function deliveryOut(d: WebhookDelivery): DeliveryOut {
  let payload: unknown = null;
  try {
    payload = JSON.parse(d.payload);
  } catch {
    payload = d.payload;
  }
  return {
    id: d.id, webhookId: d.webhookId, event: d.event, status: d.status, attempts: d.attempts, responseStatus: d.responseStatus,
    error: d.error, durationMs: d.durationMs, nextAttemptAt: iso(d.nextAttemptAt), createdAt: iso(d.createdAt)!, updatedAt: iso(d.updatedAt)!, payload,
  };
}

function webhookOut(w: Webhook, last?: WebhookDelivery): WebhookOut {
  return {
    id: w.id, projectId: w.projectId, url: w.url, events: w.events as WebhookEvent[], active: w.active, description: w.description,
    secretPrefix: secretPrefix(w.secret), createdAt: iso(w.createdAt)!, createdBy: w.createdBy,
    lastDelivery: last ? { id: last.id, event: last.event, status: last.status, attempts: last.attempts, responseStatus: last.responseStatus, at: iso(last.updatedAt)! } : null,
  };
}

/**
 * Registration-time SSRF check: http(s) only, no credentials, and a host that is (or resolves
 * to) a public address unless it is on the allowlist. Names that do not resolve yet are accepted;
 * every delivery resolves and checks again before connecting.
 */
export async function checkTargetUrl(raw: string, allowlist: readonly string[] = config.urlAllowlist): Promise<string> {
  const u = parseFetchUrl(raw, "url");
  const host = normalizeIp(u.hostname.toLowerCase()).replace(/\.$/, "");
  const allowed = allowlist.some((a) => normalizeIp(a.toLowerCase()).replace(/\.$/, "") === host);
  if (allowed) return u.href;
  if (net.isIP(host)) {
    const why = forbiddenReason(host);
    if (why) throw invalid(`Webhooks cannot target a ${why} address.`, "url", "blocked_url");
    return u.href;
  }
  if (host === "localhost" || host.endsWith(".localhost")) throw invalid("Webhooks cannot target a loopback address.", "url", "blocked_url");
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error("dns timeout")), REGISTER_DNS_TIMEOUT_MS);
  try {
    await resolveAllowed(u, { allowlist, field: "url", signal: ctl.signal });
  } catch (e) {
    if (e instanceof ApiError && e.code === "blocked_url") throw invalid(`Webhooks cannot target that host: ${e.message}`, "url", "blocked_url");
    // Unresolvable or slow DNS: accepted; the delivery log will show why sending fails.
  } finally {
    clearTimeout(timer);
  }
  return u.href;
}

function hookIn(projectId: number, webhookId: number): Webhook {
  const w = getDb().select().from(webhooks).where(and(eq(webhooks.id, webhookId), eq(webhooks.projectId, projectId))).get();
  if (!w) throw notFound("Webhook");
  return w;
}

function lastDeliveries(ids: number[]): Map<number, WebhookDelivery> {
  const out = new Map<number, WebhookDelivery>();
  if (ids.length === 0) return out;
  const db = getDb();
  for (const id of ids) {
    const d = db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).orderBy(desc(webhookDeliveries.id)).limit(1).get();
    if (d) out.set(id, d);
  }
  return out;
}

/** Without an access check: for server components that already checked webhooks.manage. */
export function webhooksOfProject(projectId: number): WebhookOut[] {
  kickDeliveries(); // lazily start the sender: pending rows from before a restart go out
  const rows = getDb().select().from(webhooks).where(eq(webhooks.projectId, projectId)).orderBy(webhooks.id).all();
  const last = lastDeliveries(rows.map((r) => r.id));
  return rows.map((r) => webhookOut(r, last.get(r.id)));
}

export function listWebhooks(actor: Actor, projectId: number): WebhookOut[] {
  const { project } = accessProject(actor, projectId, "webhooks.manage");
  return webhooksOfProject(project.id);
}

export function getWebhook(actor: Actor, projectId: number, webhookId: number): WebhookOut {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  return webhookOut(w, lastDeliveries([w.id]).get(w.id));
}

export async function createWebhook(actor: Actor, projectId: number, body: unknown): Promise<WebhookOut & { secret: string }> {
  const { project } = accessProject(actor, projectId, "webhooks.manage");
  const v = parseOr422(createSchema, body);
  const url = await checkTargetUrl(v.url);
  const n = getDb().select({ n: count() }).from(webhooks).where(eq(webhooks.projectId, project.id)).get()?.n ?? 0;
  if (n >= MAX_WEBHOOKS_PER_PROJECT) throw invalid(`A project can have at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks.`, "url", "too_many");
  const secret = v.secret ?? newWebhookSecret();
  const w = getDb()
    .insert(webhooks)
    .values({ projectId: project.id, url, secret, events: v.events, active: v.active ?? true, description: v.description ?? "", createdBy: actor.user.id })
    .returning()
    .get();
  audit({ userId: actor.user.id, projectId: project.id, action: "webhook.create", targetType: "webhook", targetId: w.id, details: { url, events: v.events } });
  return { ...webhookOut(w), secret };
}

export async function updateWebhook(actor: Actor, projectId: number, webhookId: number, body: unknown): Promise<WebhookOut & { secret?: string }> {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  const v = parseOr422(updateSchema, body);
  if (v.secret && v.rotateSecret) throw invalid("Send either secret or rotateSecret, not both.", "rotateSecret");
  const url = v.url !== undefined ? await checkTargetUrl(v.url) : undefined;
  const secret = v.rotateSecret ? newWebhookSecret() : v.secret;
  const next = getDb()
    .update(webhooks)
    .set({
      ...(url !== undefined ? { url } : {}),
      ...(v.events ? { events: v.events } : {}),
      ...(v.active !== undefined ? { active: v.active } : {}),
      ...(v.description !== undefined ? { description: v.description } : {}),
      ...(secret ? { secret } : {}),
    })
    .where(eq(webhooks.id, w.id))
    .returning()
    .get();
  audit({ userId: actor.user.id, projectId, action: "webhook.update", targetType: "webhook", targetId: w.id, details: { fields: Object.keys(v) } });
  // Re-activating releases deliveries that waited while it was off.
  if (v.active) kickDeliveries();
  const out = webhookOut(next, lastDeliveries([w.id]).get(w.id));
  return v.rotateSecret && secret ? { ...out, secret } : out;
}

export function deleteWebhook(actor: Actor, projectId: number, webhookId: number): void {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  getDb().delete(webhooks).where(eq(webhooks.id, w.id)).run(); // deliveries cascade
  audit({ userId: actor.user.id, projectId, action: "webhook.delete", targetType: "webhook", targetId: w.id, details: { url: w.url } });
}

export function listDeliveries(actor: Actor, projectId: number, webhookId: number, page: { page: number; limit: number }): { items: DeliveryOut[]; total: number } {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  kickDeliveries();
  const db = getDb();
  const items = db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, w.id))
    .orderBy(desc(webhookDeliveries.id))
    .limit(page.limit)
    .offset((page.page - 1) * page.limit)
    .all();
  const total = db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, w.id)).get()?.n ?? 0;
  return { items: items.map(deliveryOut), total };
}

export function getDelivery(actor: Actor, projectId: number, webhookId: number, deliveryId: number): DeliveryOut {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  const d = getDb().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, w.id))).get();
  if (!d) throw notFound("Delivery");
  return deliveryOut(d);
}

/** The JSON body every delivery carries; `id` identifies the event (the same across redeliveries). */
export function eventPayload(project: { id: number; name: string }, event: WebhookEvent, data: Record<string, unknown>, at = Date.now()): string {
  return JSON.stringify({ id: randomUUID(), event, createdAt: new Date(at).toISOString(), project: { id: project.id, name: project.name }, data });
}

function insertDelivery(webhookId: number, event: string, payload: string): WebhookDelivery {
  const now = Date.now();
  return getDb().insert(webhookDeliveries).values({ webhookId, event, payload, status: "pending", nextAttemptAt: now, createdAt: now, updatedAt: now }).returning().get();
}

function requireActive(w: Webhook): void {
  if (!w.active) throw conflict("This webhook is paused; turn it on first.");
}

/** Queues a "ping" to one webhook (the Settings "Send test ping" button). */
export function sendTestPing(actor: Actor, projectId: number, webhookId: number): DeliveryOut {
  const { project } = accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  requireActive(w);
  const payload = eventPayload(project, "ping", { webhookId: w.id, url: w.url, events: w.events, triggeredBy: actor.user.id });
  const d = insertDelivery(w.id, "ping", payload);
  kickDeliveries();
  return deliveryOut(d);
}

/** Sends a past delivery's exact payload again, as a new delivery row (the log keeps both). */
export function redeliver(actor: Actor, projectId: number, webhookId: number, deliveryId: number): DeliveryOut {
  accessProject(actor, projectId, "webhooks.manage");
  const w = hookIn(projectId, webhookId);
  const old = getDb().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, w.id))).get();
  if (!old) throw notFound("Delivery");
  requireActive(w);
  const d = insertDelivery(w.id, old.event, old.payload);
  audit({ userId: actor.user.id, projectId, action: "webhook.redeliver", targetType: "webhook_delivery", targetId: d.id, details: { from: old.id } });
  kickDeliveries();
  return deliveryOut(d);
}

/**
 * Queues `event` for every active webhook of the project that subscribes to it. Synchronous and
 * cheap (a few inserts); never throws, so a webhook problem cannot fail the write that caused it.
 * Called inside the caller's transaction (same connection: it becomes a savepoint), the
 * deliveries commit or roll back with that write; the sender wakes on the next tick, after it.
 */
export function emitWebhookEvent(projectId: number, event: Exclude<WebhookEvent, "ping">, data: Record<string, unknown>): number {
  try {
    ensureSenderStarted();
    const db = getDb();
    const hooks = db.select().from(webhooks).where(and(eq(webhooks.projectId, projectId), eq(webhooks.active, true))).all();
    const targets = hooks.filter((h) => (h.events as string[]).includes(event));
    if (targets.length === 0) return 0;
    const project = db.select({ id: projects.id, name: projects.name }).from(projects).where(eq(projects.id, projectId)).get();
    if (!project) return 0;
    const payload = eventPayload(project, event, data);
    db.transaction(() => {
      for (const h of targets) insertDelivery(h.id, event, payload);
    });
    kickDeliveries();
    return targets.length;
  } catch (e) {
    console.error(`[loupe] could not queue webhook event ${event} for project ${projectId}:`, e);
    return 0;
  }
}


// Server-side fetch of user-supplied URLs without SSRF: every hop's host is resolved once,
// every address checked, and the socket connects to exactly those checked addresses (a custom
// lookup), so a DNS answer that changes between check and connect cannot reach inside.
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import net, { type LookupFunction } from "node:net";
import path from "node:path";
import { config } from "../config";
import { streamToTempFile, type StagedFile } from "../storage/temp-file";
import { ApiError, tooLarge } from "./errors";
import { forbiddenReason, normalizeIp } from "./ip-ranges";

export interface UrlFetchOptions {
  /** Byte cap on the body; 413 past it. Default config.maxUploadBytes. */
  maxBytes?: number;
  /** For the whole fetch, redirects and body included. Default config.urlFetchTimeoutMs. */
  timeoutMs?: number;
  /** Hostnames or IPs that may be private. Default config.urlAllowlist. */
  allowlist?: readonly string[];
  maxRedirects?: number;
  /** Field named in errors. */
  field?: string;
}

export interface FetchedResponse {
  finalUrl: string;
  contentType: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const blocked = (message: string, field: string) => new ApiError(422, "blocked_url", message, field);
const failed = (message: string, field: string, details?: Record<string, unknown>) =>
  new ApiError(422, "url_fetch_failed", message, field, details);

function normalizeHost(h: string): string {
  return normalizeIp(h.toLowerCase()).replace(/\.$/, "");
}

/** Parses and vets the URL itself: scheme and embedded credentials. */
export function parseFetchUrl(raw: string, field = "url"): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ApiError(422, "invalid_url", "That is not a valid URL.", field);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw blocked("Only http and https URLs can be fetched.", field);
  if (u.username || u.password) throw blocked("URLs with a user name or password are not allowed.", field);
  if (!u.hostname) throw blocked("The URL has no host.", field);
  return u;
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The addresses `u`'s host may be reached at. Refuses (blocked_url) when the host is not in
 * the allowlist and any address it resolves to is not public: one bad answer is enough,
 * since the client could be steered to it.
 */
export async function resolveAllowed(
  u: URL,
  opts: { allowlist: readonly string[]; field: string; signal?: AbortSignal },
): Promise<LookupAddress[]> {
  const host = normalizeHost(u.hostname);
  const allowed = opts.allowlist.some((a) => normalizeHost(a) === host);
  let addresses: LookupAddress[];
  const family = net.isIP(host);
  if (family) {
    addresses = [{ address: host, family }];
  } else {
    try {
      const p = dnsLookup(host, { all: true });
      addresses = opts.signal ? await abortable(p, opts.signal) : await p;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      throw failed(`Could not resolve the host ${host} (${code}).`, opts.field, { reason: "dns" });
    }
    if (addresses.length === 0) throw failed(`The host ${host} has no addresses.`, opts.field, { reason: "dns" });
  }
  if (!allowed) {
    for (const a of addresses) {
      const why = forbiddenReason(a.address);
      if (why) throw blocked(`The URL points to a ${why} address, which cannot be fetched.`, opts.field);
    }
  }
  return addresses;
}

/** A socket lookup that only ever answers with `addresses` (already vetted by resolveAllowed). */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const fam = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = fam ? addresses.filter((a) => a.family === fam) : addresses;
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error("No checked address of the requested family.");
      err.code = "ENOTFOUND";
      return callback(err, "", 0);
    }
    // net asks for every address when it races IPv4 against IPv6 (autoSelectFamily).
    if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

function request(u: URL, addresses: LookupAddress[], signal: AbortSignal, field: string): Promise<IncomingMessage> {
  const host = normalizeHost(u.hostname);
  const isIp = net.isIP(host) !== 0;
  const mod = u.protocol === "https:" ? https : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = mod.request({
      protocol: u.protocol,
      hostname: host,
      port: u.port || (u.protocol === "https:" ? 443 : 80),
      path: `${u.pathname}${u.search}`,
      method: "GET",
      headers: { host: u.host, "user-agent": "Loupe-URL-import/1", accept: "*/*", "accept-encoding": "identity" },
      lookup: pinnedLookup(addresses),
      agent: false,
      signal,
      ...(u.protocol === "https:" && !isIp ? { servername: host } : {}),
    });
    req.on("response", resolve);
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(signal.reason);
      reject(failed(`Could not fetch the URL: ${e.code ?? e.message}.`, field, { reason: "connect" }));
    });
    req.end();
  });
}

/** Follows up to maxRedirects redirects, vetting every hop, to a 2xx response. */
async function openUrl(
  raw: string,
  opts: Required<Pick<UrlFetchOptions, "allowlist" | "maxRedirects" | "field" | "maxBytes">>,
  signal: AbortSignal,
): Promise<{ res: IncomingMessage; url: URL }> {
  let u = parseFetchUrl(raw, opts.field);
  for (let hop = 0; ; hop++) {
    const addresses = await resolveAllowed(u, { allowlist: opts.allowlist, field: opts.field, signal });
    const res = await request(u, addresses, signal, opts.field);
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status) && res.headers.location) {
      res.destroy();
      if (hop >= opts.maxRedirects) throw failed(`Too many redirects (more than ${opts.maxRedirects}).`, opts.field, { reason: "redirects" });
      let next: URL;
      try {
        next = new URL(res.headers.location, u);
      } catch {
        throw failed("The server redirected to an invalid URL.", opts.field, { reason: "redirect" });
      }
      u = parseFetchUrl(next.href, opts.field);
      continue;
    }
    if (status < 200 || status > 299) {
      res.destroy();
      throw failed(`The server answered HTTP ${status}.`, opts.field, { status, reason: "http" });
    }
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.destroy();
      throw tooLarge(`The file at the URL is larger than the limit of ${opts.maxBytes} bytes.`, opts.field);
    }
    return { res, url: u };
  }
}

async function withFetch<T>(
  raw: string,
  opts: UrlFetchOptions,
  consume: (res: IncomingMessage, maxBytes: number, field: string) => Promise<T>,
): Promise<T & FetchedResponse> {
  const field = opts.field ?? "url";
  const maxBytes = opts.maxBytes ?? config.maxUploadBytes;
  const timeoutMs = opts.timeoutMs ?? config.urlFetchTimeoutMs;
  const ctl = new AbortController();
  const timeout = failed(`Fetching the URL took longer than ${timeoutMs} ms.`, field, { reason: "timeout" });
  const timer = setTimeout(() => ctl.abort(timeout), timeoutMs);
  let res: IncomingMessage | undefined;
  const onAbort = () => res?.destroy(timeout);
  ctl.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const opened = await openUrl(
      raw,
      { allowlist: opts.allowlist ?? config.urlAllowlist, maxRedirects: opts.maxRedirects ?? 5, field, maxBytes },
      ctl.signal,
    );
    res = opened.res;
    const body = await consume(res, maxBytes, field);
    return { ...body, finalUrl: opened.url.href, contentType: res.headers["content-type"] ?? null };
  } catch (e) {
    if (ctl.signal.aborted) throw timeout;
    if (e instanceof ApiError) throw e;
    throw failed(`Could not fetch the URL: ${(e as Error).message}.`, field, { reason: "read" });
  } finally {
    clearTimeout(timer);
    ctl.signal.removeEventListener("abort", onAbort);
    res?.destroy();
  }
}

/**
 * Downloads `url` into a new temp file in `destDir` (hashed, capped). destDir defaults to
 * the media store's temp folder, so the result can be committed with a same-disk rename.
 * Errors: 422 invalid_url / blocked_url / url_fetch_failed, 413 too_large; all name
 * opts.field ("url").
 */
export async function fetchUrlToFile(
  url: string,
  opts: UrlFetchOptions & { destDir?: string } = {},
): Promise<StagedFile & FetchedResponse> {
  const dir = opts.destDir ?? path.join(config.mediaDir, "tmp");
  return withFetch(url, opts, (res, maxBytes, field) => streamToTempFile(res, { dir, maxBytes, field }));
}

/** As fetchUrlToFile, into memory; for small things such as task lists. */
export async function fetchUrlToBuffer(url: string, opts: UrlFetchOptions = {}): Promise<{ body: Buffer } & FetchedResponse> {
  return withFetch(url, opts, async (res, maxBytes, field) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(`The file at the URL is larger than the limit of ${maxBytes} bytes.`, field);
      chunks.push(chunk);
    }
    return { body: Buffer.concat(chunks) };
  });
}

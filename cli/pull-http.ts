// HTTP for `loupe pull`: JSON requests with retry, and a resumable download to a .part file
// (Range + If-Range on the stored ETag; 206 appends, 200 restarts). Network failures are retried
// with backoff and resume where they stopped; the server's 4xx are final.
import fs from "node:fs";

export class PullError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "PullError";
    this.exitCode = exitCode;
  }
}

export interface HttpOptions {
  token: string;
  /** Attempts per request for network errors and 5xx (default 5). */
  attempts?: number;
  /** First backoff delay in ms, doubled each retry (default 500). */
  backoffMs?: number;
  /** Abort when no bytes arrive for this long (default 60 s). */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's `{error: {message}}` as a final error: exit 2 for the client errors a user can fix. */
async function serverError(res: Response, what: string): Promise<PullError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const j = (await res.json()) as { error?: { message?: string; code?: string } };
    if (j?.error?.message) message = j.error.message;
  } catch {
    /* not JSON */
  }
  const code = [400, 401, 403, 404, 409, 413, 422].includes(res.status) ? 2 : 1;
  return new PullError(`${what}: ${message} (HTTP ${res.status})`, code);
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

function describeNetworkError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return [err.message, err.cause?.code ?? err.cause?.message].filter(Boolean).join(": ");
}

export async function getJson<T>(url: string, what: string, o: HttpOptions): Promise<T> {
  const attempts = o.attempts ?? 5;
  let last = "";
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep((o.backoffMs ?? 500) * 2 ** (i - 1));
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${o.token}`, accept: "application/json" }, signal: AbortSignal.timeout(o.idleTimeoutMs ?? 60_000) });
    } catch (e) {
      last = describeNetworkError(e);
      o.log?.(`${what}: ${last}; retrying (${i + 1}/${attempts})`);
      continue;
    }
    if (res.ok) return (await res.json()) as T;
    if (!retryable(res.status)) throw await serverError(res, what);
    last = `HTTP ${res.status}`;
    o.log?.(`${what}: ${last}; retrying (${i + 1}/${attempts})`);
  }
  throw new PullError(`${what}: giving up after ${attempts} attempts (${last})`);
}

export interface DownloadResult {
  size: number;
  etag: string | null;
  /** Hex sha256 the server states for the whole archive (Repr-Digest or X-Loupe-Archive-Sha256). */
  digest: string | null;
  /** Bytes that came from an earlier, interrupted attempt. */
  resumedFrom: number;
  requests: number;
}

/** Hex sha256 from `Repr-Digest: sha-256=:<base64>:` (RFC 9530) or `X-Loupe-Archive-Sha256: <hex>`. */
export function digestOf(h: Headers): string | null {
  const rd = h.get("repr-digest");
  const m = rd ? /(?:^|,)\s*sha-256=:([A-Za-z0-9+/=]+):/.exec(rd) : null;
  if (m) {
    const b = Buffer.from(m[1]!, "base64");
    if (b.length === 32) return b.toString("hex");
  }
  const x = h.get("x-loupe-archive-sha256");
  return x && /^[0-9a-f]{64}$/i.test(x.trim()) ? x.trim().toLowerCase() : null;
}

/**
 * Downloads `url` into `part`, resuming an existing part file. The ETag of the representation is
 * kept in `<part>.etag` so a later run only appends when the server still has the same archive.
 */
export async function downloadResumable(url: string, part: string, o: HttpOptions, progress?: (got: number, total: number | null) => void): Promise<DownloadResult> {
  const attempts = o.attempts ?? 5;
  const etagFile = `${part}.etag`;
  let resumedFrom = -1;
  let requests = 0;
  let failures = 0;
  let last = "";
  for (;;) {
    let have = fs.existsSync(part) ? fs.statSync(part).size : 0;
    const etag = fs.existsSync(etagFile) ? fs.readFileSync(etagFile, "utf8").trim() : "";
    if (have > 0 && !etag) {
      fs.rmSync(part, { force: true }); // a part file we cannot tie to a version of the archive
      have = 0;
    }
    if (resumedFrom < 0) resumedFrom = have;
    const headers: Record<string, string> = { authorization: `Bearer ${o.token}` };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      headers["if-range"] = etag;
    }
    const ctl = new AbortController();
    let timer = setTimeout(() => ctl.abort(), o.idleTimeoutMs ?? 60_000);
    const poke = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(), o.idleTimeoutMs ?? 60_000);
    };
    let res: Response | null = null;
    try {
      requests++;
      res = await fetch(url, { headers, signal: ctl.signal });
      if (res.status === 416 && have > 0) {
        // The part is not a prefix of what the server has now: start over.
        await res.body?.cancel();
        fs.rmSync(part, { force: true });
        continue;
      }
      if (!res.ok) {
        if (!retryable(res.status)) throw await serverError(res, "download");
        throw new Error(`HTTP ${res.status}`);
      }
      const newTag = res.headers.get("etag");
      let append = false;
      let total: number | null = null;
      if (res.status === 206) {
        const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get("content-range") ?? "");
        // Only append when the server answers for our exact offset and the same archive.
        if (cr && Number(cr[1]) === have && (!newTag || newTag === etag)) {
          append = true;
          total = Number(cr[3]);
        } else {
          await res.body?.cancel();
          fs.rmSync(part, { force: true });
          fs.rmSync(etagFile, { force: true });
          continue;
        }
      } else {
        const len = res.headers.get("content-length");
        total = len ? Number(len) : null;
        have = 0;
      }
      if (newTag) fs.writeFileSync(etagFile, newTag);
      else fs.rmSync(etagFile, { force: true });
      const fd = fs.openSync(part, append ? "a" : "w");
      let got = have;
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            fs.writeSync(fd, chunk);
            got += chunk.length;
            poke();
            progress?.(got, total);
          }
        }
      } finally {
        fs.closeSync(fd);
      }
      clearTimeout(timer);
      if (total !== null && got < total) throw new Error(`connection closed after ${got} of ${total} bytes`);
      return { size: got, etag: newTag, digest: digestOf(res.headers), resumedFrom, requests };
    } catch (e) {
      clearTimeout(timer);
      if (e instanceof PullError) throw e;
      failures++;
      last = ctl.signal.aborted ? "no data for too long" : describeNetworkError(e);
      if (failures >= attempts) throw new PullError(`download: giving up after ${attempts} attempts (${last}); run the same command again to resume`);
      o.log?.(`download interrupted (${last}); resuming in ${((o.backoffMs ?? 500) * 2 ** (failures - 1)) / 1000}s (${failures}/${attempts})`);
      await sleep((o.backoffMs ?? 500) * 2 ** (failures - 1));
    }
  }
}

// The autosave's HTTP: JSON in and out, network failures as a value (never thrown), and the
// server's {code, message, field} kept for the save status line.
/** keepalive requests have a 64 KiB body budget per page; bigger drafts go as ordinary requests. */
const KEEPALIVE_MAX = 60_000;

export type Reply = { kind: "network" } | { kind: "http"; status: number; body: unknown };

export const errorOf = (r: Reply): { code: string; message: string; field?: string } => {
  if (r.kind === "network") return { code: "network", message: "Could not reach the server." };
  const e = (r.body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
  const out = { code: e?.code ?? `http_${r.status}`, message: e?.message ?? `Request failed (HTTP ${r.status}).` };
  return e?.field ? { ...out, field: e.field } : out;
};

/** Worth retrying by itself: the network, a restarting server, rate limiting. */
export const transient = (r: Reply) => r.kind === "network" || r.status >= 500 || r.status === 429 || r.status === 408;

/** A body already serialised (the autosave's draft JSON): sent as is, not stringified again. */
export class RawJson {
  constructor(readonly text: string) {}
}

export async function saveRequest(fetchImpl: typeof fetch | undefined, method: string, url: string, body?: unknown, keepalive = false): Promise<Reply> {
  const text = body === undefined ? undefined : body instanceof RawJson ? body.text : JSON.stringify(body);
  const f = fetchImpl ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await f(url, {
      method,
      headers: text === undefined ? undefined : { "content-type": "application/json" },
      body: text,
      credentials: "same-origin",
      keepalive: keepalive && text !== undefined && text.length < KEEPALIVE_MAX,
    });
  } catch {
    return { kind: "network" };
  }
  let parsed: unknown = null;
  try {
    const t = await res.text();
    parsed = t ? JSON.parse(t) : null;
  } catch {
    parsed = null; // a proxy's HTML error page: the status still says what happened
  }
  return { kind: "http", status: res.status, body: parsed };
}

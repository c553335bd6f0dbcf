// A real node http server in front of route handlers, for clients that speak HTTP (the CLI's
// `loupe pull`). Routes are matched by a tiny pattern table; `faults` let a test cut the
// connection midway or tamper with bytes in flight, like a flaky proxy would.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: any) => Promise<Response>;
export interface Route { method: string; pattern: string; handler: Handler }

export interface Faults {
  /** Destroy the socket after this many body bytes of the next matching response (then reset). */
  cutAfter?: { bytes: number; times: number; match: RegExp };
  /** Flip one byte of every body that matches (a tampering proxy). */
  flipByte?: { at: number; match: RegExp };
  /** Rewrite response headers of matching requests. */
  headers?: { match: RegExp; set: Record<string, string> };
}

export interface TestServer {
  url: string;
  faults: Faults;
  /** Request log: method, path and the Range header the client sent. */
  log: Array<{ method: string; path: string; range: string | null; ifRange: string | null; status: number }>;
  close(): Promise<void>;
}

function match(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split("/"), s = pathname.split("/");
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(":")) out[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

export async function serveRoutes(routes: Route[]): Promise<TestServer> {
  const faults: Faults = {};
  const log: TestServer["log"] = [];
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url ?? "/", "http://localhost");
    const entry = { method: req.method ?? "GET", path: u.pathname + u.search, range: (req.headers.range as string) ?? null, ifRange: (req.headers["if-range"] as string) ?? null, status: 0 };
    log.push(entry);
    try {
      let params: Record<string, string> | null = null;
      const route = routes.find((r) => r.method === req.method && (params = match(r.pattern, u.pathname)));
      if (!route || !params) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no route"}}');
        entry.status = 404;
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const r = await route.handler(new NextRequest(u.toString(), { method: req.method, headers, body }), { params: Promise.resolve(params) });
      entry.status = r.status;
      const h: Record<string, string> = {};
      r.headers.forEach((v, k) => (h[k] = v));
      if (faults.headers?.match.test(entry.path)) Object.assign(h, faults.headers.set);
      res.writeHead(r.status, h);
      const cut = faults.cutAfter && faults.cutAfter.times > 0 && faults.cutAfter.match.test(entry.path) ? faults.cutAfter : null;
      const flip = faults.flipByte?.match.test(entry.path) ? faults.flipByte : null;
      let sent = 0;
      if (r.body) {
        for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
          let c = Buffer.from(chunk);
          if (flip && flip.at >= sent && flip.at < sent + c.length) {
            c = Buffer.from(c);
            c[flip.at - sent] = c[flip.at - sent]! ^ 0xff;
          }
          if (cut && sent + c.length >= cut.bytes) {
            cut.times--;
            const head = c.subarray(0, cut.bytes - sent);
            await new Promise<void>((done) => res.write(head, () => done()));
            req.socket.destroy();
            return;
          }
          sent += c.length;
          if (!res.write(c)) await new Promise((d) => res.once("drain", d));
        }
      }
      res.end();
    } catch (e) {
      entry.status = 500;
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    log,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

// Every request here goes to a server on 127.0.0.1 or is refused before connecting; DNS for
// the made-up "*.test" names is answered by a mock, never the network.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/server/errors";
import { fetchUrlToBuffer, fetchUrlToFile, parseFetchUrl } from "@/lib/server/url-fetch";
import { cleanupTempDirs, tempDir } from "./support/synthetic-media";

const dnsAnswers = vi.hoisted(() => new Map<string, Array<Array<{ address: string; family: number }>>>());
const dnsCalls = vi.hoisted(() => [] as string[]);

vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = async (host: string, opts: unknown) => {
    dnsCalls.push(host);
    const queue = dnsAnswers.get(host);
    if (queue) return queue.length > 1 ? queue.shift()! : queue[0]!;
    if (host.endsWith(".test")) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    return real.lookup(host, opts as { all: true });
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/ok") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("hello world");
    } else if (url === "/echo-host") {
      res.end(String(req.headers.host));
    } else if (url === "/redirect-relative") {
      res.writeHead(302, { location: "/ok" });
      res.end();
    } else if (url === "/redirect-metadata") {
      res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    } else if (url === "/redirect-localhost") {
      res.writeHead(307, { location: `http://localhost:${port}/ok` });
      res.end();
    } else if (url === "/redirect-ftp") {
      res.writeHead(302, { location: "ftp://127.0.0.1/x" });
      res.end();
    } else if (url === "/loop") {
      res.writeHead(302, { location: "/loop" });
      res.end();
    } else if (url === "/big") {
      res.writeHead(200, { "content-length": "1000" });
      res.end(Buffer.alloc(1000, 1));
    } else if (url === "/big-chunked") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(1000, 2));
      res.end();
    } else if (url === "/slow-headers") {
      // Never answers.
    } else if (url === "/slow-body") {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
    } else {
      res.writeHead(404);
      res.end("nope");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await cleanupTempDirs();
});

const allow = { allowlist: ["127.0.0.1"], timeoutMs: 5000 };

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe("refused before any connection", () => {
  it.each([
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]:8080/",
    "http://[64:ff9b::7f00:1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://10.0.0.1/",
    "http://192.168.0.1/",
    "http://100.64.1.1/",
    "http://0/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "https://localhost/",
    "http://LOCALHOST./",
  ])("%s", async (url) => {
    const e = await rejection(fetchUrlToBuffer(url, { timeoutMs: 5000, allowlist: [] }));
    expect(e.status).toBe(422);
    expect(e.code).toBe("blocked_url");
    expect(e.field).toBe("url");
  });

  it("refuses other schemes and credentials", async () => {
    for (const url of ["ftp://example.com/x", "file:///etc/passwd", "gopher://127.0.0.1/", "http://user:pw@127.0.0.1/"]) {
      expect((await rejection(fetchUrlToBuffer(url, allow))).code).toBe("blocked_url");
    }
    expect(() => parseFetchUrl("not a url")).toThrow(expect.objectContaining({ code: "invalid_url" }));
  });

  it("refuses a host when any of its addresses is private", async () => {
    dnsAnswers.set("mixed.test", [
      [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
    ]);
    const e = await rejection(fetchUrlToBuffer("http://mixed.test/", { allowlist: [] }));
    expect(e.code).toBe("blocked_url");
    expect(e.message).toMatch(/private/);
  });

  it("reports DNS failure as url_fetch_failed", async () => {
    const e = await rejection(fetchUrlToBuffer("http://nowhere.test/", { allowlist: [] }));
    expect([e.status, e.code, e.field]).toEqual([422, "url_fetch_failed", "url"]);
  });
});

describe("fetching from an allowlisted local server", () => {
  it("is refused without the allowlist", async () => {
    expect((await rejection(fetchUrlToBuffer(`${base}/ok`, { allowlist: [] }))).code).toBe("blocked_url");
  });

  it("fetches into memory with the allowlist", async () => {
    const r = await fetchUrlToBuffer(`${base}/ok`, allow);
    expect(r.body.toString()).toBe("hello world");
    expect(r.contentType).toBe("text/plain; charset=utf-8");
    expect(r.finalUrl).toBe(`${base}/ok`);
  });

  it("fetches into a hashed temp file", async () => {
    const dir = await tempDir("loupe-fetch-");
    const r = await fetchUrlToFile(`${base}/ok`, { ...allow, destDir: dir });
    expect(await readFile(r.path, "utf8")).toBe("hello world");
    expect(r.sha256).toBe(createHash("sha256").update("hello world").digest("hex"));
    expect(r.size).toBe(11);
    expect(Buffer.from(r.head).toString()).toBe("hello world");
  });

  it("connects to the address it checked, once resolved, and sends the real Host", async () => {
    dnsAnswers.set("pinned.test", [[{ address: "127.0.0.1", family: 4 }], [{ address: "127.0.0.2", family: 4 }]]);
    dnsCalls.length = 0;
    const r = await fetchUrlToBuffer(`http://pinned.test:${port}/echo-host`, { allowlist: ["pinned.test"], timeoutMs: 5000 });
    expect(r.body.toString()).toBe(`pinned.test:${port}`);
    expect(dnsCalls.filter((h) => h === "pinned.test")).toHaveLength(1);
  });

  it("follows a relative redirect", async () => {
    const r = await fetchUrlToBuffer(`${base}/redirect-relative`, allow);
    expect(r.body.toString()).toBe("hello world");
    expect(r.finalUrl).toBe(`${base}/ok`);
  });

  it.each(["/redirect-metadata", "/redirect-localhost", "/redirect-ftp"])("refuses a redirect to a blocked target (%s)", async (p) => {
    const e = await rejection(fetchUrlToBuffer(`${base}${p}`, allow));
    expect(e.code).toBe("blocked_url");
    expect(e.field).toBe("url");
  });

  it("gives up after too many redirects", async () => {
    const e = await rejection(fetchUrlToBuffer(`${base}/loop`, allow));
    expect(e.code).toBe("url_fetch_failed");
    expect(e.message).toMatch(/redirects/);
  });

  it("reports the HTTP status of a failed request", async () => {
    const e = await rejection(fetchUrlToBuffer(`${base}/missing`, allow));
    expect(e.code).toBe("url_fetch_failed");
    expect(e.message).toContain("404");
    expect(e.details).toMatchObject({ status: 404 });
  });

  it("reports a refused connection", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await rejection(fetchUrlToBuffer(`http://127.0.0.1:${closedPort}/`, allow));
    expect(e.code).toBe("url_fetch_failed");
    expect(e.message).toMatch(/ECONNREFUSED/);
  });
});

describe("limits", () => {
  it("refuses a declared Content-Length over the cap with 413", async () => {
    const e = await rejection(fetchUrlToBuffer(`${base}/big`, { ...allow, maxBytes: 100 }));
    expect([e.status, e.code, e.field]).toEqual([413, "too_large", "url"]);
  });

  it("stops a chunked body over the cap with 413 and leaves no file", async () => {
    const dir = await tempDir("loupe-fetch-");
    const e = await rejection(fetchUrlToFile(`${base}/big-chunked`, { ...allow, maxBytes: 2500, destDir: dir }));
    expect(e.status).toBe(413);
    expect(await readdir(dir)).toEqual([]);
    expect((await rejection(fetchUrlToBuffer(`${base}/big-chunked`, { ...allow, maxBytes: 2500 }))).status).toBe(413);
  });

  it("accepts a body at the cap", async () => {
    expect((await fetchUrlToBuffer(`${base}/big`, { ...allow, maxBytes: 1000 })).body.length).toBe(1000);
  });

  it.each(["/slow-headers", "/slow-body"])("times out on %s", async (p) => {
    const dir = await tempDir("loupe-fetch-");
    const e = await rejection(fetchUrlToFile(`${base}${p}`, { ...allow, timeoutMs: 300, destDir: dir }));
    expect(e.code).toBe("url_fetch_failed");
    expect(e.details).toMatchObject({ reason: "timeout" });
    expect(e.field).toBe("url");
    expect(await readdir(dir)).toEqual([]);
  });
});

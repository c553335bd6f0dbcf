import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/server/errors";
import { assertSha256, isSha256, LocalMediaStore } from "@/lib/storage/media-store";
import { streamToTempFile } from "@/lib/storage/temp-file";
import { cleanupTempDirs, tempDir, writeTemp } from "./support/synthetic-media";

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

function webStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(ctl) {
      const c = chunks[i++];
      if (c) ctl.enqueue(c);
      else ctl.close();
    },
  });
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

let root: string;
let store: LocalMediaStore;
beforeEach(async () => {
  root = await tempDir("loupe-store-");
  store = new LocalMediaStore(root);
});
afterAll(cleanupTempDirs);

describe("LocalMediaStore paths", () => {
  const h = sha("hello");

  it("lays files out by the first two byte pairs of the hash", () => {
    expect(store.pathOf(h)).toBe(path.join(root, h.slice(0, 2), h.slice(2, 4), h));
    expect(store.thumbPathOf(h)).toBe(path.join(root, "thumbs", h.slice(0, 2), `${h}.webp`));
  });

  it.each([
    "../../../../etc/passwd",
    h.toUpperCase(),
    h.slice(1),
    `${h}0`,
    `${h.slice(0, 62)}/x`,
    "",
  ])("refuses %j before building a path", (bad) => {
    expect(isSha256(bad)).toBe(false);
    expect(() => store.pathOf(bad)).toThrow(ApiError);
    expect(() => store.thumbPathOf(bad)).toThrow(ApiError);
    expect(() => store.createReadStream(bad)).toThrow(ApiError);
  });

  it("answers 404 for a malformed id so ids cannot be probed by shape", () => {
    try {
      assertSha256("nope");
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).status).toBe(404);
    }
  });

  it("defaults its root to config.mediaDir", () => {
    const before = process.env.LOUPE_DATA_DIR;
    process.env.LOUPE_DATA_DIR = root;
    try {
      expect(new LocalMediaStore().root).toBe(path.join(root, "media"));
    } finally {
      if (before === undefined) delete process.env.LOUPE_DATA_DIR;
      else process.env.LOUPE_DATA_DIR = before;
    }
  });
});

describe("LocalMediaStore writes", () => {
  it("stores a buffer under its hash once", async () => {
    const buf = Buffer.from("some media bytes");
    const first = await store.putBuffer(buf);
    expect(first).toEqual({ sha256: sha(buf), size: buf.length, created: true });
    expect(await readFile(store.pathOf(first.sha256))).toEqual(buf);
    const again = await store.putBuffer(buf);
    expect(again).toEqual({ ...first, created: false });
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("moves a file in, and drops the duplicate's source", async () => {
    const dir = await tempDir();
    const a = await writeTemp(dir, "a.bin", "same");
    const b = await writeTemp(dir, "b.bin", "same");
    const r1 = await store.putFile(a);
    const r2 = await store.putFile(b);
    expect(r1).toEqual({ sha256: sha("same"), size: 4, created: true });
    expect(r2.created).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    expect((await readFile(store.pathOf(r1.sha256))).toString()).toBe("same");
  });

  it("reports exactly one creator when the same content is written concurrently", async () => {
    const buf = Buffer.alloc(64 * 1024, 3);
    const results = await Promise.all([1, 2, 3, 4].map(() => store.putBuffer(buf)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await readFile(store.pathOf(sha(buf)))).toEqual(buf);
  });

  it("exists and stat reflect what is stored", async () => {
    const { sha256 } = await store.putBuffer(Buffer.from("abc"));
    expect(await store.exists(sha256)).toBe(true);
    expect((await store.stat(sha256))?.size).toBe(3);
    expect(await store.exists(sha("other"))).toBe(false);
    expect(await store.stat(sha("other"))).toBeNull();
  });

  it("reads whole files and inclusive byte ranges", async () => {
    const { sha256 } = await store.putBuffer(Buffer.from("0123456789"));
    expect((await collect(store.createReadStream(sha256))).toString()).toBe("0123456789");
    expect((await collect(store.createReadStream(sha256, { start: 2, end: 5 }))).toString()).toBe("2345");
    expect((await collect(store.createReadStream(sha256, { start: 7 }))).toString()).toBe("789");
    expect(() => store.createReadStream(sha256, { start: 5, end: 2 })).toThrow(ApiError);
    expect(() => store.createReadStream(sha256, { start: -1 })).toThrow(ApiError);
  });
});

describe("staging streams", () => {
  const chunks = [Buffer.from("hello "), Buffer.from("streaming "), Buffer.from("world")];
  const whole = Buffer.concat(chunks);

  it("hashes a web ReadableStream into a temp file inside the store, then commits it", async () => {
    const staged = await store.stage(webStream(chunks), { maxBytes: 1000 });
    expect(staged.sha256).toBe(sha(whole));
    expect(staged.size).toBe(whole.length);
    expect(Buffer.from(staged.head)).toEqual(whole);
    expect(path.dirname(staged.path)).toBe(path.join(root, "tmp"));
    expect(await readFile(staged.path)).toEqual(whole);
    const stored = await store.commit(staged);
    expect(stored).toEqual({ sha256: sha(whole), size: whole.length, created: true });
    expect(await readFile(store.pathOf(stored.sha256))).toEqual(whole);
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("accepts a Node Readable and keeps only the first 4 KiB as head", async () => {
    const big = Buffer.alloc(10_000, 0x61);
    const staged = await store.stage(Readable.from([big.subarray(0, 3000), big.subarray(3000)]), { maxBytes: 20_000 });
    expect(staged.size).toBe(10_000);
    expect(staged.head.length).toBe(4096);
    await store.discard(staged);
    await expect(stat(staged.path)).rejects.toThrow();
  });

  it("aborts with 413 once the cap is passed and leaves no partial file", async () => {
    const e = await rejection(store.stage(webStream(chunks), { maxBytes: 10, field: "files" }));
    expect(e.status).toBe(413);
    expect(e.code).toBe("too_large");
    expect(e.field).toBe("files");
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("stops reading an endless source once over the cap", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(ctl) {
        pulled++;
        ctl.enqueue(new Uint8Array(1024));
      },
    });
    const dir = await tempDir();
    const e = await rejection(streamToTempFile(endless, { dir, maxBytes: 8 * 1024 }));
    expect(e.status).toBe(413);
    expect(pulled).toBeLessThan(20);
    expect(await readdir(dir)).toEqual([]);
  });

  it("accepts exactly maxBytes", async () => {
    const staged = await store.stage(webStream([Buffer.alloc(10)]), { maxBytes: 10 });
    expect(staged.size).toBe(10);
  });
});

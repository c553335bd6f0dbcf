// Content-addressed media storage. A file's name is its sha256, so identical uploads are
// stored once and a stored file never changes after it is written.
import { createHash } from "node:crypto";
import { createReadStream as fsCreateReadStream, type ReadStream } from "node:fs";
import { copyFile, link, mkdir, rename, stat as fsStat, unlink, writeFile, open } from "node:fs/promises";
import path from "node:path";
import { config } from "../config";
import { badRequest, notFound } from "../server/errors";
import { streamToTempFile, tempPathIn, type ByteSource, type StagedFile } from "./temp-file";

export type { ByteSource, StagedFile } from "./temp-file";

export interface StoredObject {
  sha256: string;
  size: number;
  /** False when identical content was already stored. */
  created: boolean;
}

export interface MediaStat {
  size: number;
  mtime: Date;
}

/** Inclusive byte range, as in HTTP Range and fs.createReadStream. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface MediaStore {
  /** Moves a file into the store (the source path is gone afterwards). */
  putFile(tmpPath: string): Promise<StoredObject>;
  putBuffer(buf: Uint8Array): Promise<StoredObject>;
  /** Streams a body into a temp file inside the store; 413 past maxBytes. */
  stage(source: ByteSource, opts: { maxBytes: number; field?: string }): Promise<StagedFile>;
  /** Moves a staged file into place under its already-computed hash. */
  commit(staged: StagedFile): Promise<StoredObject>;
  /** Removes a staged file that will not be kept. */
  discard(staged: StagedFile): Promise<void>;
  pathOf(sha256: string): string;
  thumbPathOf(sha256: string): string;
  exists(sha256: string): Promise<boolean>;
  stat(sha256: string): Promise<MediaStat | null>;
  createReadStream(sha256: string, range?: ByteRange): ReadStream;
}

const SHA256_RE = /^[0-9a-f]{64}$/;

export function isSha256(s: unknown): s is string {
  return typeof s === "string" && SHA256_RE.test(s);
}

/** Every path below is built from a sha256; anything else could walk out of the store. */
export function assertSha256(s: unknown): string {
  // 404 rather than 400 so media ids cannot be probed by shape (same rule as numeric ids).
  if (!isSha256(s)) throw notFound("Media");
  return s;
}

function errCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of fsCreateReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest("hex"), size };
}

export class LocalMediaStore implements MediaStore {
  readonly root: string;

  constructor(root: string = config.mediaDir) {
    this.root = path.resolve(root);
  }

  get tmpDir(): string {
    return path.join(this.root, "tmp");
  }

  pathOf(sha256: string): string {
    const sha = assertSha256(sha256);
    return path.join(this.root, sha.slice(0, 2), sha.slice(2, 4), sha);
  }

  thumbPathOf(sha256: string): string {
    const sha = assertSha256(sha256);
    return path.join(this.root, "thumbs", sha.slice(0, 2), `${sha}.webp`);
  }

  async exists(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<MediaStat | null> {
    try {
      const s = await fsStat(this.pathOf(sha256));
      return s.isFile() ? { size: s.size, mtime: s.mtime } : null;
    } catch (e) {
      if (errCode(e) === "ENOENT") return null;
      throw e;
    }
  }

  createReadStream(sha256: string, range?: ByteRange): ReadStream {
    const file = this.pathOf(sha256);
    if (!range) return fsCreateReadStream(file);
    const { start, end } = range;
    const okStart = Number.isSafeInteger(start) && start >= 0;
    const okEnd = end === undefined || (Number.isSafeInteger(end) && end >= start);
    if (!okStart || !okEnd) throw badRequest("Invalid byte range.", "range", "invalid_range");
    return fsCreateReadStream(file, { start, end });
  }

  async stage(source: ByteSource, opts: { maxBytes: number; field?: string }): Promise<StagedFile> {
    return streamToTempFile(source, { dir: this.tmpDir, maxBytes: opts.maxBytes, field: opts.field });
  }

  async discard(staged: StagedFile): Promise<void> {
    await unlink(staged.path).catch((e: unknown) => {
      if (errCode(e) !== "ENOENT") throw e;
    });
  }

  async putBuffer(buf: Uint8Array): Promise<StoredObject> {
    const sha256 = createHash("sha256").update(buf).digest("hex");
    if (await this.exists(sha256)) return { sha256, size: buf.byteLength, created: false };
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = tempPathIn(this.tmpDir);
    const fh = await open(tmp, "wx", 0o644);
    try {
      await writeFile(fh, buf);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return this.place(tmp, sha256, buf.byteLength);
  }

  async putFile(tmpPath: string): Promise<StoredObject> {
    const { sha256, size } = await hashFile(tmpPath);
    return this.place(tmpPath, sha256, size);
  }

  async commit(staged: StagedFile): Promise<StoredObject> {
    return this.place(staged.path, assertSha256(staged.sha256), staged.size);
  }

  /**
   * Puts `src` at its content address and removes `src`. link() fails if the target exists,
   * so exactly one of two concurrent writers of the same content reports created: true.
   */
  private async place(src: string, sha256: string, size: number): Promise<StoredObject> {
    const dest = this.pathOf(sha256);
    if (await this.exists(sha256)) {
      await unlink(src).catch(() => undefined);
      return { sha256, size, created: false };
    }
    await mkdir(path.dirname(dest), { recursive: true });
    let local = src;
    if (path.dirname(path.resolve(src)) !== this.tmpDir) {
      // Outside the store it may be another filesystem; copy next to the target first.
      await mkdir(this.tmpDir, { recursive: true });
      local = tempPathIn(this.tmpDir);
      await copyFile(src, local);
      await unlink(src).catch(() => undefined);
    }
    try {
      await link(local, dest);
      return { sha256, size, created: true };
    } catch (e) {
      if (errCode(e) === "EEXIST") return { sha256, size, created: false };
      // Filesystems without hard links: rename is still atomic, only `created` may race.
      const existed = await this.exists(sha256);
      if (!existed) await rename(local, dest);
      return { sha256, size, created: !existed };
    } finally {
      await unlink(local).catch(() => undefined);
    }
  }
}

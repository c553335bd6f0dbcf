// Streams an incoming body to a temp file while hashing it, so an upload is never held in
// memory and never exceeds its byte cap on disk by more than one chunk.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, unlink } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { tooLarge } from "../server/errors";
import { SNIFF_BYTES } from "./sniff";

export type ByteSource = ReadableStream<Uint8Array> | Readable | AsyncIterable<Uint8Array | string>;

export interface StagedFile {
  /** Temp file holding the bytes; commit it to a store or remove it. */
  path: string;
  sha256: string;
  size: number;
  /** The first SNIFF_BYTES bytes (fewer for a short file), for sniff(). */
  head: Uint8Array;
}

export interface StreamToTempOptions {
  dir: string;
  maxBytes: number;
  /** Field named in the 413 error. */
  field?: string;
}

function isWebStream(s: ByteSource): s is ReadableStream<Uint8Array> {
  return typeof (s as ReadableStream<Uint8Array>).getReader === "function";
}

// lib.dom's ReadableStream type is not async-iterable in this tsconfig, so read it by hand.
async function* iterate(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (isWebStream(source)) {
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } else {
    for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
      yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    }
  }
}

function destroySource(source: ByteSource): void {
  const maybeNode = source as Readable;
  if (!isWebStream(source) && typeof maybeNode.destroy === "function") maybeNode.destroy();
}

/** A fresh, not-yet-existing temp path inside `dir`. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `.${randomUUID()}.part`);
}

/**
 * Writes `source` to a new temp file in `opts.dir`, hashing as it goes. Throws 413 too_large
 * (and removes the partial file) as soon as more than `opts.maxBytes` arrive.
 */
export async function streamToTempFile(source: ByteSource, opts: StreamToTempOptions): Promise<StagedFile> {
  await mkdir(opts.dir, { recursive: true });
  const tmp = tempPathIn(opts.dir);
  const fh = await open(tmp, "wx", 0o644);
  const hash = createHash("sha256");
  const head = new Uint8Array(SNIFF_BYTES);
  let headLen = 0;
  let size = 0;
  let ok = false;
  try {
    for await (const chunk of iterate(source)) {
      if (chunk.byteLength === 0) continue;
      size += chunk.byteLength;
      if (size > opts.maxBytes) {
        destroySource(source);
        throw tooLarge(`The file is larger than the limit of ${opts.maxBytes} bytes.`, opts.field);
      }
      if (headLen < SNIFF_BYTES) {
        const take = Math.min(SNIFF_BYTES - headLen, chunk.byteLength);
        head.set(chunk.subarray(0, take), headLen);
        headLen += take;
      }
      hash.update(chunk);
      let off = 0;
      while (off < chunk.byteLength) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
        off += bytesWritten;
      }
    }
    // The file is renamed into place next; make sure the bytes are durable first.
    await fh.sync();
    ok = true;
  } finally {
    await fh.close().catch(() => undefined);
    if (!ok) await unlink(tmp).catch(() => undefined);
  }
  return { path: tmp, sha256: hash.digest("hex"), size, head: head.slice(0, headLen) };
}

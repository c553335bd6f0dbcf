// Random-access reads for the container parsers: media files can be hundreds of MiB, and a
// duration usually needs a few header bytes at the start and a few at the end.
import { open, type FileHandle } from "node:fs/promises";

export class RandomAccessFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(filePath: string): Promise<RandomAccessFile> {
    const fh = await open(filePath, "r");
    try {
      const st = await fh.stat();
      return new RandomAccessFile(fh, st.size);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** Up to `length` bytes at `offset`; shorter at end of file, empty past it. */
  async read(offset: number, length: number): Promise<Buffer> {
    if (offset >= this.size || length <= 0) return Buffer.alloc(0);
    const n = Math.min(length, this.size - offset);
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(buf, got, n - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Opens, runs `fn`, always closes. */
export async function withFile<T>(filePath: string, fn: (f: RandomAccessFile) => Promise<T>): Promise<T> {
  const f = await RandomAccessFile.open(filePath);
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

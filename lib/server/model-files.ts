// Node side of lib/prelabel/byom/onnx-info.ts: an .onnx file as a random-access ByteSource read
// with positional reads (pread), so sniffing a 500 MB model touches only its headers.
import { open } from "node:fs/promises";
import { readOnnxInfo, type ByteSource, type OnnxInfo } from "../prelabel/byom/onnx-info";

export async function withFileSource<T>(file: string, fn: (src: ByteSource & { bytesRead: () => number }) => Promise<T>): Promise<T> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    let total = 0;
    const src = {
      size,
      bytesRead: () => total,
      read: async (offset: number, length: number) => {
        const n = Math.max(0, Math.min(length, size - offset));
        const buf = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const r = await fh.read(buf, got, n - got, offset + got);
          if (r.bytesRead === 0) break;
          got += r.bytesRead;
        }
        total += got;
        return buf.subarray(0, got);
      },
    };
    return await fn(src);
  } finally {
    await fh.close();
  }
}

/** The ONNX signature of a file on disk (OnnxParseError if it is not one), plus bytes read. */
export function onnxInfoOfFile(file: string): Promise<OnnxInfo & { bytesRead: number }> {
  return withFileSource(file, async (src) => {
    const { reads: _reads, ...info } = await readOnnxInfo(src);
    return { ...info, bytesRead: src.bytesRead() };
  });
}

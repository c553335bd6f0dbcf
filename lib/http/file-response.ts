// Serving stored bytes: Range support (audio/video seeking), immutable caching, and headers
// that stop a browser from ever treating user content as a page.
import fs from "node:fs";
import { Readable } from "node:stream";

const SAFE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Accept-Ranges": "bytes",
};

export function fileResponse(req: Request, file: string, mime: string, etag: string, downloadName: string, opts: { attachment?: boolean } = {}): Response {
  const size = fs.statSync(file).size;
  const headers: Record<string, string> = {
    ...SAFE_HEADERS,
    "Content-Type": mime,
    "Content-Disposition": `${opts.attachment ? "attachment" : "inline"}; filename="${downloadName.replace(/[^\w.-]/g, "_")}"`,
    "Cache-Control": "private, max-age=31536000, immutable",
    ETag: `"${etag}"`,
  };
  if (req.headers.get("if-none-match") === `"${etag}"`) return new Response(null, { status: 304, headers });
  // If-Range (RFC 9110 13.1.5): a resumed download whose validator no longer matches gets the
  // whole file (200), never a slice of different bytes. Our validators are strong ETags only.
  const ifRange = req.headers.get("if-range");
  const range = ifRange !== null && ifRange !== `"${etag}"` ? null : req.headers.get("range");
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] || m[2])) {
    let start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
    let end = m[1] && m[2] ? Number(m[2]) : size - 1;
    end = Math.min(end, size - 1);
    if (start > end || start >= size) {
      return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
    }
    start = Math.max(0, start);
    const body = Readable.toWeb(fs.createReadStream(file, { start, end })) as ReadableStream;
    return new Response(body, {
      status: 206,
      headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) },
    });
  }
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
  return new Response(body, { status: 200, headers: { ...headers, "Content-Length": String(size) } });
}

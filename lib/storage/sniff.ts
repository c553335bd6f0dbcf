// Content sniffing by magic bytes. The declared name or Content-Type of an upload is never
// trusted: what we store and later serve is labelled with what the bytes say they are.
// Markup (HTML/SVG/XML) is refused outright, because serving a user's HTML or SVG from our
// origin would let it run script against every other user of the app.
import { ApiError } from "../server/errors";

export type MediaKind = "image" | "audio" | "video" | "text";
export interface Sniffed {
  mime: string;
  kind: MediaKind;
}

/** How many leading bytes callers should read before sniffing. */
export const SNIFF_BYTES = 4096;

// Legacy browsers sniffed the first 256..1024 bytes for these; being stricter costs nothing.
const MARKUP_WINDOW = 1024;
const MARKUP_ANYWHERE = ["<script", "<html", "<svg", "<!doctype", "<iframe", "<body", "<head>", "<?xml-stylesheet"];
const MARKUP_AT_START = ["<?xml", "<!--", "<head", "<meta", "<style", "<object", "<embed", "<a ", "<div", "<img"];

function ascii(head: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to && i < head.length; i++) s += String.fromCharCode(head[i]!);
  return s;
}

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (head[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * True when the start of the file reads as HTML, SVG or XML. NUL bytes are skipped so a
 * UTF-16 encoded page is caught too; letters are folded to lower case.
 */
export function looksLikeMarkup(head: Uint8Array): boolean {
  let s = "";
  const end = Math.min(head.length, MARKUP_WINDOW);
  for (let i = 0; i < end; i++) {
    const b = head[i]!;
    if (b === 0) continue;
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
  }
  if (MARKUP_ANYWHERE.some((m) => s.includes(m))) return true;
  const trimmed = s.replace(/^(\u00ef\u00bb\u00bf|\u00fe\u00ff|\u00ff\u00fe)?[\s\u0000]*/, "");
  return MARKUP_AT_START.some((m) => trimmed.startsWith(m));
}

/** Valid UTF-8 throughout, allowing a multi-byte sequence cut off by the end of `head`. */
function isUtf8Text(head: Uint8Array): boolean {
  let i = 0;
  const n = head.length;
  while (i < n) {
    const b = head[i]!;
    if (b === 0) return false;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return false;
    if (i + need >= n) {
      // Truncated at the end of the sniffed window: accept if the bytes present are continuations.
      for (let j = i + 1; j < n; j++) if ((head[j]! & 0xc0) !== 0x80) return false;
      return true;
    }
    let cp = b & (0x3f >> need);
    for (let j = 1; j <= need; j++) {
      const c = head[i + j]!;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function sniffFtyp(head: Uint8Array): Sniffed | null {
  const brand = ascii(head, 8, 12);
  if (["M4A ", "M4B ", "M4P ", "F4A ", "F4B "].includes(brand)) return { mime: "audio/mp4", kind: "audio" };
  if (brand === "avif" || brand === "avis") return { mime: "image/avif", kind: "image" };
  // HEIF stills are not displayable in most browsers; refuse rather than mislabel as video.
  if (["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].includes(brand)) return null;
  if (brand === "qt  ") return { mime: "video/quicktime", kind: "video" };
  if (brand.startsWith("3g")) return { mime: "video/3gpp", kind: "video" };
  return { mime: "video/mp4", kind: "video" };
}

// EBML variable-length size at `at`: [value, byte length], or null.
function ebmlSize(head: Uint8Array, at: number): [number, number] | null {
  const first = head[at];
  if (!first) return null;
  const len = Math.clz32(first) - 23;
  if (at + len > head.length) return null;
  let v = first & (0xff >> len);
  for (let i = 1; i < len; i++) v = v * 256 + head[at + i]!;
  return [v, len];
}

// Reads the EBML header's DocType (id 0x4282) so WebM and generic Matroska can be told apart.
function ebmlDocType(head: Uint8Array): string | null {
  const hdr = ebmlSize(head, 4);
  if (!hdr) return null;
  const end = Math.min(head.length, 4 + hdr[1] + hdr[0]);
  let at = 4 + hdr[1];
  while (at + 2 < end) {
    // Header children have 2-byte ids (0x42xx) except Void (0xEC) and CRC-32 (0xBF).
    const idLen = head[at] === 0xec || head[at] === 0xbf ? 1 : 2;
    const size = ebmlSize(head, at + idLen);
    if (!size) return null;
    const body = at + idLen + size[1];
    if (idLen === 2 && head[at] === 0x42 && head[at + 1] === 0x82) {
      return ascii(head, body, Math.min(body + size[0], end)).replace(/\0+$/, "");
    }
    at = body + size[0];
  }
  return null;
}

function isMp3FrameHeader(head: Uint8Array, at: number): boolean {
  const b1 = head[at + 1];
  const b2 = head[at + 2];
  if (head[at] !== 0xff || b1 === undefined || b2 === undefined) return false;
  if ((b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0xf && bitrate !== 0 && rate !== 3;
}

function sniffBinary(head: Uint8Array): Sniffed | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: "image/png", kind: "image" };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: "image/jpeg", kind: "image" };
  const a4 = ascii(head, 0, 4);
  const a6 = ascii(head, 0, 6);
  if (a6 === "GIF87a" || a6 === "GIF89a") return { mime: "image/gif", kind: "image" };
  if (a4 === "RIFF") {
    const form = ascii(head, 8, 12);
    if (form === "WEBP") return { mime: "image/webp", kind: "image" };
    if (form === "WAVE") return { mime: "audio/wav", kind: "audio" };
    if (form === "AVI ") return { mime: "video/x-msvideo", kind: "video" };
    return null;
  }
  if (a4 === "II*\0" || a4 === "MM\0*") return { mime: "image/tiff", kind: "image" };
  if (a4.startsWith("BM") && head.length >= 18) {
    // "BM" alone is too weak (plenty of text starts with it): require zero reserved bytes and
    // a known DIB header size.
    const reservedZero = head[6] === 0 && head[7] === 0 && head[8] === 0 && head[9] === 0;
    const dib = head[14]! | (head[15]! << 8) | (head[16]! << 16) | (head[17]! << 24);
    if (reservedZero && [12, 40, 52, 56, 64, 108, 124].includes(dib)) return { mime: "image/bmp", kind: "image" };
  }
  if (a4 === "OggS") return { mime: "audio/ogg", kind: "audio" };
  if (a4 === "fLaC") return { mime: "audio/flac", kind: "audio" };
  if (ascii(head, 0, 3) === "ID3") return { mime: "audio/mpeg", kind: "audio" };
  if (ascii(head, 4, 8) === "ftyp") return sniffFtyp(head);
  if (["moov", "mdat", "wide"].includes(ascii(head, 4, 8))) return { mime: "video/quicktime", kind: "video" };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    const docType = ebmlDocType(head);
    if (docType === "webm") return { mime: "video/webm", kind: "video" };
    if (docType === "matroska") return { mime: "video/x-matroska", kind: "video" };
    return null;
  }
  if (head[0] === 0xff && head[1] !== undefined && (head[1] & 0xf6) === 0xf0) return { mime: "audio/aac", kind: "audio" };
  if (isMp3FrameHeader(head, 0)) return { mime: "audio/mpeg", kind: "audio" };
  return null;
}

/**
 * What the bytes are, from their first few KiB (see SNIFF_BYTES). Null for anything that is
 * not a media type we handle, including all markup, even when it starts with a media signature
 * (polyglot files).
 */
export function sniff(head: Uint8Array): Sniffed | null {
  if (head.length === 0 || looksLikeMarkup(head)) return null;
  const binary = sniffBinary(head);
  if (binary) return binary;
  return isUtf8Text(head) ? { mime: "text/plain", kind: "text" } : null;
}

const EXT_KIND: Record<string, MediaKind> = {
  png: "image", jpg: "image", jpeg: "image", jpe: "image", jfif: "image", gif: "image", webp: "image",
  bmp: "image", tif: "image", tiff: "image", avif: "image",
  wav: "audio", wave: "audio", ogg: "audio", oga: "audio", opus: "audio", flac: "audio", mp3: "audio",
  m4a: "audio", m4b: "audio", aac: "audio", weba: "audio",
  mp4: "video", m4v: "video", mov: "video", qt: "video", webm: "video", mkv: "video", ogv: "video",
  "3gp": "video", avi: "video",
  txt: "text", text: "text",
};

/**
 * The kind a file name, extension or MIME type claims. Null when the claim says nothing
 * (empty, application/octet-stream) and "unknown" when it names a type we do not handle.
 */
export function declaredKind(extOrMime: string): MediaKind | null | "unknown" {
  const d = extOrMime.trim().toLowerCase().split(";")[0]!.trim();
  if (!d || d === "application/octet-stream" || d === "binary/octet-stream") return null;
  if (d === "image" || d === "audio" || d === "video" || d === "text") return d;
  if (d.includes("/") && !d.includes(".")) {
    const top = d.split("/")[0]!;
    if (d === "text/plain") return "text";
    if (d === "application/ogg") return "audio";
    if (top === "image" || top === "audio" || top === "video") {
      return d.includes("svg") ? "unknown" : top;
    }
    return "unknown";
  }
  const ext = d.includes(".") ? d.slice(d.lastIndexOf(".") + 1) : d;
  return EXT_KIND[ext] ?? "unknown";
}

// Containers that hold either sound or pictures; a claim of either kind is believable.
const AV_CONTAINERS: Record<string, { audio: string; video: string }> = {
  "audio/mp4": { audio: "audio/mp4", video: "video/mp4" },
  "video/mp4": { audio: "audio/mp4", video: "video/mp4" },
  "video/quicktime": { audio: "audio/mp4", video: "video/quicktime" },
  "video/webm": { audio: "audio/webm", video: "video/webm" },
  "video/x-matroska": { audio: "audio/x-matroska", video: "video/x-matroska" },
  "audio/ogg": { audio: "audio/ogg", video: "video/ogg" },
};

/**
 * Checks that sniffed content matches what the upload claims to be and returns the type to
 * store it under. Throws 415 unsupported_media_type for markup, unknown content, or content
 * of another kind than declared (a ".png" that is really HTML). Audio-or-video containers are
 * relabelled to the declared kind.
 */
export function expectKind(
  sniffed: Sniffed | null,
  declared: string,
  opts: { field?: string; head?: Uint8Array } = {},
): Sniffed {
  const field = opts.field ?? "file";
  const label = declared.trim() || "the file";
  if (!sniffed) {
    const msg =
      opts.head && looksLikeMarkup(opts.head)
        ? `The content of ${label} is HTML, SVG or XML markup, which is never accepted as media.`
        : `The content of ${label} is not a supported image, audio, video or text format.`;
    throw new ApiError(415, "unsupported_media_type", msg, field, { declared: declared || null });
  }
  const want = declaredKind(declared);
  if (want === "unknown") {
    throw new ApiError(415, "unsupported_media_type", `The file type of ${label} is not supported.`, field, {
      declared,
      detected: sniffed.mime,
    });
  }
  if (want === null || want === sniffed.kind) return sniffed;
  const av = AV_CONTAINERS[sniffed.mime];
  if (av && (want === "audio" || want === "video")) return { mime: av[want], kind: want };
  throw new ApiError(
    415,
    "unsupported_media_type",
    `The content of ${label} does not match its type: it was declared as ${want} but the bytes are ${sniffed.mime}.`,
    field,
    { declared, detected: sniffed.mime },
  );
}

/** sniff + expectKind in one call, with the markup-aware message. */
export function sniffAs(head: Uint8Array, declared: string, field?: string): Sniffed {
  return expectKind(sniff(head), declared, { field, head });
}

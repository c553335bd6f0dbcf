// Names inside archives. Task data is user input: a file name like "../../etc/passwd",
// "C:\\Windows\\x" or "/abs" must never name anything outside the archive root, and extraction on
// Windows must not trip over reserved names or characters.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// Control characters (C0, DEL, C1), characters Windows forbids, and bidi/format controls that can
// disguise a name's extension (U+202E "right-to-left override" tricks).
const BAD_CHARS = /[\u0000-\u001f\u007f-\u009f<>:"|?*\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_SEGMENT_BYTES = 200;

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** Cut s to at most max UTF-8 bytes without splitting a code point. */
function truncateUtf8(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  let out = "";
  let n = 0;
  for (const ch of s) {
    const b = utf8Length(ch);
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** One path segment made safe: never empty, ".", ".." or a Windows device name. */
export function sanitizeSegment(raw: string, fallback = "file"): string {
  let s = raw.normalize("NFC").replace(BAD_CHARS, "_");
  // Windows drops trailing dots and spaces, which would make "a." and "a" the same file.
  s = s.replace(/^[\s.]+|[\s.]+$/g, "");
  if (s === "") s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  if (utf8Length(s) > MAX_SEGMENT_BYTES) {
    const dot = s.lastIndexOf(".");
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : "";
    s = truncateUtf8(s.slice(0, s.length - ext.length), MAX_SEGMENT_BYTES - utf8Length(ext)) + ext;
  }
  return s;
}

/**
 * A relative "/"-separated path that stays inside the archive root: backslashes become "/",
 * drive letters, leading "/" and UNC prefixes go, dot-only segments are dropped (not resolved:
 * "a/../b" becomes "a/b", so a name can never climb), and each segment is sanitised.
 */
export function sanitizePath(raw: string, fallback = "file"): string {
  const s = String(raw)
    .replace(/\\/g, "/")
    .replace(/^[a-zA-Z]:/, "")
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, ""); // a URL used as a name: drop the scheme
  const parts = s
    .split("/")
    .map((p) => p.replace(/[\u0000-\u001f\u007f]/g, "").trim())
    .filter((p) => !/^[\s.]*$/.test(p)) // "", ".", "..", and "...." (Windows reads trailing dots away)
    .map((p) => sanitizeSegment(p, fallback));
  return parts.length > 0 ? parts.join("/") : fallback;
}

// Names that sanitizePath returns unchanged: ASCII letters, digits, "_", "-" and inner dots, no
// leading or trailing dot, short, not a device name. The common case skips the general path.
const PLAIN_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9._-]{0,150}[A-Za-z0-9_-])?$/;

/** Just the file name of a user path (directories in task data are not kept inside archives). */
export function sanitizeFileName(raw: string, fallback = "file"): string {
  if (typeof raw === "string" && PLAIN_NAME.test(raw) && !WINDOWS_RESERVED.test(raw)) return raw;
  const parts = sanitizePath(raw, fallback).split("/");
  return parts[parts.length - 1]!;
}

export function splitExt(name: string): [stem: string, ext: string] {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
}

/**
 * Hands out unique names in a folder, deterministically: the same sequence of requests gives the
 * same names. Uniqueness is by stem, case-insensitively, because label files are named after their
 * image's stem (YOLO: a.jpg and a.png would both want labels/a.txt) and because archives are often
 * extracted on case-insensitive file systems. "a.jpg", "A.png", "a.jpg" -> "a.jpg", "A-2.png", "a-3.jpg".
 * Memory grows with the number of names (a few dozen bytes each); that is the one per-item cost.
 */
export class UniqueNamer {
  private readonly used = new Set<string>();

  claim(name: string): string {
    const [stem, ext] = splitExt(name);
    let candidate = name;
    for (let k = 2; this.used.has(splitExt(candidate)[0].toLowerCase()); k++) candidate = `${stem}-${k}${ext}`;
    this.used.add(splitExt(candidate)[0].toLowerCase());
    return candidate;
  }
}

/** True when p is a safe archive path as produced by sanitizePath (used as a last check by the zip writer). */
export function isSafeArchivePath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\\") || /^[a-zA-Z]:/.test(p)) return false;
  if (/[\u0000-\u001f\u007f]/.test(p)) return false;
  return p.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

// Which string of a task is "the text" a text project annotates, and the size the editor opens.
// One rule for the task page, the editor and the server's span checks.

/** The largest text the editor opens (UTF-8 bytes). Bigger tasks get a clear message instead. */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

/** data.text if it is a string, else the first string field; null if the task has none. */
export function taskText(data: unknown): string | null {
  if (!data || typeof data !== "object") return null;
  const d = data as Record<string, unknown>;
  if (typeof d.text === "string") return d.text;
  const v = Object.values(d).find((x) => typeof x === "string");
  return typeof v === "string" ? v : null;
}

/** UTF-8 size of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Byte offset of the first invalid UTF-8 sequence in `b`, or -1 if it is all valid. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= b.length) return i; // truncated at the end
    let cp = c & (0x3f >> need);
    for (let j = 1; j <= need; j++) {
      const d = b[i + j]!;
      if ((d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i; // overlong or surrogate
    i += need + 1;
  }
  return -1;
}

/**
 * A text file's content as task text: strict UTF-8 (a bad byte is an error naming its offset,
 * never a silent U+FFFD), a leading byte-order mark dropped, line endings kept as they are.
 */
export function decodeTextFile(b: Uint8Array): { ok: true; text: string } | { ok: false; offset: number } {
  const bad = firstInvalidUtf8(b);
  if (bad >= 0) return { ok: false, offset: bad };
  return { ok: true, text: new TextDecoder("utf-8").decode(b) };
}

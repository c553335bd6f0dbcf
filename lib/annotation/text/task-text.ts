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

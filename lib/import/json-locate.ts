// Where JSON.parse failed. V8's messages carry a position only on some Node versions and for
// some errors, so on failure we re-scan the text ourselves to name a line and column.

export interface JsonErrorLocation {
  /** Offset into the text. */
  pos: number;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY_RE = /[^"\\\u0000-\u001f]*/y;
const ESCAPE_RE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

type State = "value" | "firstValueOrEnd" | "key" | "firstKeyOrEnd" | "colon" | "afterValue";

function describe(c: string | undefined): string {
  if (c === undefined) return "end of input";
  if (c === "\n" || c === "\r") return "end of line";
  return `'${c}'`;
}

/** Returns the end offset of the string starting at `i` (a quote), or an error. */
function scanString(s: string, i: number): number | { pos: number; message: string } {
  let p = i + 1;
  for (;;) {
    STRING_BODY_RE.lastIndex = p;
    STRING_BODY_RE.exec(s);
    p = STRING_BODY_RE.lastIndex;
    const c = s[p];
    if (c === '"') return p + 1;
    if (c === "\\") {
      ESCAPE_RE.lastIndex = p;
      if (!ESCAPE_RE.test(s)) return { pos: p, message: "invalid escape sequence in string" };
      p = ESCAPE_RE.lastIndex;
      continue;
    }
    if (c === undefined) return { pos: p, message: "unterminated string" };
    return { pos: p, message: "unescaped control character or line break in string" };
  }
}

/** First syntax error in `s`, or null if `s` is one valid JSON value. */
export function locateJsonError(s: string): JsonErrorLocation | null {
  const err = findError(s);
  if (!err) return null;
  let line = 1;
  let lineStart = 0;
  for (let i = s.indexOf("\n"); i !== -1 && i < err.pos; i = s.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { ...err, line, column: err.pos - lineStart + 1 };
}

function findError(s: string): { pos: number; message: string } | null {
  const stack: Array<"[" | "{"> = [];
  let state: State = "value";
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = s.length;
  for (;;) {
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    const c = s[i];
    if (c === undefined) {
      return stack.length === 0 && state === "afterValue" ? null : { pos: i, message: "unexpected end of input" };
    }
    switch (state) {
      case "firstValueOrEnd":
      case "value":
        if (state === "firstValueOrEnd" && c === "]") {
          stack.pop();
          i++;
          state = "afterValue";
        } else if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          state = c === "{" ? "firstKeyOrEnd" : "firstValueOrEnd";
        } else if (c === '"') {
          const r = scanString(s, i);
          if (typeof r !== "number") return r;
          i = r;
          state = "afterValue";
        } else if (c === "-" || (c >= "0" && c <= "9")) {
          NUMBER_RE.lastIndex = i;
          if (!NUMBER_RE.test(s)) return { pos: i, message: "invalid number" };
          i = NUMBER_RE.lastIndex;
          state = "afterValue";
        } else {
          const lit = ["true", "false", "null"].find((w) => s.startsWith(w, i));
          if (!lit) return { pos: i, message: `unexpected ${describe(c)} where a value was expected` };
          i += lit.length;
          state = "afterValue";
        }
        break;
      case "afterValue": {
        const top = stack[stack.length - 1];
        if (top === undefined) return { pos: i, message: `unexpected ${describe(c)} after the end of the JSON value` };
        const close = top === "[" ? "]" : "}";
        if (c === ",") {
          i++;
          state = top === "[" ? "value" : "key";
        } else if (c === close) {
          stack.pop();
          i++;
        } else {
          return { pos: i, message: `expected ',' or '${close}' but found ${describe(c)}` };
        }
        break;
      }
      case "firstKeyOrEnd":
      case "key":
        if (state === "firstKeyOrEnd" && c === "}") {
          stack.pop();
          i++;
          state = "afterValue";
        } else if (c === '"') {
          const r = scanString(s, i);
          if (typeof r !== "number") return r;
          i = r;
          state = "colon";
        } else {
          return { pos: i, message: `expected a property name in double quotes but found ${describe(c)}` };
        }
        break;
      case "colon":
        if (c !== ":") return { pos: i, message: `expected ':' but found ${describe(c)}` };
        i++;
        state = "value";
        break;
    }
  }
}

/**
 * 1-based line on which each element of a top-level JSON array starts. Only for text that
 * JSON.parse has already accepted, so it need not validate anything.
 */
export function arrayElementLines(s: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let pending = false;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (pending) {
      pending = false;
      if (!(c === 93 && depth === 1)) lines.push(line);
    }
    if (c === 34) {
      // Skip the string: a quote ends it unless preceded by an odd number of backslashes.
      let j = i;
      for (;;) {
        j = s.indexOf('"', j + 1);
        if (j === -1) return lines;
        let k = j - 1;
        while (s.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) pending = true;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 44 && depth === 1) {
      pending = true;
    }
  }
  return lines;
}

// RFC 4180 CSV: quoted fields may hold delimiters, line breaks and doubled quotes; records
// end at CRLF, LF or CR. Lenient where the RFC is silent: a stray quote inside an unquoted
// field, or text after a closing quote, is kept as part of the field.

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  message: string;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // CRLF counts once (via its LF); a lone CR is a line break too (old Mac files).
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/**
 * Splits `text` into records. Blank lines are skipped. An unterminated quoted field ends
 * parsing with an error naming the line where its record began.
 */
export function parseCsvRecords(text: string, delimiter = ","): { records: CsvRecord[]; error?: CsvError } {
  const records: CsvRecord[] = [];
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let value = "";
      if (text.charCodeAt(i) === 34) {
        let p = i + 1;
        for (;;) {
          const q = text.indexOf('"', p);
          if (q === -1) {
            return { records, error: { line: startLine, message: "unterminated quoted field" } };
          }
          value += text.slice(p, q);
          line += countNewlines(text, p, q);
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            p = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      }
      // Unquoted field, or whatever follows a closing quote, up to the delimiter or line end.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === d || c === 10 || c === 13) break;
        j++;
      }
      if (j > i) value += text.slice(i, j);
      fields.push(value);
      i = j;
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        if (i >= n) fields.push("");
        else continue;
      }
      endOfRecord = true;
      if (c === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      else if (c === 10) i++;
      if (c === 13 || c === 10) line++;
    }
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank) records.push({ line: startLine, fields });
  }
  return { records };
}

// Turns an uploaded task list (JSON, JSONL or CSV) into rows of task data. Per-row problems
// are collected with their line numbers so the importer can show them all at once; only
// problems with the file as a whole (type, encoding, size) throw.
import path from "node:path";
import { config } from "../config";
import { ApiError, invalid, tooLarge } from "../server/errors";
import { parseCsvRecords } from "./csv";
import { arrayElementLines, locateJsonError } from "./json-locate";

export type TaskListFormat = "json" | "jsonl" | "csv" | "tsv";

export interface TaskRow {
  /** 1-based line in the file where this task starts. */
  line: number;
  data: Record<string, unknown>;
  predictions?: unknown[];
  annotations?: unknown[];
}

export interface RowError {
  line: number;
  message: string;
}

export interface ParsedTaskList {
  format: TaskListFormat;
  rows: TaskRow[];
  errors: RowError[];
}

const EXT_FORMAT: Record<string, TaskListFormat> = {
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
  ".tsv": "tsv",
};

function firstNonSpace(s: string): string | undefined {
  const m = /[^\s\uFEFF]/.exec(s.length > 4096 ? s.slice(0, 4096) : s);
  return m?.[0];
}

/** A first line that is a whole JSON value, followed by more, means one task per line. */
function looksLikeJsonl(text: string): boolean {
  const start = text.search(/[^\s\uFEFF]/);
  if (start < 0) return false;
  const nl = text.indexOf("\n", start);
  if (nl < 0) return false;
  try {
    JSON.parse(text.slice(start, nl));
  } catch {
    return false;
  }
  return /\S/.test(text.slice(nl, nl + 4096));
}

/**
 * Format of a task list from its name and its first bytes (pass the whole text when you
 * have it). Content wins over a ".json" name when it is clearly one object per line.
 * Null when neither says anything usable.
 */
export function detectTaskListFormat(name: string, head: Uint8Array | string): TaskListFormat | null {
  const text = typeof head === "string" ? head : new TextDecoder().decode(head.subarray(0, 65536));
  const byExt = EXT_FORMAT[path.extname(name).toLowerCase()] ?? null;
  if (byExt === "csv" || byExt === "tsv" || byExt === "jsonl") return byExt;
  const c = firstNonSpace(text);
  if (c === "[") return "json";
  if (c === "{") return looksLikeJsonl(text) ? "jsonl" : "json";
  if (byExt === "json") return "json";
  if (c === undefined) return null;
  // No telling name: a header line with commas or tabs is the best remaining evidence.
  const firstLine = text.slice(0, Math.min(text.length, 65536)).split(/\r?\n/, 1)[0] ?? "";
  if (firstLine.includes("\t")) return "tsv";
  return firstLine.includes(",") ? "csv" : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Label Studio's {"data", "predictions", "annotations"} task, or a bare object as the data. */
function toRow(value: unknown, line: number): TaskRow | RowError {
  if (!isObject(value)) return { line, message: `Each task must be a JSON object, not ${typeName(value)}.` };
  if (!("data" in value)) return { line, data: value };
  const { data, predictions, annotations } = value;
  if (!isObject(data)) return { line, message: `"data" must be an object, not ${typeName(data)}.` };
  if (predictions !== undefined && !Array.isArray(predictions)) {
    return { line, message: `"predictions" must be an array, not ${typeName(predictions)}.` };
  }
  if (annotations !== undefined && !Array.isArray(annotations)) {
    return { line, message: `"annotations" must be an array, not ${typeName(annotations)}.` };
  }
  const row: TaskRow = { line, data };
  if (predictions) row.predictions = predictions;
  if (annotations) row.annotations = annotations;
  return row;
}

function push(out: ParsedTaskList, r: TaskRow | RowError): void {
  if ("data" in r) out.rows.push(r);
  else out.errors.push(r);
}

function jsonMessage(text: string, fallback: unknown): { line: number; column: number; message: string } {
  const loc = locateJsonError(text);
  if (loc) return loc;
  // Our scanner accepted what V8 refused (e.g. a lone surrogate edge case): use V8's words.
  return { line: 1, column: 1, message: fallback instanceof Error ? fallback.message : String(fallback) };
}

function parseJson(text: string, out: ParsedTaskList): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const loc = jsonMessage(text, e);
    out.errors.push({ line: loc.line, message: `Invalid JSON at line ${loc.line}, column ${loc.column}: ${loc.message}.` });
    return;
  }
  if (!Array.isArray(value)) {
    const start = text.search(/\S/);
    const line = start <= 0 ? 1 : countLines(text, start);
    push(out, toRow(value, line));
    return;
  }
  const lines = arrayElementLines(text);
  value.forEach((item, k) => push(out, toRow(item, lines[k] ?? 1)));
}

function countLines(text: string, upTo: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < upTo; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function parseJsonl(text: string, out: ParsedTaskList): void {
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!;
    // Fast path: most lines start with "{"; only look for blankness when they do not.
    const c = raw.charCodeAt(0);
    if (c !== 123 && !/\S/.test(raw)) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      const loc = jsonMessage(raw, e);
      out.errors.push({ line: k + 1, message: `Invalid JSON at column ${loc.column}: ${loc.message}.` });
      continue;
    }
    push(out, toRow(value, k + 1));
  }
}

function parseDelimited(text: string, delimiter: string, out: ParsedTaskList): void {
  const { records, error } = parseCsvRecords(text, delimiter);
  const [header, ...body] = records;
  if (header) {
    const names = header.fields.map((f) => f.trim());
    const seen = new Set<string>();
    for (const [k, name] of names.entries()) {
      if (!name) {
        out.errors.push({ line: header.line, message: `Column ${k + 1} of the header has no name.` });
        return;
      }
      if (seen.has(name)) {
        out.errors.push({ line: header.line, message: `The header names column "${name}" twice.` });
        return;
      }
      seen.add(name);
    }
    for (const r of body) {
      if (r.fields.length !== names.length) {
        out.errors.push({
          line: r.line,
          message: `Expected ${names.length} columns as in the header, found ${r.fields.length}.`,
        });
        continue;
      }
      // fromEntries defines own properties, so a "__proto__" column stays a plain column.
      out.rows.push({ line: r.line, data: Object.fromEntries(names.map((name, c) => [name, r.fields[c]])) });
    }
  }
  if (error) out.errors.push({ line: error.line, message: `Invalid CSV: ${error.message}.` });
}

/**
 * Parses a task list. Throws 413 too_large above config.maxTaskListBytes, 415
 * unsupported_media_type when the format cannot be told, 422 invalid_encoding when the
 * file is not UTF-8 and 422 empty_task_list when it holds nothing.
 */
export function parseTaskList(
  buf: Uint8Array,
  fileName: string,
  opts: { field?: string; maxBytes?: number; format?: TaskListFormat } = {},
): ParsedTaskList {
  const field = opts.field ?? "file";
  const maxBytes = opts.maxBytes ?? config.maxTaskListBytes;
  if (buf.byteLength > maxBytes) throw tooLarge(`The task list is larger than the limit of ${maxBytes} bytes.`, field);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    throw invalid("The task list is not valid UTF-8 text.", field, "invalid_encoding");
  }
  if (!/\S/.test(text)) {
    throw invalid("The task list is empty.", field, "empty_task_list");
  }
  const format = opts.format ?? detectTaskListFormat(fileName, text);
  if (!format) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Task lists must be JSON, JSONL, CSV or TSV (.json, .jsonl, .csv, .tsv).",
      field,
    );
  }
  const out: ParsedTaskList = { format, rows: [], errors: [] };
  if (format === "json") parseJson(text, out);
  else if (format === "jsonl") parseJsonl(text, out);
  else parseDelimited(text, format === "tsv" ? "\t" : ",", out);
  return out;
}

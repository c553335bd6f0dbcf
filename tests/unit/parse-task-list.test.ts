import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsvRecords } from "@/lib/import/csv";
import { arrayElementLines, locateJsonError } from "@/lib/import/json-locate";
import { detectTaskListFormat, parseTaskList } from "@/lib/import/parse-task-list";
import { apiError } from "./support/api-error";
import { fixture } from "./support/synthetic-media";

const parse = (text: string, name: string) => parseTaskList(Buffer.from(text), name);


describe("fixtures", () => {
  it("reads news.jsonl: one task per line", () => {
    const r = parseTaskList(readFileSync(fixture("text/news.jsonl")), "news.jsonl");
    expect(r.format).toBe("jsonl");
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(12);
    expect(r.rows[0]).toEqual({ line: 1, data: { text: expect.stringContaining("Angela Merkel") } });
    expect(r.rows.map((x) => x.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("reads news-tasks.json in Label Studio's format, with each task's line", () => {
    const r = parseTaskList(readFileSync(fixture("text/news-tasks.json")), "news-tasks.json");
    expect(r.format).toBe("json");
    expect(r.errors).toEqual([]);
    expect(r.rows[0]!.data).toEqual({ text: expect.stringContaining("Merkel"), source: "newswire" });
    expect(r.rows[0]!.line).toBe(2);
    expect(r.rows[1]!.line).toBe(8);
  });

  it("reads reviews.csv and reviews.jsonl to the same texts", () => {
    const csv = parseTaskList(readFileSync(fixture("text/reviews.csv")), "reviews.csv");
    const jsonl = parseTaskList(readFileSync(fixture("text/reviews.jsonl")), "reviews.jsonl");
    expect(csv.errors).toEqual([]);
    expect(csv.rows.length).toBe(jsonl.rows.length);
    expect(csv.rows.map((r) => r.data.text)).toEqual(jsonl.rows.map((r) => r.data.text));
    expect(csv.rows[0]!.data).toMatchObject({ id: "1", product: "phone" });
  });
});

describe("JSON", () => {
  it("accepts a single object as one task", () => {
    const r = parse('\n\n{"text": "hi"}\n', "one.json");
    expect(r.rows).toEqual([{ line: 3, data: { text: "hi" } }]);
  });

  it("keeps predictions and annotations of Label Studio tasks", () => {
    const task = { data: { image: "/x.png" }, predictions: [{ result: [] }], annotations: [{ result: [1] }], id: 7 };
    const r = parse(JSON.stringify([task]), "ls.json");
    expect(r.rows).toEqual([{ line: 1, data: task.data, predictions: task.predictions, annotations: task.annotations }]);
  });

  it("reports the line of a syntax error in a pretty-printed array", () => {
    const text = '[\n  {"text": "a"},\n  {"text": "b"}\n  {"text": "c"}\n]';
    const r = parse(text, "bad.json");
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.line).toBe(4);
    expect(r.errors[0]!.message).toMatch(/line 4, column 3/);
  });

  it("reports unterminated input at its end", () => {
    const r = parse('[\n{"text": "a"},\n{"text": "b', "cut.json");
    expect(r.errors[0]!.line).toBe(3);
    expect(r.errors[0]!.message).toMatch(/unterminated string/);
  });

  it("reports rows that are not objects, and bad data/predictions/annotations, by line", () => {
    const text = [
      "[",
      '  {"text": "ok"},',
      '  "just a string",',
      '  {"data": "not an object"},',
      '  {"data": {"t": 1}, "predictions": {}},',
      '  {"data": {"t": 1}, "annotations": 3},',
      "  [1, 2],",
      "  null",
      "]",
    ].join("\n");
    const r = parse(text, "mixed.json");
    expect(r.rows).toEqual([{ line: 2, data: { text: "ok" } }]);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.errors[0]!.message).toMatch(/must be a JSON object/);
    expect(r.errors[1]!.message).toMatch(/"data" must be an object/);
    expect(r.errors[2]!.message).toMatch(/"predictions" must be an array/);
    expect(r.errors[3]!.message).toMatch(/"annotations" must be an array/);
  });

  it("keeps HTML and odd keys in data verbatim and does not touch prototypes", () => {
    const r = parse('[{"text": "<script>alert(1)</script>", "__proto__": {"polluted": true}}]', "x.json");
    const data = r.rows[0]!.data;
    expect(data.text).toBe("<script>alert(1)</script>");
    expect(Object.prototype.hasOwnProperty.call(data, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads an empty array as no tasks", () => {
    expect(parse("[]", "e.json")).toEqual({ format: "json", rows: [], errors: [] });
  });
});

describe("JSONL", () => {
  it("skips blank lines, accepts CRLF and a BOM, and reports the failing line", () => {
    const text = '\ufeff{"a": 1}\r\n\r\n{"a": 2}\r\n{"a": \r\n   \n{"data": {"a": 4}}\n[1]\n';
    const r = parse(text, "x.jsonl");
    expect(r.rows).toEqual([
      { line: 1, data: { a: 1 } },
      { line: 3, data: { a: 2 } },
      { line: 6, data: { a: 4 } },
    ]);
    expect(r.errors).toEqual([
      { line: 4, message: expect.stringMatching(/Invalid JSON at column \d+/) },
      { line: 7, message: expect.stringMatching(/must be a JSON object/) },
    ]);
  });

  it("parses 100k short rows", () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(JSON.stringify({ text: `row number ${i} <b>bold</b>`, n: i }));
    const r = parseTaskList(Buffer.from(lines.join("\n")), "big.jsonl");
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(100_000);
    expect(r.rows[99_999]).toEqual({ line: 100_000, data: { text: "row number 99999 <b>bold</b>", n: 99_999 } });
  });
});

describe("CSV", () => {
  it("handles quoted commas, line breaks, escaped quotes, BOM and CRLF", () => {
    const text = '\ufeffid,text,note\r\n1,"a, b",plain\r\n2,"line one\r\nline two","say ""hi"""\r\n3,,\r\n';
    const r = parse(text, "t.csv");
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { line: 2, data: { id: "1", text: "a, b", note: "plain" } },
      { line: 3, data: { id: "2", text: "line one\r\nline two", note: 'say "hi"' } },
      { line: 5, data: { id: "3", text: "", note: "" } },
    ]);
  });

  it("reports rows with the wrong number of columns at their starting line", () => {
    const text = 'a,b\n1,2\n"x\ny",2,3\n4\n5,6';
    const r = parse(text, "t.csv");
    expect(r.rows.map((x) => x.line)).toEqual([2, 6]);
    expect(r.errors).toEqual([
      { line: 3, message: "Expected 2 columns as in the header, found 3." },
      { line: 5, message: "Expected 2 columns as in the header, found 1." },
    ]);
  });

  it("reports an unterminated quote and keeps the rows before it", () => {
    const r = parse('a,b\n1,2\n3,"oops\n4,5\n', "t.csv");
    expect(r.rows).toEqual([{ line: 2, data: { a: "1", b: "2" } }]);
    expect(r.errors).toEqual([{ line: 3, message: "Invalid CSV: unterminated quoted field." }]);
  });

  it("refuses headers with empty or repeated names", () => {
    expect(parse("a,,c\n1,2,3", "t.csv").errors[0]).toEqual({ line: 1, message: "Column 2 of the header has no name." });
    expect(parse("a,a\n1,2", "t.csv").errors[0]!.message).toMatch(/twice/);
  });

  it("makes a __proto__ column an ordinary key", () => {
    const r = parse("__proto__,text\nx,hello", "t.csv");
    const data = r.rows[0]!.data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(data, "__proto__")).toBe(true);
    expect(data.text).toBe("hello");
  });

  it("reads TSV", () => {
    expect(parse("a\tb\n1\t2,3", "t.tsv").rows).toEqual([{ line: 2, data: { a: "1", b: "2,3" } }]);
  });

  it("splits records on lone CR too", () => {
    expect(parseCsvRecords("a,b\r1,2\r").records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
  });
});

describe("whole-file problems", () => {
  it("refuses a file that is not UTF-8", () => {
    const e = apiError(() => parseTaskList(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), "x.json"));
    expect([e.status, e.code]).toEqual([422, "invalid_encoding"]);
  });

  it("refuses an empty file", () => {
    expect(apiError(() => parse("  \n\n", "x.csv")).code).toBe("empty_task_list");
  });

  it("refuses a file over the size limit", () => {
    const e = apiError(() => parseTaskList(Buffer.from("[]"), "x.json", { maxBytes: 1 }));
    expect([e.status, e.code]).toEqual([413, "too_large"]);
  });

  it("refuses an unrecognisable format with 415", () => {
    const e = apiError(() => parse("<html><body>hello</body></html>", "page.html"));
    expect(e.status).toBe(415);
  });
});

describe("detectTaskListFormat", () => {
  it.each([
    ["x.csv", "a,b", "csv"],
    ["x.tsv", "a\tb", "tsv"],
    ["x.jsonl", '{"a":1}', "jsonl"],
    ["x.ndjson", '{"a":1}', "jsonl"],
    ["x.json", '[{"a":1}]', "json"],
    ["x.json", '{\n  "a": 1\n}', "json"],
    ["x.json", '{"a":1}\n{"a":2}\n', "jsonl"],
    ["upload", "  [", "json"],
    ["upload", "id,text\n1,hi", "csv"],
    ["upload", "hello world", null],
  ])("%s starting %j is %s", (name, head, want) => {
    expect(detectTaskListFormat(name, Buffer.from(head))).toBe(want);
  });
});

describe("JSON location helpers", () => {
  it("names line and column", () => {
    expect(locateJsonError('{"a": 1,\n "b": tru}')).toMatchObject({ line: 2, column: 7 });
    expect(locateJsonError('{"a": [1, 2]}')).toBeNull();
    expect(locateJsonError("[1] 2")?.message).toMatch(/after the end/);
    expect(locateJsonError('{"a" 1}')?.message).toMatch(/expected ':'/);
    expect(locateJsonError('["\\x"]')?.message).toMatch(/escape/);
  });

  it("finds where top-level array elements start, strings with brackets and escapes included", () => {
    const text = '[\n"a]\\"[",\n\n{"x": [1,\n2]},\n  3]';
    expect(arrayElementLines(text)).toEqual([2, 4, 6]);
  });
});

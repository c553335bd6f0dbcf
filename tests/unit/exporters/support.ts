// Fixtures and golden-file helpers for the exporter tests. UPDATE_GOLDEN=1 rewrites the goldens.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { parseDocument, type AnnotationDocument } from "@/lib/annotation/document";
import { labelConfigSchema, type DataType } from "@/lib/labeling-config/schema";
import { exportEntries } from "@/lib/exporters";
import type { ExportAnnotation, ExportItem, ExportOptions, ExportSource } from "@/lib/exporters/types";

export const GOLDEN_ROOT = path.resolve(__dirname, "../../golden/exporters");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

export function doc(value: unknown): AnnotationDocument {
  const p = parseDocument(value);
  if (!p.ok) throw new Error(`${p.issue.path}: ${p.issue.message}`);
  return p.doc;
}

export function ann(id: number, document: unknown, extra: Partial<ExportAnnotation> = {}): ExportAnnotation {
  return { id, userId: 7, annotator: "ana@example.com", revision: 3, status: "submitted", document: doc(document), updatedAt: "2026-11-30T12:00:00.000Z", ...extra };
}

export function source(dataType: DataType, schema: unknown, items: ExportItem[]): ExportSource {
  return { dataType, schema: labelConfigSchema.parse(schema), project: { id: 1, name: "Demo" }, version: { number: 2, name: "v2" }, items: () => items };
}

/** Code-point offsets of the first occurrence of sub in text. */
export function cp(text: string, sub: string): { start: number; end: number } {
  const i = text.indexOf(sub);
  if (i < 0) throw new Error(`"${sub}" not in text`);
  const start = Array.from(text.slice(0, i)).length;
  return { start, end: start + Array.from(sub).length };
}

export async function bytesOf(data: unknown): Promise<Uint8Array> {
  const v = await (typeof data === "function" ? (data as () => unknown)() : data);
  const enc = new TextEncoder();
  if (typeof v === "string") return enc.encode(v);
  if (v instanceof Uint8Array) return v;
  const parts: Uint8Array[] = [];
  for await (const c of v as AsyncIterable<string | Uint8Array>) parts.push(typeof c === "string" ? enc.encode(c) : c);
  return Buffer.concat(parts);
}

/** Runs an export and returns its files in order (path -> bytes). */
export async function run(format: string, src: ExportSource, options: ExportOptions = {}): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of exportEntries(format, src, options)) out.set(e.path, await bytesOf(e.data));
  return out;
}

export const text = (files: Map<string, Uint8Array>, p: string): string => {
  const b = files.get(p);
  if (!b) throw new Error(`no ${p} in [${[...files.keys()].join(", ")}]`);
  return new TextDecoder().decode(b);
};

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p, base) : [path.relative(base, p).split(path.sep).join("/")];
  });
}

/** Compares the files (and their order, in _entries.txt) with tests/golden/exporters/<format>/<case>/. */
export function expectGolden(format: string, caseName: string, files: Map<string, Uint8Array>): void {
  const dir = path.join(GOLDEN_ROOT, format, caseName);
  const order = [...files.keys()].join("\n") + "\n";
  if (UPDATE || !existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "_entries.txt"), order);
    for (const [p, b] of files) {
      const f = path.join(dir, p);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, b);
    }
    if (!UPDATE) throw new Error(`golden ${format}/${caseName} was missing and has been written; check it and re-run`);
    return;
  }
  expect(order, `${format}/${caseName}: entry order`).toBe(readFileSync(path.join(dir, "_entries.txt"), "utf8"));
  const onDisk = listFiles(dir).filter((p) => p !== "_entries.txt").sort();
  expect(onDisk, `${format}/${caseName}: file list`).toEqual([...files.keys()].sort());
  for (const [p, b] of files) {
    expect(Buffer.from(b).toString("utf8"), `${format}/${caseName}/${p}`).toBe(readFileSync(path.join(dir, p), "utf8"));
  }
}

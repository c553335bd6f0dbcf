import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { exportZip } from "@/lib/exporters";
import { collectBytes, crc32, zipStream } from "@/lib/exporters/zip";
import type { ArchiveEntry, ExportItem } from "@/lib/exporters/types";
import { audioSource, imageSource, textSource } from "./fixtures";
import { ann, source } from "./support";

/** A strict little reader: walks the central directory, checks each local header, sizes and CRC. */
// Plain checks, not expect(): the ZIP64 test reads 65,600 entries.
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bad zip: ${what}`);
}

function readZip(buf: Uint8Array): Map<string, Buffer> {
  const b = Buffer.from(buf);
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(-1);
  let count = b.readUInt16LE(eocd + 10);
  let cd = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || cd === 0xffffffff) {
    const loc = eocd - 20;
    expect(b.readUInt32LE(loc)).toBe(0x07064b50);
    const z64 = Number(b.readBigUInt64LE(loc + 8));
    count = Number(b.readBigUInt64LE(z64 + 32));
    cd = Number(b.readBigUInt64LE(z64 + 48));
  }
  const out = new Map<string, Buffer>();
  for (let i = 0, p = cd; i < count; i++) {
    check(b.readUInt32LE(p) === 0x02014b50, `central record ${i}`);
    const method = b.readUInt16LE(p + 10), crc = b.readUInt32LE(p + 16), csize = b.readUInt32LE(p + 20), usize = b.readUInt32LE(p + 24);
    const nlen = b.readUInt16LE(p + 28), xlen = b.readUInt16LE(p + 30), clen = b.readUInt16LE(p + 32);
    const off = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nlen).toString("utf8");
    check(b.readUInt32LE(off) === 0x04034b50, `local header of ${name}`);
    const lnlen = b.readUInt16LE(off + 26), lxlen = b.readUInt16LE(off + 28);
    check(b.subarray(off + 30, off + 30 + lnlen).toString("utf8") === name, `local name of ${name}`);
    const raw = b.subarray(off + 30 + lnlen + lxlen, off + 30 + lnlen + lxlen + csize);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    check(data.length === usize, `size of ${name}`);
    check(crc32(data) === crc, `crc of ${name}`);
    out.set(name, data);
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("crc32", () => {
  it("matches the IEEE check value and runs incrementally", () => {
    const s = new TextEncoder().encode("123456789");
    expect(crc32(s)).toBe(0xcbf43926);
    expect(crc32(s.subarray(4), crc32(s.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe("zipStream", () => {
  it("writes entries in order with their bytes, deflated or stored", async () => {
    const entries: ArchiveEntry[] = [
      { path: "a.txt", data: "hello ".repeat(100) },
      { path: "dir/ü-😀.bin", data: new Uint8Array([0, 1, 2, 255]), compress: false },
      { path: "lazy.txt", data: () => (async function* () { yield "x"; yield new Uint8Array([121]); })() },
      { path: "empty", data: "" },
    ];
    const files = readZip(await collectBytes(zipStream(entries)));
    expect([...files.keys()]).toEqual(["a.txt", "dir/ü-😀.bin", "lazy.txt", "empty"]);
    expect(files.get("a.txt")!.toString()).toBe("hello ".repeat(100));
    expect([...files.get("dir/ü-😀.bin")!]).toEqual([0, 1, 2, 255]);
    expect(files.get("lazy.txt")!.toString()).toBe("xy");
    expect(files.get("empty")!.length).toBe(0);
  });

  it("refuses unsafe and duplicate paths", async () => {
    await expect(collectBytes(zipStream([{ path: "../x", data: "" }]))).rejects.toThrow(/unsafe/);
    await expect(collectBytes(zipStream([{ path: "/x", data: "" }]))).rejects.toThrow(/unsafe/);
    await expect(collectBytes(zipStream([{ path: "a", data: "" }, { path: "a", data: "" }]))).rejects.toThrow(/duplicate/);
  });

  it("writes ZIP64 end records past 65,535 entries", async () => {
    const n = 65_600;
    const entries = function* () { for (let i = 0; i < n; i++) yield { path: `f${i}`, data: "", compress: false }; };
    const files = readZip(await collectBytes(zipStream(entries(), { level: 0 })));
    expect(files.size).toBe(n);
  });
});

describe("export archives", () => {
  it.each([
    ["native", imageSource, { media: "include" as const }],
    ["coco", imageSource, { media: "include" as const }],
    ["yolo", imageSource, {}],
    ["voc", imageSource, {}],
    ["conll", textSource, {}],
    ["spacy", textSource, {}],
    ["segments", audioSource, { media: "include" as const }],
    ["asr", audioSource, {}],
  ])("%s: two runs give byte-identical archives", async (format, src, options) => {
    const a = await collectBytes(exportZip(format, src(), options));
    const b = await collectBytes(exportZip(format, src(), options));
    expect(sha(a)).toBe(sha(b));
    const files = readZip(a);
    expect([...files.keys()].at(-1)).toBe("export-report.json");
  });

  it("opens in Python's zipfile (an independent reader), when python3 is available", async () => {
    let python = true;
    try { execFileSync("python3", ["-c", "pass"]); } catch { python = false; }
    if (!python) return;
    const dir = mkdtempSync(path.join(tmpdir(), "loupe-zip-"));
    const file = path.join(dir, "coco.zip");
    writeFileSync(file, await collectBytes(exportZip("coco", imageSource(), { media: "include" })));
    const out = execFileSync("python3", ["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('\\n'.join(z.namelist()))", file]).toString();
    expect(out.trim().split("\n")).toEqual([
      "annotations/instances_train.json", "annotations/instances_val.json",
      "images/train/street.jpg", "images/val/passwd.png", "images/train/STREET-2.jpeg", "export-report.json",
    ]);
  });

  it("hostile media names from task data stay inside the archive root when extracted", async () => {
    const names = ["../../../../tmp/evil.sh", "/etc/passwd", "C:\\Windows\\system.ini", "..\\..\\x.jpg", "a/../../b.jpg", "\u0000.jpg", "CON", "...."];
    const items: ExportItem[] = names.map((fileName, i) => ({
      taskId: i + 1, split: null, annotations: [],
      media: { fileName, width: 10, height: 10, open: () => new TextEncoder().encode(`bytes ${i}`) },
    }));
    const zip = await collectBytes(exportZip("yolo", source("image", { labels: [{ name: "car" }] }, items), { media: "include" }));
    const files = readZip(zip);
    for (const name of files.keys()) {
      expect(name.startsWith("/") || name.split("/").includes("..") || name.includes("\\")).toBe(false);
    }
    expect([...files.keys()].filter((n) => n.startsWith("images/"))).toEqual([
      "images/train/evil.sh", "images/train/passwd", "images/train/system.ini", "images/train/x.jpg",
      "images/train/b.jpg", "images/train/jpg", "images/train/_CON", "images/train/task-8",
    ]);
    let python = true;
    try { execFileSync("python3", ["-c", "pass"]); } catch { python = false; }
    if (!python) return;
    const dir = mkdtempSync(path.join(tmpdir(), "loupe-escape-"));
    writeFileSync(path.join(dir, "x.zip"), zip);
    const out = execFileSync("python3", ["-c", [
      "import os,sys,zipfile",
      "root=os.path.realpath(sys.argv[1]+'/out')",
      "zipfile.ZipFile(sys.argv[1]+'/x.zip').extractall(root)",
      "bad=[p for d,_,fs in os.walk(root) for p in [os.path.realpath(os.path.join(d,f)) for f in fs] if not p.startswith(root+os.sep)]",
      "print(len(bad))",
    ].join("\n"), dir]).toString();
    expect(out.trim()).toBe("0");
  });

  it("streams: the first bytes come out before the items have all been read", async () => {
    let read = 0;
    const total = 5000;
    const src = source("text", { labels: [{ name: "X" }] }, []);
    src.items = async function* (): AsyncGenerator<ExportItem> {
      for (let i = 0; i < total; i++) {
        read++;
        yield { taskId: i, split: null, media: null, text: `token ${i}`, annotations: [ann(i, { regions: [{ id: "s", kind: "span", label: "X", start: 0, end: 5 }] })] };
      }
    };
    const it = exportZip("spacy", src)[Symbol.asyncIterator]();
    await it.next(); // local header of train.jsonl (after the scan pass)
    read = 0;
    await it.next(); // first compressed bytes
    expect(read).toBeLessThan(total);
    await it.return?.(undefined);
  });
});

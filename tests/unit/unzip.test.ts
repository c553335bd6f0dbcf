import { describe, it, expect, beforeEach } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { zipStream, collectBytes, crc32 } from "@/lib/exporters/zip";
import { listZip, unzipTo, unsafeEntryName, UnzipError } from "@/lib/archive/unzip";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-unzip-"));
});

const md5 = (b: Buffer | string) => createHash("md5").update(b).digest("hex");

async function writeZip(entries: Array<{ path: string; data: string | Uint8Array; compress?: boolean }>): Promise<string> {
  const f = path.join(dir, "a.zip");
  fs.writeFileSync(f, await collectBytes(zipStream(entries)));
  return f;
}

/** A stored ZIP with any names and Unix modes: what a hostile server could send. */
function rawZip(entries: Array<{ name: string; data: string; mode?: number; badCrc?: boolean }>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let off = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const data = Buffer.from(e.data);
    const crc = (crc32(data) ^ (e.badCrc ? 1 : 0)) >>> 0;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0x0800, 6);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE((3 << 8) | 20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38); ch.writeUInt32LE(off, 42);
    locals.push(lh, name, data);
    centrals.push(ch, name);
    off += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  const f = path.join(dir, "raw.zip");
  fs.writeFileSync(f, Buffer.concat([...locals, cd, end]));
  return f;
}

describe("unzip reader", () => {
  it("round-trips the archive writer: deflated, stored, empty, nested, unicode", async () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const huge = Buffer.concat(Array.from({ length: 20 }, (_, k) => Buffer.concat([big, Buffer.from(`chunk ${k}`)])));
    const f = await writeZip([
      { path: "manifest.json", data: '{"a":1}\n' },
      { path: "labels/train/img 1.txt", data: "0 0.5 0.5 0.1 0.1\n" },
      { path: "images/train/ü-🐱.png", data: new Uint8Array(big), compress: false },
      { path: "empty.txt", data: "" },
      { path: "big.bin", data: new Uint8Array(big) },
      // Past the synchronous small-entry path: streamed through inflate.
      { path: "huge/stored.bin", data: new Uint8Array(huge), compress: false },
      { path: "huge/deflated.bin", data: new Uint8Array(huge) },
    ]);
    const names = listZip(f).map((e) => e.name);
    expect(names).toEqual(["manifest.json", "labels/train/img 1.txt", "images/train/ü-🐱.png", "empty.txt", "big.bin", "huge/stored.bin", "huge/deflated.bin"]);
    const out = path.join(dir, "out");
    const files = await unzipTo(f, out);
    expect(files.map((x) => x.path)).toEqual(names);
    expect(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).toBe('{"a":1}\n');
    expect(fs.readFileSync(path.join(out, "images/train/ü-🐱.png")).equals(big)).toBe(true);
    expect(fs.readFileSync(path.join(out, "big.bin")).equals(big)).toBe(true);
    expect(fs.statSync(path.join(out, "empty.txt")).size).toBe(0);
    for (const h of ["huge/stored.bin", "huge/deflated.bin"]) {
      expect(fs.readFileSync(path.join(out, h)).equals(huge)).toBe(true);
      expect(files.find((x) => x.path === h)!.md5).toBe(md5(huge));
    }
    const bigEntry = files.find((x) => x.path === "big.bin")!;
    expect(bigEntry).toEqual({ path: "big.bin", size: big.length, md5: md5(big) });
  });

  it.each([
    ["../evil.txt", '".." in path'],
    ["a/../../evil.txt", '".." in path'],
    ["/etc/evil", "absolute path"],
    ["C:/evil", "drive letter"],
    ["c:evil", "drive letter"],
    ["a\\..\\evil", "backslash"],
    ["a//b", "empty"],
    ["./a", "empty"],
    ["a\u0000b", "control"],
  ])("refuses zip-slip entry %j", (name, why) => {
    expect(unsafeEntryName(name)).toContain(why);
    const f = rawZip([{ name: "ok.txt", data: "fine" }, { name, data: "pwned" }]);
    const out = path.join(dir, "out");
    return expect(unzipTo(f, out)).rejects.toThrow(/refusing entry/).then(() => {
      // Names are checked before anything is written: nothing lands anywhere.
      expect(fs.existsSync(path.join(dir, "evil.txt"))).toBe(false);
      expect(fs.existsSync(path.join(out, "ok.txt"))).toBe(false);
    });
  });

  it("refuses symlink entries and duplicates", async () => {
    const link = rawZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]);
    await expect(unzipTo(link, path.join(dir, "o1"))).rejects.toThrow(/symbolic link/);
    const dup = rawZip([{ name: "a.txt", data: "1" }, { name: "A.TXT", data: "2" }]);
    await expect(unzipTo(dup, path.join(dir, "o2"))).rejects.toThrow(/duplicate/);
  });

  it("never writes through an existing file or symlink", async () => {
    const f = rawZip([{ name: "x.txt", data: "new" }]);
    const out = path.join(dir, "out");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(dir, "target"), "keep");
    fs.symlinkSync(path.join(dir, "target"), path.join(out, "x.txt"));
    await expect(unzipTo(f, out)).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(path.join(dir, "target"), "utf8")).toBe("keep");
  });

  it("detects a wrong CRC and corrupted deflate data", async () => {
    const bad = rawZip([{ name: "a.txt", data: "hello world", badCrc: true }]);
    const e = await unzipTo(bad, path.join(dir, "o1")).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnzipError);
    expect((e as UnzipError).code).toBe("crc_mismatch");

    const f = await writeZip([{ path: "t.txt", data: "the quick brown fox jumps over the lazy dog ".repeat(200) }]);
    const b = fs.readFileSync(f);
    const en = listZip(f)[0]!;
    const at = en.localOffset + 30 + "t.txt".length + 5;
    b[at] = b[at]! ^ 0xff; // flip a byte inside the compressed data
    fs.writeFileSync(f, b);
    await expect(unzipTo(f, path.join(dir, "o2"))).rejects.toBeInstanceOf(UnzipError);
  });

  it("stops at the declared size: a header that under-states the data is corrupt, small or streamed", async () => {
    for (const size of [1000, 6 * 1024 * 1024]) {
      const f = await writeZip([{ path: "a.txt", data: "x".repeat(size) }]);
      const b = fs.readFileSync(f);
      const cdAt = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE(10, cdAt + 24); // uncompressed size: 10 bytes
      fs.writeFileSync(f, b);
      const e = await unzipTo(f, path.join(dir, `o${size}`)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnzipError);
      expect((e as UnzipError).code).toBe("corrupt");
    }
  });

  it("refuses an archive whose declared sizes exceed a cap, before writing anything", async () => {
    const f = await writeZip([{ path: "a.txt", data: "x".repeat(5000) }, { path: "b.txt", data: "y".repeat(5000) }]);
    const out = path.join(dir, "capped");
    await expect(unzipTo(f, out, undefined, { maxTotalBytes: 9000 })).rejects.toThrow(/more than the 9000 allowed/);
    expect(fs.existsSync(path.join(out, "a.txt"))).toBe(false);
    expect((await unzipTo(f, out, undefined, { maxTotalBytes: 10_000 })).length).toBe(2);
  });

  it("rejects truncated archives and non-zips", async () => {
    const f = await writeZip([{ path: "a.txt", data: "x".repeat(1000) }]);
    const b = fs.readFileSync(f);
    fs.writeFileSync(f, b.subarray(0, b.length - 30));
    expect(() => listZip(f)).toThrow(UnzipError);
    fs.writeFileSync(f, "not a zip at all, just text that is long enough");
    expect(() => listZip(f)).toThrow(/not a ZIP/);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/server/errors";
import { sniff } from "@/lib/storage/sniff";
import { makeThumbnail } from "@/lib/storage/thumbnail";
import { cleanupTempDirs, fixture, pngWithDimensions, tempDir, writeTemp } from "./support/synthetic-media";

let dir: string;
beforeEach(async () => {
  dir = await tempDir("loupe-thumb-");
});
afterAll(cleanupTempDirs);

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe("makeThumbnail", () => {
  it("writes a WebP that fits inside the box, creating folders, leaving no temp files", async () => {
    const dest = path.join(dir, "thumbs", "ab", "x.webp");
    const t = await makeThumbnail(fixture("images/fruits.jpg"), dest);
    expect(t.path).toBe(dest);
    expect(Math.max(t.width, t.height)).toBe(256);
    expect(t.width / t.height).toBeCloseTo(512 / 480, 1);
    expect(sniff(readFileSync(dest))?.mime).toBe("image/webp");
    const meta = await sharp(dest).metadata();
    expect([meta.width, meta.height]).toEqual([t.width, t.height]);
    expect(await readdir(path.dirname(dest))).toEqual(["x.webp"]);
  });

  it("honours maxSide and never enlarges", async () => {
    const small = await makeThumbnail(fixture("images/page.png"), path.join(dir, "s.webp"), 64);
    expect(small.width).toBe(64);
    const big = await makeThumbnail(fixture("images/page.png"), path.join(dir, "b.webp"), 2000);
    expect([big.width, big.height]).toEqual([384, 191]);
  });

  it("turns the image upright per EXIF orientation", async () => {
    const jpg = await sharp({ create: { width: 80, height: 40, channels: 3, background: "#0f0" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const src = await writeTemp(dir, "o.jpg", jpg);
    const t = await makeThumbnail(src, path.join(dir, "o.webp"));
    expect([t.width, t.height]).toEqual([40, 80]);
  });

  it("replaces an existing thumbnail atomically", async () => {
    const dest = path.join(dir, "r.webp");
    await makeThumbnail(fixture("images/page.png"), dest, 32);
    const t = await makeThumbnail(fixture("images/page.png"), dest, 48);
    expect(t.width).toBe(48);
    expect((await sharp(dest).metadata()).width).toBe(48);
  });

  it.each([
    ["truncated.png", "images/page.png", 0.5],
    ["truncated.jpg", "images/fruits.jpg", 0.5],
    ["barely-truncated.jpg", "images/fruits.jpg", 0.98],
  ])("refuses %s with 422 corrupt_media and writes nothing", async (name, rel, frac) => {
    const buf = readFileSync(fixture(rel));
    const src = await writeTemp(dir, name, buf.subarray(0, Math.floor(buf.length * frac)));
    const dest = path.join(dir, "out", "t.webp");
    const e = await rejection(makeThumbnail(src, dest, 256, { field: "files" }));
    expect(e.status).toBe(422);
    expect(e.code).toBe("corrupt_media");
    expect(e.field).toBe("files");
    expect(existsSync(dest)).toBe(false);
    expect(await readdir(path.dirname(dest))).toEqual([]);
  });

  it("refuses a decompression bomb without decoding it", async () => {
    const src = await writeTemp(dir, "bomb.png", pngWithDimensions(30_000, 30_000));
    const e = await rejection(makeThumbnail(src, path.join(dir, "bomb.webp"), 256, { maxPixels: 1_000_000 }));
    expect(e.code).toBe("too_many_pixels");
  });

  it("refuses HTML posing as an image", async () => {
    const src = await writeTemp(dir, "x.png", "<html><script>alert(1)</script></html>");
    const e = await rejection(makeThumbnail(src, path.join(dir, "x.webp")));
    expect(e.code).toBe("corrupt_media");
  });
});

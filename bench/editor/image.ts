// The synthetic 4000x3000 photo both editors load. Made with sharp (a Loupe dependency) because
// ffmpeg, which the shared LS bench used, is not on every machine. Deterministic: same bytes on
// every run, so both editors decode the same JPEG. Texture (gradients, a grid, fine hash noise)
// keeps the JPEG at a realistic size (a few MB) instead of a flat, trivially decoded image.
// CLI: `tsx bench/editor/image.ts out.jpg`
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

export const IMAGE_W = 4000;
export const IMAGE_H = 3000;

export async function makeImage(file: string): Promise<string> {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
  const W = IMAGE_W;
  const H = IMAGE_H;
  const raw = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      // Integer hash: cheap per-pixel noise so the encoder has detail to keep.
      let h = Math.imul(x * 374761393 + y * 668265263, 1274126177);
      h = (h ^ (h >>> 13)) & 31;
      const grid = x % 250 < 3 || y % 250 < 3 ? 90 : 0;
      raw[i] = Math.min(255, ((x * 255) / W) * 0.8 + h + grid);
      raw[i + 1] = Math.min(255, ((y * 255) / H) * 0.8 + h + grid);
      raw[i + 2] = Math.min(255, 128 + 100 * Math.sin((x + y) / 180) * 0.8 + h + grid);
    }
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 85 }).toFile(tmp);
  fs.renameSync(tmp, file);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: tsx bench/editor/image.ts out.jpg");
    process.exit(2);
  }
  await makeImage(out);
  console.log(`${out} ${fs.statSync(out).size} bytes`);
}

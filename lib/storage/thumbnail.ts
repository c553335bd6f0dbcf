// Small WebP previews for image lists. Making one is also the full decode that proves an
// uploaded image is intact, so decode failures surface as the user's problem (422).
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { config } from "../config";
import { invalid } from "../server/errors";
import { corruptMedia, isSharpInputError } from "./probe";
import { tempPathIn } from "./temp-file";

export interface Thumbnail {
  path: string;
  width: number;
  height: number;
  size: number;
}

/**
 * Writes a WebP of `srcPath`, turned upright per EXIF and fitted inside maxSide×maxSide
 * (never enlarged), to `destPath` atomically. 422 corrupt_media when the source does not
 * fully decode, 422 too_many_pixels above config.maxImagePixels.
 */
export async function makeThumbnail(
  srcPath: string,
  destPath: string,
  maxSide = 256,
  opts: { field?: string; maxPixels?: number } = {},
): Promise<Thumbnail> {
  const field = opts.field ?? "file";
  const maxPixels = opts.maxPixels ?? config.maxImagePixels;
  const dir = path.dirname(destPath);
  await mkdir(dir, { recursive: true });
  const tmp = tempPathIn(dir);
  try {
    const info = await sharp(srcPath, { failOn: "error", limitInputPixels: maxPixels })
      .rotate()
      .resize(maxSide, maxSide, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toFile(tmp);
    await rename(tmp, destPath);
    const { size } = await stat(destPath);
    return { path: destPath, width: info.width, height: info.height, size };
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (e instanceof Error && /pixel limit/i.test(e.message)) {
      throw invalid(`The image has more than the limit of ${maxPixels} pixels.`, field, "too_many_pixels");
    }
    if (isSharpInputError(e) && !(e as NodeJS.ErrnoException).syscall) {
      throw corruptMedia("The image could not be decoded; it may be damaged or truncated.", field);
    }
    throw e;
  }
}

// Dimensions and duration of an uploaded file, read from headers. Images are checked against
// the pixel limit before anything decodes them, so a tiny file that inflates to gigabytes
// (a decompression bomb) is refused up front.
import sharp from "sharp";
import { config } from "../config";
import { ApiError, invalid } from "../server/errors";
import { withFile } from "./file-reader";
import { flacDuration, mp3Duration, oggDuration, wavDuration } from "./probe-audio";
import { matroskaInfo, mp4Info } from "./probe-video";
import type { Sniffed } from "./sniff";

export interface MediaInfo {
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
}

export interface ProbeOptions {
  /** Field named in errors. */
  field?: string;
  /**
   * Also decode the whole image to prove it is intact. Off by default because makeThumbnail
   * does the same full decode; turn it on when no thumbnail will be made.
   */
  decode?: boolean;
  maxPixels?: number;
}

export const corruptMedia = (message: string, field = "file") =>
  new ApiError(422, "corrupt_media", message, field);

/** sharp's errors for input it cannot read, as opposed to our own bugs. */
export function isSharpInputError(e: unknown): e is Error {
  return e instanceof Error && !(e instanceof ApiError);
}

async function probeImage(filePath: string, opts: ProbeOptions): Promise<MediaInfo> {
  const field = opts.field ?? "file";
  const maxPixels = opts.maxPixels ?? config.maxImagePixels;
  let meta: sharp.Metadata;
  try {
    // Header only: with the limit on, sharp would refuse without telling us the size.
    meta = await sharp(filePath, { limitInputPixels: false }).metadata();
  } catch (e) {
    if (isSharpInputError(e)) throw corruptMedia("The image could not be read; it may be damaged or truncated.", field);
    throw e;
  }
  const { width, height } = meta;
  if (!width || !height) throw corruptMedia("The image has no readable dimensions.", field);
  if (width * height > maxPixels) {
    throw invalid(
      `The image is ${width}×${height} pixels, more than the limit of ${maxPixels} pixels.`,
      field,
      "too_many_pixels",
    );
  }
  if (opts.decode) await verifyImageDecodes(filePath, { field, maxPixels });
  // Browsers honour EXIF orientation, so report the size as displayed.
  const shown = meta.autoOrient ?? { width, height };
  return { width: shown.width, height: shown.height };
}

/** Full decode of the first frame; 422 corrupt_media if any of the pixel data is bad. */
export async function verifyImageDecodes(
  filePath: string,
  opts: { field?: string; maxPixels?: number } = {},
): Promise<void> {
  try {
    await sharp(filePath, { failOn: "error", limitInputPixels: opts.maxPixels ?? config.maxImagePixels })
      .resize(8, 8, { fit: "inside" })
      .raw()
      .toBuffer();
  } catch (e) {
    if (isSharpInputError(e)) {
      throw corruptMedia("The image could not be decoded; it may be damaged or truncated.", opts.field ?? "file");
    }
    throw e;
  }
}

/**
 * Width/height for images and video, duration in seconds for audio and video. Throws 422
 * too_many_pixels or corrupt_media for images; for audio/video, fields that the container
 * does not reveal are simply left out.
 */
export async function probeMedia(filePath: string, sniffed: Sniffed, opts: ProbeOptions = {}): Promise<MediaInfo> {
  if (sniffed.kind === "image") return probeImage(filePath, opts);
  if (sniffed.kind === "text") return {};
  return withFile(filePath, async (f) => {
    const mime = sniffed.mime;
    if (mime === "audio/wav") return { duration: await wavDuration(f) };
    if (mime === "audio/ogg" || mime === "video/ogg") return { duration: await oggDuration(f) };
    if (mime === "audio/flac") return { duration: await flacDuration(f) };
    if (mime === "audio/mpeg") return { duration: await mp3Duration(f) };
    if (/^(audio|video)\/(mp4|quicktime|3gpp)$/.test(mime)) return clean(await mp4Info(f), sniffed.kind);
    if (/^(audio|video)\/(webm|x-matroska)$/.test(mime)) return clean(await matroskaInfo(f), sniffed.kind);
    return {};
  }).then(dropUndefined);
}

function clean(info: MediaInfo, kind: Sniffed["kind"]): MediaInfo {
  return kind === "audio" ? { duration: info.duration } : info;
}

function dropUndefined(info: MediaInfo): MediaInfo {
  const out: MediaInfo = {};
  if (info.width !== undefined) out.width = info.width;
  if (info.height !== undefined) out.height = info.height;
  if (info.duration !== undefined) out.duration = info.duration;
  return out;
}

// Loading the image: fetch the file and decode it off the main thread (createImageBitmap on the
// Blob). The editor starts this as soon as it mounts (preloadImage), so the download and decode
// overlap loading the canvas code and recovering drafts; the canvas then takes the result.
import type { ImageSource } from "./mipmaps";

const started = new Map<string, Promise<ImageSource>>();

/** Start loading `src` now; the next takeImage(src) gets this load. */
export function preloadImage(src: string): void {
  if (!started.has(src)) {
    const p = loadImage(src);
    p.catch(() => undefined); // the taker sees the error
    started.set(src, p);
  }
}

/** The preloaded image if there is one (each load is handed out once: its bitmap has one owner). */
export function takeImage(src: string): Promise<ImageSource> {
  const p = started.get(src);
  started.delete(src);
  return p ?? loadImage(src);
}

/**
 * Fetch the file and decode it off the main thread (createImageBitmap on a Blob); where the bytes
 * cannot be fetched (a cross-origin URL without CORS) or the browser cannot decode a Blob, fall
 * back to an <img>, which can show what it cannot hand to script.
 */
export async function loadImage(src: string): Promise<ImageSource> {
  if (typeof createImageBitmap === "function") {
    let blob: Blob | null = null;
    try {
      const r = await fetch(src, { credentials: "same-origin" });
      if (r.ok) blob = await r.blob();
    } catch {
      blob = null; // CORS or network: the <img> below gets its own try
    }
    if (blob) {
      try {
        const bitmap = await createImageBitmap(blob);
        if (bitmap.width && bitmap.height) return { width: bitmap.width, height: bitmap.height, bitmap, blob, img: null };
      } catch {
        // not decodable as a bitmap here: the <img> decides
      }
    }
  }
  const img = new Image();
  img.decoding = "async";
  img.src = src;
  await img.decode();
  if (!img.naturalWidth || !img.naturalHeight) throw new Error("empty image");
  return { width: img.naturalWidth, height: img.naturalHeight, bitmap: null, blob: null, img };
}

// Downscaled copies of the image (1/2, 1/4, ...), made on demand: drawing a 12-Mpx photo scaled to
// a quarter costs as much as the full-size blit, while the 1/4 copy costs a sixteenth. Until a
// level is ready the next larger is used.
// With the file's bytes (a Blob), levels are decoded and resized by createImageBitmap off the
// main thread. From an <img> (a cross-origin URL that cannot be fetched), Chromium copies or
// re-decodes on the main thread (~400 ms for 12 Mpx on a busy 2-core box), so that path makes
// level 0 once (an <img> may drop its decoded pixels and decode again mid-zoom) and resizes from it.
type Source = HTMLImageElement | ImageBitmap;

/** The decoded image the canvas draws: a full-size bitmap (blob path) or an <img>. */
export interface ImageSource {
  width: number;
  height: number;
  /** Level 0, already decoded (blob path). */
  bitmap: ImageBitmap | null;
  blob: Blob | null;
  img: HTMLImageElement | null;
}

export class Mipmaps {
  private readonly levels = new Map<number, ImageBitmap | "pending">();
  private disposed = false;

  constructor(
    private readonly src: ImageSource,
    private readonly onLevel: () => void,
  ) {
    if (src.bitmap) this.levels.set(0, src.bitmap);
    else this.make(0);
  }

  /** The smallest level with at least `screenScale` image px per screen px (level k = 1 / 2^k). */
  pick(screenScale: number): Source {
    const w = this.src.width;
    const h = this.src.height;
    let k = 0;
    while (k < 6 && 1 / 2 ** (k + 1) >= screenScale && (w >> (k + 1)) >= 64 && (h >> (k + 1)) >= 64) k++;
    for (let j = k; j >= 0; j--) {
      const lvl = this.levels.get(j);
      if (lvl && lvl !== "pending") return lvl;
      if (j === k && lvl === undefined) this.make(j);
    }
    return this.src.bitmap ?? this.src.img!;
  }

  private make(k: number): void {
    if (typeof createImageBitmap !== "function") return;
    const from: ImageBitmapSource | null = this.src.blob ?? this.src.img;
    if (!from) return;
    this.levels.set(k, "pending");
    const made =
      k === 0
        ? createImageBitmap(from)
        : createImageBitmap(from, {
            resizeWidth: Math.max(1, Math.round(this.src.width / 2 ** k)),
            resizeHeight: Math.max(1, Math.round(this.src.height / 2 ** k)),
            resizeQuality: "medium",
          });
    made
      .then((bmp) => {
        if (this.disposed) return bmp.close();
        this.levels.set(k, bmp);
        this.onLevel();
      })
      .catch(() => this.levels.delete(k));
  }

  dispose(): void {
    this.disposed = true;
    for (const l of this.levels.values()) if (l !== "pending") l.close();
    this.levels.clear();
  }
}

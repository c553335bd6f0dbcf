// Downscaled copies of the image (1/2, 1/4, ...), made on demand: drawing a 12-Mpx photo scaled to
// a quarter costs as much as the full-size blit, while the 1/4 copy costs a sixteenth. Levels
// are made off the main thread by createImageBitmap; until one is ready the next larger is used.
// Level 0 is a bitmap of the full image too: an <img> may drop its decoded pixels, and drawing it
// then decodes the JPEG again on the main thread (100+ ms for 12 Mpx) in the middle of a zoom.
type Source = HTMLImageElement | ImageBitmap;

export class Mipmaps {
  private readonly levels = new Map<number, ImageBitmap | "pending">();
  private disposed = false;

  constructor(
    private readonly img: HTMLImageElement,
    private readonly onLevel: () => void,
  ) {
    this.make(0);
  }

  /** The smallest level with at least `screenScale` image px per screen px (level k = 1 / 2^k). */
  pick(screenScale: number): Source {
    const w = this.img.naturalWidth;
    const h = this.img.naturalHeight;
    let k = 0;
    while (k < 6 && 1 / 2 ** (k + 1) >= screenScale && (w >> (k + 1)) >= 64 && (h >> (k + 1)) >= 64) k++;
    for (let j = k; j >= 0; j--) {
      const lvl = this.levels.get(j);
      if (lvl && lvl !== "pending") return lvl;
      if (j === k && lvl === undefined) this.make(j);
    }
    return this.img;
  }

  private make(k: number): void {
    if (typeof createImageBitmap !== "function") return;
    this.levels.set(k, "pending");
    const made =
      k === 0
        ? createImageBitmap(this.img)
        : createImageBitmap(this.img, {
            resizeWidth: Math.max(1, Math.round(this.img.naturalWidth / 2 ** k)),
            resizeHeight: Math.max(1, Math.round(this.img.naturalHeight / 2 ** k)),
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

// Interactive click-to-mask: the image embedding is computed once per image (the slow encoder)
// and kept in an LRU cache keyed by image id, so each click only costs the prompt decoder.
import { f32, outputF32, PrelabelModelError, size, type RunFn } from "../tensor";
import { assertImage, type RgbaImage } from "../image";
import { LruCache } from "../lru";
import { binaryMask, maskToPolygons, type MaskPolygon, type PolygonOptions } from "./mask";
import { SAM_EMBEDDING_DIMS, samDecoderFeeds, samEncoderInput, type SamPrompt } from "./preprocess";

export interface SamEmbedding {
  data: Float32Array;
  width: number;
  height: number;
}

export interface SamResult {
  /** width * height, 1 = inside. */
  mask: Uint8Array;
  width: number;
  height: number;
  /** The decoder's own IoU estimate, [0, 1]. */
  score: number;
  polygons: MaskPolygon[];
}

export class SamSegmenter {
  private readonly cache: LruCache<string, Promise<SamEmbedding>>;
  constructor(private readonly encoder: RunFn, private readonly decoder: RunFn, cacheSize = 6) {
    this.cache = new LruCache(cacheSize);
  }

  /** The embedding of an image, computed once per id (concurrent callers share one run). */
  embed(imageId: string, img: RgbaImage): Promise<SamEmbedding> {
    const hit = this.cache.get(imageId);
    if (hit) return hit;
    assertImage(img);
    const p = (async () => {
      const input = samEncoderInput(img);
      const out = await this.encoder({ input: f32(input.data, input.dims) });
      const emb = outputF32(out, Object.keys(out)[0] ?? "output");
      if (emb.data.length !== size(SAM_EMBEDDING_DIMS)) throw new PrelabelModelError(`SAM encoder returned ${emb.dims.join("x")}, expected ${SAM_EMBEDDING_DIMS.join("x")}`);
      return { data: emb.data, width: img.width, height: img.height };
    })();
    this.cache.set(imageId, p);
    p.catch(() => this.cache.delete(imageId)); // a failed run is not cached
    return p;
  }

  isCached(imageId: string): boolean {
    return this.cache.has(imageId);
  }

  async segment(imageId: string, img: RgbaImage, prompt: SamPrompt, opts: PolygonOptions = {}): Promise<SamResult> {
    const emb = await this.embed(imageId, img);
    const out = await this.decoder(samDecoderFeeds(emb.data, emb.width, emb.height, prompt));
    const masks = outputF32(out, "masks");
    const n = emb.width * emb.height;
    if (masks.data.length < n) throw new PrelabelModelError(`SAM decoder mask is ${masks.dims.join("x")}, expected at least ${emb.height}x${emb.width}`);
    const scores = out.iou_predictions?.type === "float32" ? out.iou_predictions.data : Float32Array.of(1);
    // Multi-mask decoders return several; take the one the decoder rates best.
    let best = 0;
    for (let i = 1; i < Math.min(scores.length, masks.data.length / n); i++) if (scores[i]! > scores[best]!) best = i;
    const mask = binaryMask(masks.data.subarray(best * n, (best + 1) * n));
    return { mask, width: emb.width, height: emb.height, score: Math.round((scores[best] ?? 0) * 1e4) / 1e4, polygons: maskToPolygons(mask, emb.width, emb.height, opts) };
  }
}

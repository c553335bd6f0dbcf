// BYOM image input: an RgbaImage -> the model's input tensor as the descriptor describes it
// (letterbox or stretch, NCHW/NHWC, RGB/BGR, scale/mean/std), plus the transform that maps the
// model's input pixels back to natural-image pixels. Pure; the resampling is lib/prelabel/image.ts.
import { assertImage, imageToTensor, type RgbaImage } from "../image";
import { f32, type TensorData } from "../tensor";
import type { Descriptor } from "./descriptor";

export type ImageInput = NonNullable<Descriptor["input"]>;

/**
 * input pixel (x, y) = natural pixel (x * sx + dx, y * sy + dy). For a letterbox sx = sy; for a
 * stretch dx = dy = 0. `inputWidth/Height` is the tensor's size, `width/height` the natural image's.
 */
export interface InputTransform {
  sx: number;
  sy: number;
  dx: number;
  dy: number;
  inputWidth: number;
  inputHeight: number;
  width: number;
  height: number;
}

/** Input pixels -> natural-image pixels (not clipped). */
export const toNatural = (t: InputTransform, x: number, y: number): [number, number] => [(x - t.dx) / t.sx, (y - t.dy) / t.sy];

/** Python's round(): halves to even (Ultralytics computes the letterbox with it). */
const roundEven = (x: number) => {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
};

/** Ultralytics' LetterBox: scale to fit, centre, pad (its rounding: round(pad/2 - 0.1) on the top/left). */
export function letterboxGeometry(width: number, height: number, inputWidth: number, inputHeight: number): { w: number; h: number; left: number; top: number } {
  const r = Math.min(inputWidth / width, inputHeight / height);
  const w = Math.max(1, Math.min(inputWidth, roundEven(width * r)));
  const h = Math.max(1, Math.min(inputHeight, roundEven(height * r)));
  const left = Math.max(0, Math.round((inputWidth - w) / 2 - 0.1));
  const top = Math.max(0, Math.round((inputHeight - h) / 2 - 0.1));
  return { w, h, left, top };
}

export function preprocessImage(img: RgbaImage, input: ImageInput): { feeds: Record<string, TensorData>; tensor: TensorData; transform: InputTransform } {
  assertImage(img);
  const [H, W] = input.size;
  const g = input.resize === "stretch" ? { w: W, h: H, left: 0, top: 0 } : letterboxGeometry(img.width, img.height, W, H);
  const padValues = [0, 1, 2].map((c) => (input.pad * input.scale - input.mean[c]!) / input.std[c]!) as [number, number, number];
  const data = imageToTensor(img, {
    width: g.w,
    height: g.h,
    padWidth: W,
    padHeight: H,
    offsetX: g.left,
    offsetY: g.top,
    padValues,
    layout: input.layout,
    order: input.color,
    scale: input.scale,
    mean: input.mean,
    std: input.std,
  });
  const tensor = f32(data, input.layout === "NHWC" ? [1, H, W, 3] : [1, 3, H, W]);
  const transform: InputTransform = { sx: g.w / img.width, sy: g.h / img.height, dx: g.left, dy: g.top, inputWidth: W, inputHeight: H, width: img.width, height: img.height };
  return { feeds: { [input.name]: tensor }, tensor, transform };
}

"use client";
// TEMPORARY STUB: being replaced by the real Konva canvas (engine/). Renders the image only.
import type { ImageCanvasProps } from "./canvas-api";

export default function ImageCanvas({ src, className }: ImageCanvasProps) {
  // eslint-disable-next-line @next/next/no-img-element
  return <div className={className}><img src={src} alt="Task image" className="max-h-full max-w-full" /></div>;
}

// The image canvas's public face: what the editor shell passes in and may call. The canvas
// (image-canvas.tsx + engine/) owns drawing, zoom/pan, pointer input and the tool keys; the shell
// owns panels, submit/skip, autosave and dialogs.
import type { Ref } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { ToolController } from "@/lib/annotation/tools";

/** CSS-filter style multipliers: 1 = unchanged. Sliders offer 0.2..3. */
export interface ImageAdjust {
  brightness: number;
  contrast: number;
}

export interface ImageCanvasHandle {
  /** Fit the whole image into the viewport (also the initial view). */
  fit(): void;
  /** 1 screen px = 1 image px, about the viewport centre. */
  oneToOne(): void;
  /** Zoom by a factor about the viewport centre (>1 zooms in). */
  zoomBy(factor: number): void;
  /** Pan (and zoom out if needed) so the region is in view. */
  focusRegion(id: string): void;
  /** Screen px per image px. */
  getScale(): number;
}

export interface ImageCanvasProps {
  editor: Editor;
  controller: ToolController;
  /** Same-origin or http(s) image URL (already passed through safeUrl). */
  src: string;
  /** Read-only: select and inspect only, no drawing or moving. */
  readOnly?: boolean;
  adjust?: ImageAdjust;
  /** Regions drawn with a warning outline (their label is no longer in the schema). */
  flagged?: ReadonlySet<string>;
  /**
   * Whether the canvas listens to the keyboard (tool hotkeys, Delete, arrows, Ctrl+Z, Space-pan,
   * f fit, o 1:1, +/- zoom). The shell turns it off while a dialog or overlay is open. The canvas
   * never handles Ctrl+Enter, Ctrl+S or "?" (the shell's), nor keys typed into inputs.
   */
  keyboard?: boolean;
  onImageLoad?(size: { width: number; height: number }): void;
  /** The image failed to load or decode: the canvas shows the message itself, too. */
  onImageError?(message: string): void;
  onScaleChange?(scale: number): void;
  handleRef?: Ref<ImageCanvasHandle>;
  className?: string;
}

/**
 * Set on window by the canvas for benchmarks and e2e tests (read-only use):
 * `window.__loupeCanvas = { editor, controller, handle, metrics, view() }` (view(): {scale, x, y},
 * screen px relative to the canvas box = image px * scale + (x, y)) where metrics.readyAt is the
 * performance.now() at which the image and every region were first painted (null before), and
 * the container element carries data-ready="true" from then on.
 */
export interface CanvasMetrics {
  readyAt: number | null;
  /** Milliseconds the last full redraw of the static region layer took. */
  lastStaticDrawMs: number;
  staticDraws: number;
  /** Regions painted in the last static draw (after viewport culling). */
  lastDrawnRegions: number;
}

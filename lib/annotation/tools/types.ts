// The contract between the canvas and the tools: abstract input events in image pixels (the
// canvas converts from screen space), and what a tool shows while it works.
import type { RegionInput } from "../editor";
import type { Bounds, Point } from "../geometry";
import type { SamPreviewData } from "./sam";

export type ToolId = "select" | "rect" | "polygon" | "polyline" | "ellipse" | "keypoints" | "brush" | "eraser" | "sam";

export type ToolEventType = "pointerdown" | "pointermove" | "pointerup" | "doubleclick" | "keydown";

export interface ToolEvent {
  type: ToolEventType;
  /** Natural-image pixels. For keydown, the last pointer position. */
  point: Point;
  /** KeyboardEvent.key for keydown ("Enter", "Escape", "Backspace", "a"...). */
  key?: string;
  shift?: boolean;
  alt?: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS: the canvas folds them together. */
  ctrl?: boolean;
}

export type Preview =
  /** A rect or ellipse being dragged out. */
  | { type: "region"; region: RegionInput }
  /** A polygon/polyline being clicked out; `cursor` is the rubber-band point, `closing` = a click now closes it. */
  | { type: "path"; closed: boolean; points: Array<[number, number]>; cursor: [number, number] | null; closing: boolean }
  /** Keypoints placed so far ([x, y, visible]) and the name of the next skeleton point. */
  | { type: "keypoints"; points: Array<[number, number, number]>; next: string | null; cursor: [number, number] | null }
  /** The marquee box while brushing a selection. */
  | { type: "marquee"; box: Bounds }
  /**
   * A paint stroke in progress: the raster being edited (row-major, 1 = foreground) so the canvas
   * can show it live; the document only changes on pointerup.
   */
  | { type: "brush"; erase: boolean; radius: number; regionId: string | null; width: number; height: number; data: Uint8Array; dirty: Bounds }
  /** Click-to-mask: the prompt (clicks, box, the box being dragged) and the model's mask so far. */
  | SamPreviewData;

export interface Tool {
  readonly id: ToolId;
  /** Name of the current state ("idle", "drawing"...), for tests and cursors. */
  readonly state: string;
  /** What to draw on top of the document while the tool works; null when idle. */
  readonly preview: Preview | null;
  /** Feed one input event; true if the tool used it (unused keys fall through to shortcuts). */
  handle(ev: ToolEvent): boolean;
  /** Abandon whatever is in progress (tool switch, undo) and return to idle. */
  cancel(): void;
}

/** Shared by all tools of a controller; tolerances are in image pixels, so they follow the zoom. */
export interface ToolSettings {
  /** How close (px) a pointer must be to a vertex, edge or first point to hit it. */
  tolerance: number;
  /** How far (px) the pointer must travel before a press becomes a drag. */
  dragThreshold: number;
  /** Brush radius (px). */
  brushRadius: number;
  /** The canvas zoom (screen px per image px), for handles drawn at a fixed screen size. */
  scale: number;
}

export const DEFAULT_TOOL_SETTINGS: ToolSettings = { tolerance: 5, dragThreshold: 3, brushRadius: 10, scale: 1 };

// Shared machine for shapes dragged out as a box (rect, ellipse):
//   idle -pointerdown-> pointing -pointermove-> drawing -pointerup-> idle (commit if > 2px)
//   pointing -pointerup-> idle (a click draws nothing); Escape in pointing/drawing -> idle.
import type { RegionInput } from "../editor";
import type { Point } from "../geometry";
import { StateMachineTool, isKey, type StateTable } from "./base";
import type { ToolEvent } from "./types";

export type BoxState = "idle" | "pointing" | "drawing";

/** Smaller boxes than this (px, either side) are treated as a slipped click and discarded. */
export const MIN_BOX_SIZE = 2;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export abstract class BoxTool extends StateMachineTool<BoxState> {
  protected abstract readonly kind: "rect" | "ellipse";
  /** The region a box describes. */
  protected abstract shape(box: Box): RegionInput;
  private origin: Point = { x: 0, y: 0 };
  private box: Box | null = null;

  protected readonly states: StateTable<BoxState> = {
    idle: {
      pointerdown: (ev) => {
        if (!this.editor.canCreate(this.kind)) return;
        this.origin = this.clamp(ev.point);
        this.box = null;
        return "pointing";
      },
    },
    pointing: {
      pointermove: (ev) => this.track(ev),
      pointerup: () => "idle",
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : false),
    },
    drawing: {
      pointermove: (ev) => this.track(ev),
      pointerup: (ev) => {
        this.track(ev);
        const b = this.box;
        if (b && b.width > MIN_BOX_SIZE && b.height > MIN_BOX_SIZE) this.commit(this.shape(b));
        return "idle";
      },
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : false),
    },
  };

  private track(ev: ToolEvent): BoxState {
    const p = this.clamp(ev.point);
    let w = p.x - this.origin.x;
    let h = p.y - this.origin.y;
    if (ev.shift) {
      // Shift: square/circle, growing towards the pointer, kept inside the image.
      const side = Math.max(Math.abs(w), Math.abs(h));
      const room = this.room(w, h);
      const s = Math.min(side, room);
      w = Math.sign(w || 1) * s;
      h = Math.sign(h || 1) * s;
    }
    this.box = { x: Math.min(this.origin.x, this.origin.x + w), y: Math.min(this.origin.y, this.origin.y + h), width: Math.abs(w), height: Math.abs(h) };
    this.preview = { type: "region", region: this.shape(this.box) };
    return "drawing";
  }

  private room(w: number, h: number): number {
    const { width, height } = this.editor;
    if (!(width > 0 && height > 0)) return Infinity;
    const rx = w >= 0 ? width - this.origin.x : this.origin.x;
    const ry = h >= 0 ? height - this.origin.y : this.origin.y;
    return Math.min(rx, ry);
  }
}

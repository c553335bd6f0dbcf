// Brush tool: paint the current label's mask. Every label has at most one mask the brush paints
// into (the selected one of that label, else the topmost); the first stroke creates it.
//   idle -pointerdown-> painting -pointermove-> painting -pointerup-> idle (saved: one undo step per stroke)
//   painting -Escape-> idle (stroke discarded) ; "[" / "]" shrink / grow the radius in any state
// Alt while pressing, or the eraser tool, erases instead; erasing a mask to nothing deletes it.
// The stroke is painted into a raster shown through `preview`; the document changes on pointerup.
import type { Bounds, Point } from "../geometry";
import type { Region } from "../regions";
import { StateMachineTool, isKey, type StateTable } from "./base";
import { decodeRle, encodeRle, isEmptyRaster, stampCircle, stampSegment, unionBox } from "./raster";
import type { ToolEvent, ToolId } from "./types";

export type BrushState = "idle" | "painting";
type Mask = Extract<Region, { kind: "mask" }>;

export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = 500;

interface Stroke {
  target: Mask | null;
  erase: boolean;
  width: number;
  height: number;
  data: Uint8Array;
  last: Point;
  dirty: Bounds;
}

export class BrushTool extends StateMachineTool<BrushState> {
  readonly id: ToolId = "brush";
  /** The eraser tool is this tool with erasing on. */
  protected readonly erasing: boolean = false;
  private stroke: Stroke | null = null;

  get radius(): number {
    return this.settings.brushRadius;
  }

  protected readonly states: StateTable<BrushState> = {
    idle: {
      pointerdown: (ev) => this.start(ev),
      keydown: (ev) => this.resize(ev),
    },
    painting: {
      pointermove: (ev) => this.paint(ev),
      pointerup: (ev) => {
        this.paint(ev);
        this.save();
        return "idle";
      },
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : this.resize(ev)),
    },
  };

  /** The mask this label paints into: a selected one of the label, else the topmost. */
  targetMask(): Mask | null {
    const label = this.editor.currentLabel ?? undefined;
    const mine = (r: Region): r is Mask => r.kind === "mask" && r.label === label;
    const selected = this.editor.getSelectedRegions().find(mine);
    if (selected) return selected;
    const all = this.editor.getRegions();
    for (let i = all.length - 1; i >= 0; i--) {
      const r = all[i]!;
      if (mine(r)) return r;
    }
    return null;
  }

  private start(ev: ToolEvent): BrushState | void {
    const erase = this.erasing || !!ev.alt;
    const target = this.targetMask();
    let width: number, height: number, data: Uint8Array;
    if (target) {
      if (target.locked || target.hidden) return; // painting what you cannot see or may not edit
      ({ width, height } = target);
      data = decodeRle(target.rle, width, height);
    } else {
      if (erase || !this.editor.canCreate("mask")) return;
      width = Math.round(this.editor.width);
      height = Math.round(this.editor.height);
      if (width < 1 || height < 1) return;
      data = new Uint8Array(width * height);
    }
    const dirty = stampCircle(data, width, height, ev.point, this.radius, erase ? 0 : 1) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 };
    this.stroke = { target, erase, width, height, data, last: ev.point, dirty };
    this.show();
    return "painting";
  }

  private paint(ev: ToolEvent): void {
    const s = this.stroke;
    if (!s) return;
    const box = stampSegment(s.data, s.width, s.height, s.last, ev.point, this.radius, s.erase ? 0 : 1);
    s.dirty = unionBox(s.dirty, box) ?? s.dirty;
    s.last = ev.point;
    this.show();
  }

  private save(): void {
    const s = this.stroke;
    this.stroke = null;
    if (!s) return;
    const empty = isEmptyRaster(s.data);
    if (!s.target) {
      if (!empty) this.commit({ kind: "mask", width: s.width, height: s.height, rle: encodeRle(s.data, s.width, s.height), ...this.labelFields() });
      return;
    }
    if (empty) {
      this.editor.deleteRegions([s.target.id]);
      return;
    }
    const rle = encodeRle(s.data, s.width, s.height);
    const same = rle.length === s.target.rle.length && rle.every((v, i) => v === s.target!.rle[i]);
    if (!same) this.editor.updateRegions([s.target.id], (r) => ({ ...r, rle }) as Region, s.erase ? "erase" : "paint");
  }

  private resize(ev: ToolEvent): BrushState | false | void {
    if (!isKey(ev, "[", "]")) return false;
    const r = isKey(ev, "]") ? this.radius * 1.25 : this.radius / 1.25;
    this.settings.brushRadius = Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, Math.round(r * 100) / 100));
    if (this.stroke) this.show();
  }

  private show(): void {
    const s = this.stroke;
    if (!s) return;
    this.preview = { type: "brush", erase: s.erase, radius: this.radius, regionId: s.target?.id ?? null, width: s.width, height: s.height, data: s.data, dirty: s.dirty };
  }

  protected onCancel(): void {
    this.stroke = null;
  }

  override handle(ev: ToolEvent): boolean {
    const used = super.handle(ev);
    if (this.state === "idle") this.stroke = null; // Escape and any other way back drop the stroke
    return used;
  }
}

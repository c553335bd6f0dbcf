// Click-to-mask (SAM) as a tool: a state machine that collects a prompt (positive clicks,
// negative clicks with Alt or Shift, or a dragged box), asks an injected `SamDriver` for a mask
// after every change, shows the answer as a preview and, on Enter, turns it into polygon regions
// with the current label (one undo step). Framework-free: the driver (the page's pre-labelling
// worker, or a fake in tests) does the model work; stale answers are dropped by sequence number.
//   idle/prompted -pointerdown-> pointing -pointerup-> prompted (a click)
//   pointing -move past the drag threshold-> boxing -pointerup-> prompted (a box)
//   prompted: Enter commits (waits for a pending answer), Escape clears -> idle,
//             Backspace/Delete/Ctrl+Z removes the last click (or the box).
import type { RegionInput } from "../editor";
import type { Bounds, Point } from "../geometry";
import { StateMachineTool, isKey, type StateTable } from "./base";
import type { ToolEvent } from "./types";

export type SamToolState = "idle" | "pointing" | "boxing" | "prompted";

export interface SamToolClick {
  x: number;
  y: number;
  positive: boolean;
}

export interface SamToolPrompt {
  clicks: SamToolClick[];
  /** Natural-image pixels. */
  box: { x0: number; y0: number; x1: number; y1: number } | null;
}

export interface SamMaskPolygon {
  /** Natural-image pixels. */
  points: Array<[number, number]>;
  /** Pixels inside (for ordering and dropping specks). */
  area: number;
}

export interface SamMask {
  /** One outer contour per connected part of the mask, largest first. */
  polygons: SamMaskPolygon[];
  /** The decoder's own quality estimate in [0, 1]. */
  score: number;
}

/** What the tool needs from the model side; `segment` rejects on failure (the message is shown). */
export interface SamDriver {
  segment(prompt: SamToolPrompt, signal: AbortSignal): Promise<SamMask>;
}

export interface SamPreviewData {
  type: "sam";
  clicks: SamToolClick[];
  box: Bounds | null;
  /** The box being dragged out (before pointerup). */
  drag: Bounds | null;
  mask: SamMask | null;
  /** A mask request is in flight (the shown mask, if any, is for an older prompt). */
  pending: boolean;
  error: string | null;
}

/** Parts smaller than this share of the largest part are not turned into regions (specks). */
export const SAM_MIN_PART_SHARE = 0.05;
/** Boxes smaller than this (px, either side) count as a slipped click. */
const MIN_BOX = 4;

/** The polygons Enter creates from a mask: the largest part and any part at least 5% of it. */
export function maskRegions(mask: SamMask, width: number, height: number, label: string | null): RegionInput[] {
  const parts = [...mask.polygons].filter((p) => p.points.length >= 3 && p.area > 0).sort((a, b) => b.area - a.area);
  if (!parts.length) return [];
  const min = parts[0]!.area * SAM_MIN_PART_SHARE;
  const clamp = (v: number, hi: number) => (hi > 0 ? Math.min(hi, Math.max(0, v)) : v);
  return parts
    .filter((p) => p.area >= min)
    .map((p) => ({
      kind: "polygon",
      points: p.points.map(([x, y]) => [clamp(x, width), clamp(y, height)] as [number, number]),
      ...(label === null ? {} : { label }),
    }) as RegionInput);
}

export class SamTool extends StateMachineTool<SamToolState> {
  readonly id = "sam" as const;
  /** Set by the page when the model side is available; null = clicks are collected but not answered. */
  driver: SamDriver | null = null;
  private clicks: SamToolClick[] = [];
  private box: SamToolPrompt["box"] = null;
  private drag: Bounds | null = null;
  private origin: Point = { x: 0, y: 0 };
  private negative = false;
  private mask: SamMask | null = null;
  private error: string | null = null;
  private seq = 0;
  private inFlight: AbortController | null = null;
  private commitWhenReady = false;
  /** Called with the regions Enter created (for a message); optional. */
  onCommit: ((ids: string[]) => void) | null = null;

  get prompt(): SamToolPrompt {
    return { clicks: [...this.clicks], box: this.box && { ...this.box } };
  }
  get pending(): boolean {
    return this.inFlight !== null;
  }
  get currentMask(): SamMask | null {
    return this.mask;
  }

  protected readonly states: StateTable<SamToolState> = {
    idle: { pointerdown: (ev) => this.press(ev) },
    prompted: {
      pointerdown: (ev) => this.press(ev),
      keydown: (ev) => {
        // Ctrl+Z while prompting takes back the last click, as it takes back a polygon's last point.
        if (ev.ctrl) return ev.key?.toLowerCase() === "z" && !ev.shift ? this.removeLast() : false;
        if (isKey(ev, "Enter")) return this.enter();
        if (isKey(ev, "Escape")) return this.clear();
        if (isKey(ev, "Backspace", "Delete")) return this.removeLast();
        return false;
      },
    },
    pointing: {
      pointermove: (ev) => {
        const p = this.clamp(ev.point);
        if (Math.hypot(p.x - this.origin.x, p.y - this.origin.y) <= Math.max(this.settings.dragThreshold, 1)) return;
        this.track(p);
        return "boxing";
      },
      pointerup: (ev) => {
        const p = this.clamp(ev.point);
        this.clicks.push({ x: p.x, y: p.y, positive: !this.negative });
        return this.changed();
      },
      keydown: (ev) => (isKey(ev, "Escape") ? this.clear() : false),
    },
    boxing: {
      pointermove: (ev) => {
        this.track(this.clamp(ev.point));
      },
      pointerup: (ev) => {
        this.track(this.clamp(ev.point));
        const d = this.drag!;
        this.drag = null;
        if (d.maxX - d.minX >= MIN_BOX && d.maxY - d.minY >= MIN_BOX) this.box = { x0: d.minX, y0: d.minY, x1: d.maxX, y1: d.maxY };
        return this.changed();
      },
      keydown: (ev) => {
        if (!isKey(ev, "Escape")) return false;
        this.drag = null;
        this.refresh();
        return this.hasPrompt() ? "prompted" : "idle";
      },
    },
  };

  private press(ev: ToolEvent): SamToolState | void {
    if (!this.editor.canCreate("polygon")) return;
    this.origin = this.clamp(ev.point);
    this.negative = !!(ev.alt || ev.shift);
    this.refresh();
    return "pointing";
  }

  private track(p: Point): void {
    this.drag = { minX: Math.min(p.x, this.origin.x), minY: Math.min(p.y, this.origin.y), maxX: Math.max(p.x, this.origin.x), maxY: Math.max(p.y, this.origin.y) };
    this.refresh();
  }

  private hasPrompt(): boolean {
    return this.clicks.length > 0 || this.box !== null;
  }

  private refresh(): void {
    const box = this.box ? { minX: this.box.x0, minY: this.box.y0, maxX: this.box.x1, maxY: this.box.y1 } : null;
    this.preview = this.hasPrompt() || this.drag || this.mask
      ? { type: "sam", clicks: [...this.clicks], box, drag: this.drag, mask: this.mask, pending: this.pending, error: this.error }
      : null;
  }

  /** The prompt changed: ask for a new mask (an older request in flight is abandoned). */
  private changed(): SamToolState {
    this.inFlight?.abort();
    this.inFlight = null;
    this.commitWhenReady = false;
    if (!this.hasPrompt()) {
      this.mask = null;
      this.error = null;
      this.refresh();
      return "idle";
    }
    const driver = this.driver;
    if (!driver) {
      this.error = "The segmentation model is not available.";
      this.refresh();
      return "prompted";
    }
    const seq = ++this.seq;
    const ac = new AbortController();
    this.inFlight = ac;
    this.error = null;
    driver.segment(this.prompt, ac.signal).then(
      (mask) => {
        if (seq !== this.seq) return;
        this.inFlight = null;
        this.mask = mask;
        this.refresh();
        if (this.commitWhenReady) {
          this.commitWhenReady = false;
          this.commitNow();
        }
        this.editor.touch();
      },
      (e: unknown) => {
        if (seq !== this.seq) return;
        this.inFlight = null;
        this.commitWhenReady = false;
        if (!ac.signal.aborted) this.error = e instanceof Error ? e.message : String(e);
        this.refresh();
        this.editor.touch();
      },
    );
    this.refresh();
    return "prompted";
  }

  private enter(): SamToolState | void {
    if (this.pending) {
      this.commitWhenReady = true;
      return;
    }
    return this.commitNow() ? "idle" : undefined;
  }

  /** Polygons from the current mask with the current label, one undo step; clears the prompt. */
  private commitNow(): boolean {
    if (!this.mask) return false;
    const inputs = maskRegions(this.mask, this.editor.width, this.editor.height, this.editor.currentLabel);
    if (!inputs.length) {
      this.error = "The mask is empty: click inside the object, or drag a box around it.";
      this.refresh();
      return false;
    }
    let ids: string[];
    try {
      ids = this.editor.createRegions(inputs, "SAM mask").map((r) => r.id);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      this.refresh();
      return false;
    }
    this.editor.select(ids);
    this.reset();
    this.state = "idle";
    this.onCommit?.(ids);
    return true;
  }

  private removeLast(): SamToolState {
    if (this.clicks.length) this.clicks.pop();
    else this.box = null;
    return this.changed();
  }

  private clear(): SamToolState {
    this.reset();
    return "idle";
  }

  private reset(): void {
    this.inFlight?.abort();
    this.inFlight = null;
    this.seq++;
    this.clicks = [];
    this.box = null;
    this.drag = null;
    this.mask = null;
    this.error = null;
    this.commitWhenReady = false;
    this.preview = null;
  }

  protected override onCancel(): void {
    this.reset();
  }
}

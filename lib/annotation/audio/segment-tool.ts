// The audio editor's pointer tool as a small state machine over times (seconds), not pixels:
// the waveform converts pointer x to seconds and tolerances from px (setScale), so this file
// tests without a browser. One gesture is one undo step (begin/endInteraction).
//
//   idle --down on empty--> pressing --move > threshold--> creating --up--> idle (segment made)
//   idle --down on body---> grabbing --move > threshold--> moving   --up--> idle
//   idle --down on edge---> resizing --up--> idle
//   pressing/grabbing --up without moving--> idle (a click: seek there, select or deselect)
//
// Enter while listening: the first press marks a start, the second creates [start, now].
import type { Editor } from "../editor";
import type { Region } from "../regions";
import {
  MIN_SEGMENT, hitTestSegments, moveInterval, normaliseInterval, resizeInterval,
  type Interval, type SegmentHit, type SegmentRegion,
} from "../regions/segment";

export type SegmentToolState = "idle" | "pressing" | "creating" | "grabbing" | "moving" | "resizing";

export interface SegmentToolOptions {
  /** Pointer tolerance for edges, in screen px (converted with setScale). */
  edgePx?: number;
  /** How far a press must move before it drags, in screen px. */
  dragPx?: number;
  /** A click (no drag) at time t: the waveform seeks there. */
  onClick?(t: number, hit: SegmentHit | null): void;
}

const isSegment = (r: Region): r is SegmentRegion => r.kind === "segment";

export class SegmentTool {
  state: SegmentToolState = "idle";
  /** The segment being dragged out (creating) or recorded (Enter), for the canvas to draw. */
  preview: Interval | null = null;
  /** Start time of an Enter recording in progress, or null. */
  recordingFrom: number | null = null;
  private pxPerSec = 100;
  private t0 = 0;
  private target: { id: string; orig: SegmentRegion; edge?: "start" | "end" } | null = null;
  private readonly edgePx: number;
  private readonly dragPx: number;

  constructor(
    private readonly editor: Editor,
    private readonly opts: SegmentToolOptions = {},
  ) {
    this.edgePx = opts.edgePx ?? 6;
    this.dragPx = opts.dragPx ?? 3;
  }

  /** The waveform's zoom (px per second): edge tolerance and drag threshold follow it. */
  setScale(pxPerSec: number): void {
    if (pxPerSec > 0) this.pxPerSec = pxPerSec;
  }
  private get duration(): number {
    return this.editor.width; // the editor's extent for audio is the duration in seconds
  }
  segments(): SegmentRegion[] {
    return this.editor.getRegions().filter(isSegment);
  }
  /** What a pointer at t would grab (cursor feedback). */
  hitAt(t: number): SegmentHit | null {
    return hitTestSegments(this.segments(), t, this.edgePx / this.pxPerSec, this.editor.selectedIds);
  }

  pointerDown(t: number, mods: { shift?: boolean } = {}): void {
    if (this.state !== "idle") this.cancel();
    this.t0 = t;
    const hit = this.hitAt(t);
    if (hit) {
      const r = this.editor.getRegion(hit.id);
      if (!r || !isSegment(r)) return;
      this.editor.select([hit.id], mods.shift ? "toggle" : "replace");
      this.target = { id: hit.id, orig: r, edge: hit.part === "body" ? undefined : hit.part };
      if (hit.part === "body") this.set("grabbing");
      else {
        this.editor.beginInteraction("resize");
        this.set("resizing");
      }
      return;
    }
    this.set("pressing");
  }

  pointerMove(t: number): void {
    const dragged = Math.abs(t - this.t0) * this.pxPerSec > this.dragPx;
    switch (this.state) {
      case "pressing":
        if (!dragged) return;
        if (!this.editor.canCreate("segment")) return this.set("idle");
        this.preview = normaliseInterval(this.t0, t, this.duration);
        return this.set("creating");
      case "creating":
        this.preview = normaliseInterval(this.t0, t, this.duration);
        return this.set("creating");
      case "grabbing":
        if (!dragged) return;
        this.editor.beginInteraction("move");
        this.set("moving");
        return this.pointerMove(t);
      case "moving": {
        const { id, orig } = this.target!;
        const next = moveInterval(orig, t - this.t0, this.duration);
        this.editor.updateRegions([id], (r) => (isSegment(r) ? { ...r, start: next.start, end: next.end } : null), "move");
        return;
      }
      case "resizing": {
        const { id, orig, edge } = this.target!;
        const next = resizeInterval(orig, edge!, t, this.duration);
        this.editor.updateRegions([id], (r) => (isSegment(r) ? { ...r, start: next.start, end: next.end } : null), "resize");
        return;
      }
      default:
        return;
    }
  }

  pointerUp(t: number): void {
    const state = this.state;
    if (state === "creating") {
      this.pointerMove(t);
      const p = this.preview!;
      this.preview = null;
      this.set("idle");
      this.create(p);
      return;
    }
    if (state === "pressing" || state === "grabbing") {
      const hit = state === "grabbing" ? { id: this.target!.id, part: "body" as const } : null;
      if (!hit) this.editor.clearSelection();
      this.target = null;
      this.set("idle");
      this.opts.onClick?.(t, hit);
      return;
    }
    if (state === "moving" || state === "resizing") {
      this.editor.endInteraction();
      this.target = null;
      this.set("idle");
    }
  }

  /** Escape: drop the gesture (and undo what it changed) or the recording in progress. */
  cancel(): boolean {
    const busy = this.state !== "idle" || this.recordingFrom !== null;
    if (this.state === "moving" || this.state === "resizing") this.editor.cancelInteraction();
    this.target = null;
    this.preview = null;
    this.recordingFrom = null;
    this.set("idle");
    return busy;
  }

  /** Enter at playback time t: start a recording, or finish it into a segment (returned). */
  toggleRecord(t: number): SegmentRegion | null {
    if (this.recordingFrom === null) {
      if (!this.editor.canCreate("segment")) return null;
      this.recordingFrom = t;
      this.preview = normaliseInterval(t, t, this.duration);
      this.editor.touch();
      return null;
    }
    const p = normaliseInterval(this.recordingFrom, t, this.duration);
    this.recordingFrom = null;
    this.preview = null;
    return this.create(p);
  }
  /** Playback moved while recording: grow the preview. */
  recordTo(t: number): void {
    if (this.recordingFrom === null) return;
    this.preview = normaliseInterval(this.recordingFrom, t, this.duration);
    this.editor.touch();
  }

  private create(p: Interval): SegmentRegion | null {
    if (p.end - p.start < MIN_SEGMENT) {
      this.editor.touch();
      return null;
    }
    const l = this.editor.currentLabel;
    try {
      const r = this.editor.createRegion({ kind: "segment", start: p.start, end: p.end, ...(l === null ? {} : { label: l }) });
      this.editor.select([r.id]);
      return r as SegmentRegion;
    } catch {
      this.editor.touch();
      return null;
    }
  }

  private set(s: SegmentToolState): void {
    this.state = s;
    this.editor.touch();
  }
}

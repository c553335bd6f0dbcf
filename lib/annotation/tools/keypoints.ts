// Keypoints tool. With a skeleton on the current label, each click places the next skeleton point
// in order, and the region is saved when the last one is placed; without a skeleton, one click
// saves a single point.
//   idle -pointerdown-> placing | idle (single point or one-point skeleton: saved at once)
//   placing -pointerdown-> placing | idle (last point placed: saved)
//   placing -Enter-> idle (saved; unplaced points are stored absent, [0, 0, 0] as in COCO)
//   placing -Tab-> placing | idle (marks the current point absent) ; -Backspace-> placing | idle ; -Escape-> idle
// Alt+click places a point as occluded (visible = 1) instead of visible (2).
import { StateMachineTool, isKey, type StateTable } from "./base";
import type { ToolEvent, ToolId } from "./types";

export type KeypointsState = "idle" | "placing";
type Kp = [number, number, number];

export class KeypointsTool extends StateMachineTool<KeypointsState> {
  readonly id: ToolId = "keypoints";
  /** Point names, fixed when placement starts (changing label mid-way must not reshuffle). */
  private names: string[] = [];
  private points: Kp[] = [];
  private cursor: [number, number] | null = null;

  protected readonly states: StateTable<KeypointsState> = {
    idle: {
      pointerdown: (ev) => {
        if (!this.editor.canCreate("keypoints")) return;
        this.names = this.editor.labelDef()?.skeleton?.points ?? [];
        this.points = [];
        return this.place(ev, this.visibility(ev));
      },
    },
    placing: {
      pointerdown: (ev) => this.place(ev, this.visibility(ev)),
      pointermove: (ev) => {
        const p = this.clamp(ev.point);
        this.cursor = [p.x, p.y];
        this.show();
      },
      pointerup: () => undefined,
      keydown: (ev) => {
        if (isKey(ev, "Enter")) return this.finish();
        if (isKey(ev, "Escape")) return "idle";
        if (isKey(ev, "Tab")) return this.place(ev, 0);
        if (isKey(ev, "Backspace", "Delete") || (ev.ctrl && !ev.shift && isKey(ev, "z", "Z"))) {
          this.points.pop();
          if (this.points.length === 0) return "idle";
          this.show();
          return;
        }
        return false;
      },
    },
  };

  private visibility(ev: ToolEvent): number {
    return ev.alt ? 1 : 2;
  }

  private get total(): number {
    return Math.max(1, this.names.length);
  }

  private place(ev: ToolEvent, visible: number): KeypointsState {
    const p = this.clamp(ev.point);
    this.points.push(visible === 0 ? [0, 0, 0] : [p.x, p.y, visible]);
    if (this.points.length >= this.total) return this.finish();
    this.cursor = [p.x, p.y];
    this.show();
    return "placing";
  }

  private finish(): KeypointsState {
    const points = [...this.points];
    while (points.length < this.total) points.push([0, 0, 0]);
    // A pose with no point placed is nothing; drop it instead of saving an invisible region.
    if (points.some((p) => p[2] > 0)) this.commit({ kind: "keypoints", points, ...this.labelFields() });
    return "idle";
  }

  private show(): void {
    this.preview = {
      type: "keypoints",
      points: this.points.map((p): Kp => [p[0], p[1], p[2]]),
      next: this.names[this.points.length] ?? null,
      cursor: this.cursor,
    };
  }

  protected onCancel(): void {
    this.points = [];
    this.cursor = null;
  }
}

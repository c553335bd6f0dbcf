// Shared machine for shapes clicked out point by point (polygon, polyline):
//   idle -pointerdown-> drawing (first point)
//   drawing -pointerdown-> drawing (adds a point) | idle (polygon: click on the first point closes)
//   drawing -Enter/doubleclick-> idle (commit, if enough points) ; -Backspace-> drawing | idle (last point removed)
//   drawing -Escape-> idle (cancel)
import type { Point } from "../geometry";
import { distance, utilOf } from "../selection";
import { StateMachineTool, isKey, type StateTable } from "./base";
import type { ToolEvent } from "./types";

export type PathState = "idle" | "drawing";

export abstract class PathTool extends StateMachineTool<PathState> {
  protected abstract readonly kind: "polygon" | "polyline";
  /** Fewest points a finished shape needs. */
  protected abstract readonly minPoints: number;
  private points: Array<[number, number]> = [];
  private cursor: [number, number] | null = null;

  protected readonly states: StateTable<PathState> = {
    idle: {
      pointerdown: (ev) => {
        if (!this.editor.canCreate(this.kind)) return;
        const p = this.clamp(ev.point);
        this.points = [[p.x, p.y]];
        this.cursor = [p.x, p.y];
        this.show();
        return "drawing";
      },
    },
    drawing: {
      pointerdown: (ev) => {
        const p = this.clamp(ev.point);
        if (this.kind === "polygon" && this.nearFirst(p)) return this.finish();
        // The second press of a double-click lands on the point just placed: ignore it.
        if (this.nearLast(p)) return;
        this.points.push([p.x, p.y]);
        this.cursor = [p.x, p.y];
        this.show();
      },
      pointermove: (ev) => {
        const p = this.clamp(ev.point);
        this.cursor = [p.x, p.y];
        this.show();
      },
      pointerup: () => undefined,
      doubleclick: () => this.finish(),
      keydown: (ev) => {
        if (isKey(ev, "Enter")) return this.finish();
        if (isKey(ev, "Escape")) return "idle";
        // Ctrl+Z while drawing takes back a point rather than undoing the last finished shape.
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

  private finish(): PathState | void {
    if (this.points.length < this.minPoints) return;
    if (this.kind === "polygon") {
      // Points all on one line enclose nothing: keep drawing rather than save a degenerate shape.
      const util = utilOf("polygon");
      const probe = { id: "probe", kind: "polygon" as const, points: this.points };
      if (util && util.area(probe) <= 0) return;
    }
    this.commit({ kind: this.kind, points: this.points.map((p): [number, number] => [p[0], p[1]]), ...this.labelFields() });
    return "idle";
  }

  private nearFirst(p: Point): boolean {
    const f = this.points[0];
    return this.points.length >= this.minPoints && f !== undefined && distance(p, { x: f[0], y: f[1] }) <= this.settings.tolerance;
  }

  private nearLast(p: Point): boolean {
    const l = this.points[this.points.length - 1];
    return l !== undefined && distance(p, { x: l[0], y: l[1] }) <= this.settings.tolerance / 2;
  }

  private show(): void {
    const c = this.cursor;
    this.preview = {
      type: "path",
      closed: this.kind === "polygon",
      points: this.points.map((p): [number, number] => [p[0], p[1]]),
      cursor: c,
      closing: c !== null && this.kind === "polygon" && this.nearFirst({ x: c[0], y: c[1] }),
    };
  }

  protected onCancel(): void {
    this.points = [];
    this.cursor = null;
  }

  /** Entering idle by any path drops the points in progress. */
  override handle(ev: ToolEvent): boolean {
    const used = super.handle(ev);
    if (this.state === "idle") this.onCancel();
    return used;
  }
}

// Select tool: click to select, drag to move, drag a vertex handle to reshape, drag on empty
// canvas to marquee-select. A press only becomes a drag after dragThreshold px, so clicks stay clicks.
//   idle -pointerdown on a handle of the single selected region-> pointing_handle
//   idle -pointerdown on a region-> pointing_region (selects it; shift toggles it in the selection)
//   idle -pointerdown on empty canvas-> pointing_canvas (clears the selection unless shift)
//   pointing_region -drag-> dragging_region -pointerup-> idle   (one undo step per drag)
//   pointing_handle -drag-> dragging_handle -pointerup-> idle   (moveVertex; one undo step)
//   pointing_canvas -drag-> brushing -pointerup-> idle          (marquee; shift adds to the selection)
//   idle -pointerdown on the rotation knob of a single rect/ellipse-> rotating -pointerup-> idle
//   pointing_* -pointerup-> idle ; Escape while dragging/brushing reverts the gesture -> idle
// Shift while dragging a region locks the move to the dominant axis. On the single selected
// polygon/polyline: double-click an edge to add a point there, alt+click a point to remove it.
import type { Point } from "../geometry";
import type { Region } from "../regions";
import * as polygonOps from "../regions/polygon";
import * as polylineOps from "../regions/polyline";
import { boxFromPoints, clampPoint, constrainDelta, distance, regionBounds, unionBounds, utilOf } from "../selection";
import { StateMachineTool, isKey, type StateTable } from "./base";
import { canRotate, rotateFrom, rotateHandlePoint, rotationCentre } from "./rotate-handle";
import type { ToolEvent, ToolId } from "./types";

export type SelectState = "idle" | "pointing_region" | "dragging_region" | "pointing_handle" | "dragging_handle" | "pointing_canvas" | "brushing" | "rotating";

export interface Handle {
  regionId: string;
  index: number;
  point: Point;
}

export class SelectTool extends StateMachineTool<SelectState> {
  readonly id: ToolId = "select";
  private origin: Point = { x: 0, y: 0 };
  /** Regions as they were when the gesture started: moves are applied from these, not cumulatively. */
  private initial = new Map<string, Region>();
  private grabbed: Handle | null = null;
  private baseSelection: string[] = [];

  protected readonly states: StateTable<SelectState> = {
    idle: {
      pointerdown: (ev) => this.press(ev),
      doubleclick: (ev) => (this.insertPoint(ev.point) ? undefined : false),
    },
    pointing_region: {
      pointermove: (ev) => {
        if (!this.dragged(ev)) return;
        this.editor.beginInteraction("move");
        this.moveTo(ev);
        return "dragging_region";
      },
      pointerup: () => "idle",
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : false),
    },
    dragging_region: {
      pointermove: (ev) => this.moveTo(ev),
      pointerup: (ev) => {
        this.moveTo(ev);
        this.editor.endInteraction();
        return "idle";
      },
      keydown: (ev) => (isKey(ev, "Escape") ? this.revert() : false),
    },
    pointing_handle: {
      pointermove: (ev) => {
        if (!this.dragged(ev)) return;
        this.editor.beginInteraction("reshape");
        this.dragHandle(ev);
        return "dragging_handle";
      },
      pointerup: () => "idle",
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : false),
    },
    dragging_handle: {
      pointermove: (ev) => this.dragHandle(ev),
      pointerup: (ev) => {
        this.dragHandle(ev);
        this.editor.endInteraction();
        return "idle";
      },
      keydown: (ev) => (isKey(ev, "Escape") ? this.revert() : false),
    },
    pointing_canvas: {
      pointermove: (ev) => {
        if (!this.dragged(ev)) return;
        this.marquee(ev);
        return "brushing";
      },
      pointerup: () => "idle",
      keydown: (ev) => (isKey(ev, "Escape") ? "idle" : false),
    },
    rotating: {
      pointermove: (ev) => this.rotateTo(ev),
      pointerup: (ev) => {
        this.rotateTo(ev);
        this.editor.endInteraction();
        return "idle";
      },
      keydown: (ev) => (isKey(ev, "Escape") ? this.revert() : false),
    },
    brushing: {
      pointermove: (ev) => this.marquee(ev),
      pointerup: (ev) => {
        this.marquee(ev);
        return "idle";
      },
      keydown: (ev) => {
        if (!isKey(ev, "Escape")) return false;
        this.editor.select(this.baseSelection);
        return "idle";
      },
    },
  };

  /** The vertex handle under p, offered only when exactly one unlocked region is selected. */
  handleAt(p: Point): Handle | null {
    const sel = this.editor.getSelectedRegions();
    const r = sel.length === 1 ? sel[0]! : null;
    const util = r && !r.locked ? utilOf(r.kind) : undefined;
    if (!r || !util) return null;
    const verts = util.vertices(r);
    let best: Handle | null = null;
    let bestD = this.settings.tolerance;
    verts.forEach((v, index) => {
      const d = distance(v, p);
      if (d <= bestD) {
        bestD = d;
        best = { regionId: r.id, index, point: v };
      }
    });
    return best;
  }

  /** The single selected rect/ellipse whose rotation knob is under p, or null. */
  rotateHandleAt(p: Point): Region | null {
    const sel = this.editor.getSelectedRegions();
    const r = sel.length === 1 ? sel[0]! : null;
    if (!r || !canRotate(r)) return null;
    const k = rotateHandlePoint(r, this.settings.scale);
    return k && distance(k, p) <= this.settings.tolerance * 1.6 ? r : null;
  }

  private press(ev: ToolEvent): SelectState {
    this.origin = ev.point;
    const knob = this.rotateHandleAt(ev.point);
    if (knob) {
      this.snapshot([knob.id]);
      this.editor.beginInteraction("rotate");
      return "rotating";
    }
    const handle = this.handleAt(ev.point);
    if (handle && ev.alt) {
      this.removePoint(handle);
      return "idle";
    }
    if (handle && !ev.shift) {
      this.grabbed = handle;
      this.snapshot([handle.regionId]);
      return "pointing_handle";
    }
    const hit = this.editor.hitTest(ev.point, this.settings.tolerance);
    if (hit) {
      if (ev.shift) this.editor.select([hit.id], "toggle");
      else if (!this.editor.selectedIds.has(hit.id)) this.editor.select([hit.id]);
      this.snapshot(this.editor.selectedIds);
      return "pointing_region";
    }
    this.baseSelection = ev.shift ? [...this.editor.selectedIds] : [];
    if (!ev.shift) this.editor.clearSelection();
    return "pointing_canvas";
  }

  /** Split the nearest edge of the selected polygon/polyline at p, if p is on it (and not on a vertex). */
  private insertPoint(p: Point): boolean {
    const sel = this.editor.getSelectedRegions();
    const r = sel.length === 1 ? sel[0]! : null;
    if (!r || r.locked || this.handleAt(p)) return false;
    const tol = this.settings.tolerance;
    let next: Region | null = null;
    if (r.kind === "polygon") {
      const e = polygonOps.nearestEdge(r, p);
      if (e.distance <= tol) next = polygonOps.insertVertex(r, e.index, e.point);
    } else if (r.kind === "polyline") {
      const e = polylineOps.nearestEdge(r, p);
      if (e.distance <= tol) next = polylineOps.insertVertex(r, e.index, e.point);
    }
    if (!next || next === r) return false;
    const done = next;
    this.editor.updateRegions([r.id], () => done, "add point");
    return true;
  }

  /** Remove a polygon/polyline point (the region utils refuse to go below the kind's minimum). */
  private removePoint(h: Handle): void {
    this.editor.updateRegions(
      [h.regionId],
      (r) => (r.kind === "polygon" ? polygonOps.removeVertex(r, h.index) : r.kind === "polyline" ? polylineOps.removeVertex(r, h.index) : null),
      "remove point",
    );
  }

  private snapshot(ids: Iterable<string>): void {
    this.initial = new Map();
    for (const id of ids) {
      const r = this.editor.getRegion(id);
      if (r && !r.locked && utilOf(r.kind)) this.initial.set(id, r);
    }
  }

  private dragged(ev: ToolEvent): boolean {
    return distance(ev.point, this.origin) > this.settings.dragThreshold;
  }

  private moveTo(ev: ToolEvent): void {
    let dx = ev.point.x - this.origin.x;
    let dy = ev.point.y - this.origin.y;
    if (ev.shift) {
      if (Math.abs(dx) >= Math.abs(dy)) dy = 0;
      else dx = 0;
    }
    const b = unionBounds([...this.initial.values()].map(regionBounds));
    const { width, height } = this.editor;
    if (b && width > 0 && height > 0) ({ dx, dy } = constrainDelta(b, dx, dy, width, height));
    const initial = this.initial;
    this.editor.updateRegions(initial.keys(), (r) => utilOf(r.kind)!.translate(initial.get(r.id)!, dx, dy), "move");
  }

  private dragHandle(ev: ToolEvent): void {
    const h = this.grabbed;
    const start = h && this.initial.get(h.regionId);
    if (!h || !start) return;
    const { width, height } = this.editor;
    // The grabbed vertex follows the pointer's movement, not the pointer itself: no jump on grab.
    const target = { x: h.point.x + ev.point.x - this.origin.x, y: h.point.y + ev.point.y - this.origin.y };
    const p = width > 0 && height > 0 ? clampPoint(target, width, height) : target;
    this.editor.updateRegions([h.regionId], () => utilOf(start.kind)!.moveVertex(start, h.index, p), "reshape");
  }

  private rotateTo(ev: ToolEvent): void {
    const [start] = this.initial.values();
    const c = start && rotationCentre(start);
    if (!start || !c) return;
    const next = rotateFrom(start, c, this.origin, ev.point, !!ev.shift);
    this.editor.updateRegions([start.id], () => next, "rotate");
  }

  private marquee(ev: ToolEvent): void {
    const box = boxFromPoints(this.origin, ev.point);
    this.preview = { type: "marquee", box };
    const hits = this.editor.regionsInBox(box).map((r) => r.id);
    this.editor.select([...this.baseSelection, ...hits]);
  }

  private revert(): SelectState {
    this.editor.cancelInteraction();
    return "idle";
  }

  protected onCancel(): void {
    if (this.state === "dragging_region" || this.state === "dragging_handle" || this.state === "rotating") this.editor.cancelInteraction();
    if (this.state === "brushing") this.editor.select(this.baseSelection);
  }
}

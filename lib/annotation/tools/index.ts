// Tool registry (ids, default hotkeys, which region kind each draws) and the controller that
// routes input events: first to the current tool, then, for keys it does not use, to the
// editor's shortcuts (undo, copy/paste, delete, nudge, label and tool hotkeys).
import type { Editor } from "../editor";
import { BrushTool } from "./brush";
import { EllipseTool } from "./ellipse";
import { EraserTool } from "./eraser";
import { KeypointsTool } from "./keypoints";
import { PolygonTool } from "./polygon";
import { PolylineTool } from "./polyline";
import { RectTool } from "./rect";
import { SamTool } from "./sam";
import { SelectTool } from "./select";
import { DEFAULT_TOOL_SETTINGS, type Preview, type Tool, type ToolEvent, type ToolId, type ToolSettings } from "./types";

export * from "./types";
export { BrushTool, EllipseTool, EraserTool, KeypointsTool, PolygonTool, PolylineTool, RectTool, SamTool, SelectTool };

export interface ToolInfo {
  id: ToolId;
  title: string;
  /** Default hotkey (label hotkeys from the project's schema take precedence). */
  hotkey: string;
  /** The region kind it draws; null for select. */
  kind: string | null;
}

export const TOOLS: readonly ToolInfo[] = [
  { id: "select", title: "Select and move", hotkey: "v", kind: null },
  { id: "rect", title: "Rectangle", hotkey: "r", kind: "rect" },
  { id: "polygon", title: "Polygon", hotkey: "p", kind: "polygon" },
  { id: "polyline", title: "Polyline", hotkey: "l", kind: "polyline" },
  { id: "ellipse", title: "Ellipse", hotkey: "e", kind: "ellipse" },
  { id: "keypoints", title: "Keypoints", hotkey: "k", kind: "keypoints" },
  { id: "brush", title: "Brush (alt erases)", hotkey: "b", kind: "mask" },
  { id: "eraser", title: "Eraser", hotkey: "x", kind: "mask" },
  { id: "sam", title: "Click-to-mask (SAM): click an object, Alt+click to exclude, or drag a box; Enter makes a polygon", hotkey: "s", kind: "polygon" },
];

/** Editor shortcuts for the overlay, besides the tool hotkeys above and label hotkeys. */
export const EDITOR_SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: "Ctrl+Z", action: "Undo (while drawing: remove the last point)" },
  { keys: "Ctrl+Shift+Z / Ctrl+Y", action: "Redo" },
  { keys: "Ctrl+C / Ctrl+V", action: "Copy / paste the selection (pastes 10px away)" },
  { keys: "Ctrl+A", action: "Select all" },
  { keys: "Delete / Backspace", action: "Delete the selection (while drawing: remove the last point)" },
  { keys: "Arrows (Shift: ×10)", action: "Nudge the selection by 1px" },
  { keys: "Escape", action: "Cancel drawing or dragging, else clear the selection" },
  { keys: "Enter / double-click", action: "Finish a polygon, polyline or keypoints" },
  { keys: "Tab", action: "Keypoints: mark the next point absent" },
  { keys: "Alt+click", action: "Keypoints: place as occluded; brush: erase" },
  { keys: "[ / ]", action: "Brush radius smaller / larger" },
  { keys: "Shift+drag", action: "Square / circle; move along one axis; add to the marquee selection" },
  { keys: "Drag the round knob", action: "Rotate a rectangle or ellipse (Shift snaps to 15°)" },
  { keys: "Double-click an edge / Alt+click a point", action: "Add / remove a polygon or polyline point" },
];

/** The tools a project offers: select always, drawing tools for the kinds it allows. */
export function availableTools(editor: Editor): ToolInfo[] {
  return TOOLS.filter((t) => t.kind === null || editor.rules.allowedKinds.includes(t.kind));
}

export function createTool(id: ToolId, editor: Editor, settings: ToolSettings): Tool {
  switch (id) {
    case "select": return new SelectTool(editor, settings);
    case "rect": return new RectTool(editor, settings);
    case "polygon": return new PolygonTool(editor, settings);
    case "polyline": return new PolylineTool(editor, settings);
    case "ellipse": return new EllipseTool(editor, settings);
    case "keypoints": return new KeypointsTool(editor, settings);
    case "brush": return new BrushTool(editor, settings);
    case "eraser": return new EraserTool(editor, settings);
    case "sam": return new SamTool(editor, settings);
  }
}

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export class ToolController {
  readonly settings: ToolSettings;
  private readonly tools = new Map<ToolId, Tool>();
  private active: ToolId | null = null;
  /** Tolerances as given, read as screen pixels; setZoom converts them to image pixels. */
  private readonly screen: { tolerance: number; dragThreshold: number };

  constructor(
    readonly editor: Editor,
    settings: Partial<ToolSettings> = {},
  ) {
    this.settings = { ...DEFAULT_TOOL_SETTINGS, ...settings };
    this.screen = { tolerance: this.settings.tolerance, dragThreshold: this.settings.dragThreshold };
  }

  get toolId(): ToolId {
    const id = this.editor.toolId as ToolId;
    return TOOLS.some((t) => t.id === id) ? id : "select";
  }
  get tool(): Tool {
    return this.sync();
  }

  /** The current tool instance, cancelling the previous one if the editor's tool changed. */
  private sync(): Tool {
    const id = this.toolId;
    // The tool may have been switched on the editor directly (a toolbar bound to editor.setTool):
    // the old tool must still drop its half-drawn shape or open drag.
    if (this.active !== id) {
      if (this.active) this.tools.get(this.active)?.cancel();
      this.active = id;
    }
    let t = this.tools.get(id);
    if (!t) this.tools.set(id, (t = createTool(id, this.editor, this.settings)));
    return t;
  }
  /** The instance of a tool (created if needed) without switching to it, e.g. to wire the SAM driver. */
  toolOf(id: ToolId): Tool {
    let t = this.tools.get(id);
    if (!t) this.tools.set(id, (t = createTool(id, this.editor, this.settings)));
    return t;
  }

  get state(): string {
    return this.tool.state;
  }
  get preview(): Preview | null {
    return this.tool.preview;
  }

  /** Switch tools, abandoning whatever the old one was doing; false if the project lacks it. */
  setTool(id: ToolId): boolean {
    if (!availableTools(this.editor).some((t) => t.id === id)) return false;
    this.editor.setTool(id);
    this.sync();
    return true;
  }

  /** Canvas zoom (screen px per image px): tolerances are set in screen px, applied in image px. */
  setZoom(scale: number): void {
    if (!(scale > 0)) return;
    this.settings.scale = scale;
    this.settings.tolerance = this.screen.tolerance / scale;
    this.settings.dragThreshold = this.screen.dragThreshold / scale;
  }

  /** Feed an input event; true if the tool or a shortcut used it (the canvas then preventDefaults). */
  dispatch(ev: ToolEvent): boolean {
    if (this.tool.handle(ev)) return true;
    return ev.type === "keydown" && ev.key !== undefined ? this.shortcut(ev, ev.key) : false;
  }

  private shortcut(ev: ToolEvent, key: string): boolean {
    const ed = this.editor;
    const sel = () => [...ed.selectedIds];
    if (ev.ctrl) {
      const k = key.toLowerCase();
      if ((k === "z" && ev.shift) || k === "y") return this.tool.cancel(), ed.redo(), true;
      if (k === "z") return this.tool.cancel(), ed.undo(), true;
      if (k === "c") return ed.copy(), true;
      if (k === "v") return ed.paste(), true;
      if (k === "a") return ed.selectAll(), true;
      return false;
    }
    const arrow = ARROWS[key];
    if (arrow) {
      const step = ev.shift ? 10 : 1;
      ed.nudge(arrow[0] * step, arrow[1] * step);
      return true;
    }
    if (key === "Delete" || key === "Backspace") return ed.deleteRegions(sel()), true;
    if (key === "Escape") return ed.clearSelection(), true;
    if (ev.alt) return false;
    // Project label hotkeys first: they are configured on purpose, tool letters are defaults.
    const label = ed.labelForHotkey(key);
    if (label) {
      ed.setCurrentLabel(label.name);
      if (ed.selectedIds.size) ed.setLabel(sel(), label.name);
      return true;
    }
    const tool = TOOLS.find((t) => t.hotkey === key.toLowerCase());
    return tool ? this.setTool(tool.id) : false;
  }
}

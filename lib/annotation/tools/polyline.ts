// Polyline tool: like the polygon tool but open; finish with Enter or double-click (>= 2 points).
// Clicking the first point just adds a point there. States in path.ts.
import { PathTool, type PathState } from "./path";
import type { ToolId } from "./types";

export class PolylineTool extends PathTool {
  readonly id: ToolId = "polyline";
  protected readonly kind = "polyline" as const;
  protected readonly minPoints = 2;
}

export type PolylineState = PathState;

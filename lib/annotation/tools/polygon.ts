// Polygon tool: click points; close by clicking the first point, Enter or double-click (>= 3
// points); Backspace removes the last point; Escape cancels. States in path.ts.
import { PathTool, type PathState } from "./path";
import type { ToolId } from "./types";

export class PolygonTool extends PathTool {
  readonly id: ToolId = "polygon";
  protected readonly kind = "polygon" as const;
  protected readonly minPoints = 3;
}

export type PolygonState = PathState;

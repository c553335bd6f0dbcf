// Ellipse tool. Drawn corner to corner: the drag spans the ellipse's bounding box (like the
// rectangle tool, so both feel the same; shift makes a circle). See box.ts for the states.
import type { RegionInput } from "../editor";
import { BoxTool, type Box, type BoxState } from "./box";
import type { ToolId } from "./types";

export class EllipseTool extends BoxTool {
  readonly id: ToolId = "ellipse";
  protected readonly kind = "ellipse" as const;

  protected shape(b: Box): RegionInput {
    return { kind: "ellipse", cx: b.x + b.width / 2, cy: b.y + b.height / 2, rx: b.width / 2, ry: b.height / 2, rotation: 0, ...this.labelFields() };
  }
}

export type EllipseState = BoxState;

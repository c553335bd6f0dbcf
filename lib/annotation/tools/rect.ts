// Rectangle tool: drag from one corner to the opposite one (shift: square). See box.ts for states.
import type { RegionInput } from "../editor";
import { BoxTool, type Box, type BoxState } from "./box";
import type { ToolId } from "./types";

export class RectTool extends BoxTool {
  readonly id: ToolId = "rect";
  protected readonly kind = "rect" as const;

  protected shape(b: Box): RegionInput {
    return { kind: "rect", x: b.x, y: b.y, width: b.width, height: b.height, rotation: 0, ...this.labelFields() };
  }
}

export type RectState = BoxState;

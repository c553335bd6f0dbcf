// Eraser tool: the brush with erasing on (alt+brush does the same). States in brush.ts.
import { BrushTool } from "./brush";
import type { ToolId } from "./types";

export class EraserTool extends BrushTool {
  override readonly id: ToolId = "eraser";
  protected override readonly erasing = true;
}

// Test driver for the editor and its tools (in the spirit of tldraw's TestEditor): chainable
// pointer/key input in image pixels, and direct access to the editor for assertions.
import { z } from "zod";
import { Editor } from "@/lib/annotation/editor";
import type { AnnotationDocument } from "@/lib/annotation/document";
import type { Region } from "@/lib/annotation/regions";
import { ToolController, type Preview, type ToolEvent, type ToolId, type ToolSettings } from "@/lib/annotation/tools";
import { labelConfigSchema } from "@/lib/labeling-config/schema";

export interface Modifiers {
  shift?: boolean;
  alt?: boolean;
  ctrl?: boolean;
}

export interface DriverOptions {
  /** Label schema as a project would write it (parsed with labelConfigSchema). */
  schema?: z.input<typeof labelConfigSchema>;
  width?: number;
  height?: number;
  allowedKinds?: string[];
  document?: AnnotationDocument;
  settings?: Partial<ToolSettings>;
  /** Deterministic ids r1, r2... instead of random ones. */
  sequentialIds?: boolean;
}

export class EditorDriver {
  readonly editor: Editor;
  readonly controller: ToolController;
  /** Whether the last event was used by the tool or a shortcut. */
  handled = false;
  private at = { x: 0, y: 0 };

  constructor(opts: DriverOptions = {}) {
    let n = 0;
    this.editor = new Editor({
      schema: labelConfigSchema.parse(opts.schema ?? {}),
      width: opts.width ?? 1000,
      height: opts.height ?? 800,
      allowedKinds: opts.allowedKinds,
      document: opts.document,
      newId: opts.sequentialIds ? () => `r${++n}` : undefined,
    });
    this.controller = new ToolController(this.editor, { tolerance: 5, dragThreshold: 3, ...opts.settings });
  }

  tool(id: ToolId): this {
    if (!this.controller.setTool(id)) throw new Error(`tool ${id} is not available`);
    return this;
  }
  label(name: string | null): this {
    this.editor.setCurrentLabel(name);
    return this;
  }

  pointerDown(x = this.at.x, y = this.at.y, mods: Modifiers = {}): this {
    return this.send("pointerdown", x, y, mods);
  }
  pointerMove(x: number, y: number, mods: Modifiers = {}): this {
    return this.send("pointermove", x, y, mods);
  }
  pointerUp(x = this.at.x, y = this.at.y, mods: Modifiers = {}): this {
    return this.send("pointerup", x, y, mods);
  }
  dblclick(x = this.at.x, y = this.at.y, mods: Modifiers = {}): this {
    // What a browser sends: two clicks, then dblclick.
    return this.click(x, y, mods).click(x, y, mods).send("doubleclick", x, y, mods);
  }
  key(key: string, mods: Modifiers = {}): this {
    return this.send("keydown", this.at.x, this.at.y, mods, key);
  }
  click(x: number, y: number, mods: Modifiers = {}): this {
    return this.pointerDown(x, y, mods).pointerUp(x, y, mods);
  }
  /** Press at (x1,y1), move there in a few steps, release. */
  drag(x1: number, y1: number, x2: number, y2: number, mods: Modifiers = {}, steps = 4): this {
    this.pointerDown(x1, y1, mods);
    for (let i = 1; i <= steps; i++) this.pointerMove(x1 + ((x2 - x1) * i) / steps, y1 + ((y2 - y1) * i) / steps, mods);
    return this.pointerUp(x2, y2, mods);
  }

  get state(): string {
    return this.controller.state;
  }
  get preview(): Preview | null {
    return this.controller.preview;
  }
  get regions(): readonly Region[] {
    return this.editor.getRegions();
  }
  get selected(): string[] {
    return [...this.editor.selectedIds];
  }
  region(i: number): Region {
    const r = this.regions.at(i);
    if (!r) throw new Error(`no region #${i}`);
    return r;
  }

  private send(type: ToolEvent["type"], x: number, y: number, mods: Modifiers, key?: string): this {
    this.at = { x, y };
    this.handled = this.controller.dispatch({ type, point: { x, y }, key, ...mods });
    return this;
  }
}

/** A label schema exercising every tool: per-label kinds, hotkeys, a skeleton, classifications. */
export const testSchema = {
  labels: [
    { name: "car", hotkey: "1", kinds: ["rect", "polygon", "ellipse"] },
    { name: "road", hotkey: "2", kinds: ["polygon", "polyline", "mask"] },
    {
      name: "person",
      hotkey: "3",
      kinds: ["keypoints", "rect"],
      skeleton: { points: ["head", "left_hand", "right_hand"], edges: [[0, 1], [0, 2]] as Array<[number, number]> },
    },
    { name: "dot", kinds: ["keypoints"] },
    { name: "sky", kinds: ["mask"] },
  ],
  classifications: [
    { name: "weather", choices: ["sunny", "rain"] },
    { name: "tags", choices: ["a", "b", "c"], multiple: true },
  ],
};

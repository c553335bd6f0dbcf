// A tool is a small state machine (the idea of tldraw's StateNode tools): a table of named states,
// each mapping event types to handlers. A handler returns the next state, nothing to stay, or
// false to say "not mine" so the key falls through to the editor's shortcuts.
import type { Editor, RegionInput } from "../editor";
import type { Point } from "../geometry";
import { clampPoint } from "../selection";
import type { Preview, Tool, ToolEvent, ToolEventType, ToolId, ToolSettings } from "./types";

export type Handler<S extends string> = (ev: ToolEvent) => S | false | void;
export type StateTable<S extends string> = Record<S, Partial<Record<ToolEventType, Handler<S>>>>;

/** Every tool starts, and ends each gesture, in "idle". */
export abstract class StateMachineTool<S extends string> implements Tool {
  abstract readonly id: ToolId;
  protected abstract readonly states: StateTable<S>;
  state: S = "idle" as S;
  preview: Preview | null = null;

  constructor(
    protected readonly editor: Editor,
    protected readonly settings: ToolSettings,
  ) {}

  handle(ev: ToolEvent): boolean {
    const handler = this.states[this.state][ev.type];
    if (!handler) return false;
    const next = handler(ev);
    if (next === false) return false;
    if (next !== undefined) this.state = next;
    if (this.state === "idle" && next !== undefined) this.preview = null;
    this.editor.touch(); // state or preview may have changed; the canvas redraws its overlay
    return true;
  }

  cancel(): void {
    if (this.state === "idle" && !this.preview) return;
    this.onCancel();
    this.state = "idle" as S;
    this.preview = null;
    this.editor.touch();
  }

  /** Undo whatever the current state has done to the document (e.g. a half-finished drag). */
  protected onCancel(): void {}

  /** Pointer position kept inside the image (regions live in [0,width]x[0,height]). */
  protected clamp(p: Point): Point {
    const { width, height } = this.editor;
    return width > 0 && height > 0 ? clampPoint(p, width, height) : p;
  }

  /** The label fields a new region gets: the current label, if any. */
  protected labelFields(): { label?: string } {
    const l = this.editor.currentLabel;
    return l === null ? {} : { label: l };
  }

  /** Create and select a region; false if the editor refused it (the tool then just resets). */
  protected commit(input: RegionInput): boolean {
    try {
      const r = this.editor.createRegion(input);
      this.editor.select([r.id]);
      return true;
    } catch {
      return false;
    }
  }
}

export const isKey = (ev: ToolEvent, ...keys: string[]): boolean => ev.key !== undefined && keys.includes(ev.key);

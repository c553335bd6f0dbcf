"use client";
// The strip above the canvas: tools with their hotkeys, undo/redo, zoom, image adjustments and
// hide-all. Every button only calls the editor, the tool controller or the canvas handle.
import { useMemo, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { availableTools, type ToolController } from "@/lib/annotation/tools";
import type { ImageAdjust, ImageCanvasHandle } from "../canvas-api";
import { useEditorRegions, useEditorValue } from "../../use-editor";
import { cx, kbd } from "@/components/ui/styles";

const tb = "inline-flex h-8 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";
const SHORT: Record<string, string> = { select: "Select", rect: "Rect", polygon: "Polygon", polyline: "Line", ellipse: "Ellipse", keypoints: "Points", brush: "Brush", eraser: "Eraser", sam: "Mask (SAM)" };

export const DEFAULT_ADJUST: ImageAdjust = { brightness: 1, contrast: 1 };

export function Toolbar({
  editor, controller, handle, scale, adjust, onAdjust, readOnly, onHelp, extra,
}: {
  editor: Editor;
  controller: ToolController;
  handle: () => ImageCanvasHandle | null;
  scale: number;
  adjust: ImageAdjust;
  onAdjust(a: ImageAdjust): void;
  readOnly: boolean;
  onHelp(): void;
  /** More actions after the view controls (e.g. OCR pre-labelling). */
  extra?: React.ReactNode;
}) {
  // Only what the buttons show: not every editor version (a drawing preview bumps it per move).
  useEditorValue(editor, (e) => `${controller.toolId}|${e.canUndo()}|${e.canRedo()}|${e.currentLabel}`, "after-paint");
  const [adjustOpen, setAdjustOpen] = useState(false);
  const tools = availableTools(editor);
  const current = controller.toolId;
  const regions = useEditorRegions(editor, "after-paint");
  const allHidden = useMemo(() => regions.length > 0 && regions.every((r) => r.hidden), [regions]);
  const adjusted = adjust.brightness !== 1 || adjust.contrast !== 1;

  return (
    <div role="toolbar" aria-label="Editor tools" className="relative z-10 flex h-11 shrink-0 items-center gap-1 border-b border-slate-200 bg-white px-2">
      {tools.map((t) => {
        const disabled = readOnly && t.kind !== null;
        return (
          <button
            key={t.id}
            type="button"
            data-testid={`tool-${t.id}`}
            title={`${t.title} (${t.hotkey.toUpperCase()})`}
            aria-pressed={current === t.id}
            aria-keyshortcuts={t.hotkey.toUpperCase()}
            disabled={disabled}
            onClick={() => controller.setTool(t.id)}
            className={cx(tb, current === t.id && "bg-indigo-50 text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50")}
          >
            {/* Names only when there is room (the pre-label actions need the space below 1536 px): the hotkey letter and tooltip carry it otherwise. */}
            <span className="hidden 2xl:inline">{SHORT[t.id] ?? t.title}</span>
            <kbd className={kbd}>{t.hotkey.toUpperCase()}</kbd>
          </button>
        );
      })}
      <Sep />
      <button type="button" className={tb} data-testid="undo" title="Undo (Ctrl+Z)" aria-keyshortcuts="Control+Z" disabled={readOnly || !editor.canUndo()} onClick={() => editor.undo()}>
        ↶ <span className="hidden 2xl:inline">Undo</span>
      </button>
      <button type="button" className={tb} data-testid="redo" title="Redo (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z" disabled={readOnly || !editor.canRedo()} onClick={() => editor.redo()}>
        ↷ <span className="hidden 2xl:inline">Redo</span>
      </button>
      <Sep />
      <button type="button" className={tb} data-testid="zoom-out" title="Zoom out (-)" onClick={() => handle()?.zoomBy(1 / 1.25)}>
        −
      </button>
      <span className="w-12 text-center font-mono text-xs tabular-nums text-slate-600" data-testid="zoom-level" aria-live="polite">
        {Math.round(scale * 100)}%
      </span>
      <button type="button" className={tb} data-testid="zoom-in" title="Zoom in (+)" onClick={() => handle()?.zoomBy(1.25)}>
        +
      </button>
      <button type="button" className={tb} data-testid="zoom-fit" title="Fit the image (F)" onClick={() => handle()?.fit()}>
        Fit <kbd className={kbd}>F</kbd>
      </button>
      <button type="button" className={tb} data-testid="zoom-1to1" title="Actual pixels (O)" onClick={() => handle()?.oneToOne()}>
        1:1 <kbd className={kbd}>O</kbd>
      </button>
      <Sep />
      <div className="relative">
        <button type="button" className={cx(tb, adjusted && "text-indigo-700")} data-testid="adjust" aria-expanded={adjustOpen} onClick={() => setAdjustOpen((o) => !o)}>
          ☀ <span className="hidden lg:inline">Adjust</span>
          {adjusted ? " •" : ""}
        </button>
        {adjustOpen && (
          <div className="absolute left-0 top-9 z-20 w-64 space-y-3 rounded-lg border border-slate-200 bg-white p-3 shadow-lg" data-testid="adjust-popover">
            <Slider label="Brightness" value={adjust.brightness} onChange={(brightness) => onAdjust({ ...adjust, brightness })} />
            <Slider label="Contrast" value={adjust.contrast} onChange={(contrast) => onAdjust({ ...adjust, contrast })} />
            <div className="flex justify-between">
              <button type="button" className={tb} onClick={() => onAdjust(DEFAULT_ADJUST)} disabled={!adjusted}>
                Reset
              </button>
              <button type="button" className={tb} onClick={() => setAdjustOpen(false)}>
                Close
              </button>
            </div>
          </div>
        )}
      </div>
      <button
        type="button"
        className={cx(tb, allHidden && "text-indigo-700")}
        data-testid="hide-all"
        aria-pressed={allHidden}
        disabled={regions.length === 0 || readOnly}
        title="Hide or show every region"
        onClick={() => editor.toggleHidden(regions.map((r) => r.id))}
      >
        {allHidden ? "Show all" : "Hide all"}
      </button>
      {extra && (
        <>
          <Sep />
          {extra}
        </>
      )}
      <div className="ml-auto" />
      <button type="button" className={tb} data-testid="help" title="Keyboard shortcuts (?)" aria-keyshortcuts="?" onClick={onHelp}>
        <span className="hidden 2xl:inline">Shortcuts</span> <kbd className={kbd}>?</kbd>
      </button>
    </div>
  );
}

function Sep() {
  return <span aria-hidden className="mx-1 h-5 w-px shrink-0 bg-slate-200" />;
}

function Slider({ label, value, onChange }: { label: string; value: number; onChange(v: number): void }) {
  const id = `adj-${label.toLowerCase()}`;
  return (
    <div>
      <label htmlFor={id} className="flex justify-between text-xs font-medium text-slate-700">
        {label} <span className="font-mono tabular-nums text-slate-500">{Math.round(value * 100)}%</span>
      </label>
      <input id={id} data-testid={id} type="range" min={0.2} max={3} step={0.05} value={value} onChange={(e) => onChange(Number(e.target.value))} className="mt-1 w-full accent-indigo-600" />
    </div>
  );
}

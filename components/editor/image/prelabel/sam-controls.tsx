"use client";
// The click-to-mask strip over the canvas while the SAM tool is picked: model download progress,
// "Encoding image…" with the backend, then how to prompt, the mask's score and the actions
// (Make polygon = Enter, Undo click = Backspace, Clear = Esc). Errors say what happened; the
// other tools keep working.
import type { Editor } from "@/lib/annotation/editor";
import type { ToolController } from "@/lib/annotation/tools";
import type { SamTool } from "@/lib/annotation/tools/sam";
import { cx, kbd } from "@/components/ui/styles";
import { useEditorValue } from "../../use-editor";
import type { SamControls } from "./use-sam-tool";

const tb = "inline-flex h-7 shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md px-2 text-xs font-medium hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-40";

export const SAM_SHORTCUTS = [
  { keys: "S", action: "Click-to-mask (SAM) tool" },
  { keys: "Click", action: "SAM: include this point in the mask" },
  { keys: "Alt+click / Shift+click", action: "SAM: exclude this point" },
  { keys: "Drag", action: "SAM: a box around the object" },
  { keys: "Enter", action: "SAM: turn the mask into a polygon with the current label" },
  { keys: "Backspace / Ctrl+Z", action: "SAM: remove the last click (or the box)" },
  { keys: "Escape", action: "SAM: clear the clicks and the mask" },
] as const;

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export function SamStatusBar({ c, editor, controller }: { c: SamControls; editor: Editor; controller: ToolController }) {
  const tool = controller.toolOf("sam") as SamTool;
  // Re-render when the tool's prompt, mask or label changes (the tool touches the editor).
  useEditorValue(editor, () => `${tool.state}|${tool.preview?.type === "sam" ? `${tool.preview.clicks.length}|${!!tool.preview.box}|${tool.preview.pending}|${tool.preview.mask?.score}|${tool.preview.error}` : ""}|${editor.currentLabel}`, "after-paint");
  const s = c.status;
  if (!c.active && s.phase !== "error") return null;
  const p = tool.preview?.type === "sam" ? tool.preview : null;
  const label = editor.currentLabel;
  const canPolygon = editor.canCreate("polygon");
  const key = (e: string) => () => controller.dispatch({ type: "keydown", point: { x: 0, y: 0 }, key: e });

  if (s.phase === "error") {
    return (
      <div className="pointer-events-auto flex max-w-xl items-start gap-2 rounded-lg bg-rose-50 px-3 py-2 text-xs text-rose-900 shadow ring-1 ring-rose-200" role="alert" data-testid="sam-error">
        <span className="flex-1">{s.message}</span>
        <button type="button" className={cx(tb, "text-rose-800")} onClick={c.retry}>
          Try again
        </button>
        <button type="button" className="text-slate-500 hover:text-slate-800" aria-label="Dismiss" onClick={c.dismiss}>
          ×
        </button>
      </div>
    );
  }

  if (s.phase === "downloading" || s.phase === "encoding" || s.phase === "off") {
    const pct = s.total ? Math.min(100, Math.round((s.loaded / s.total) * 100)) : null;
    return (
      <div className="pointer-events-auto flex items-center gap-3 rounded-lg bg-white px-3 py-2 text-xs text-slate-700 shadow ring-1 ring-cyan-200" role="status" data-testid="sam-loading" data-phase={s.phase}>
        <Spinner />
        {s.phase === "encoding" ? (
          <span>
            Encoding image… <span className="text-slate-500">(once per image; then each click takes a moment)</span>
          </span>
        ) : (
          <span>
            Downloading the segmentation model (MobileSAM)…{" "}
            <span className="font-mono tabular-nums text-slate-500">{s.total ? `${mb(s.loaded)} / ${mb(s.total)}` : s.loaded ? mb(s.loaded) : ""}</span>
          </span>
        )}
        <span className="h-1.5 w-32 overflow-hidden rounded bg-slate-200">
          {s.phase === "encoding" || pct === null ? (
            <span className="block h-full w-1/3 animate-pulse rounded bg-cyan-500" />
          ) : (
            <span className="block h-full bg-cyan-500 transition-[width]" style={{ width: `${pct}%` }} data-testid="sam-download-progress" />
          )}
        </span>
        {s.backend && <Backend b={s.backend} />}
      </div>
    );
  }

  // Ready.
  const hasPrompt = !!p && (p.clicks.length > 0 || p.box !== null);
  return (
    <div className="pointer-events-auto flex max-w-[56rem] flex-wrap items-center gap-1 rounded-lg bg-white px-2 py-1.5 text-xs text-slate-700 shadow ring-1 ring-cyan-200" role="status" data-testid="sam-bar" data-pending={p?.pending ? "true" : "false"} data-encode-ms={s.encodeMs ?? undefined} data-click-ms={s.clickMs ?? undefined}>
      <span className="flex items-center gap-1.5 px-1 font-medium text-cyan-800">
        <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm bg-cyan-400 ring-1 ring-cyan-700/40" />
        Click-to-mask
      </span>
      {s.backend && <Backend b={s.backend} title={`Image encoded in ${s.encodeMs ?? "?"} ms; last click ${s.clickMs ?? "–"} ms`} />}
      <span aria-hidden className="mx-1 h-5 w-px bg-slate-200" />
      {!canPolygon ? (
        <span className="px-1 text-amber-800" data-testid="sam-no-label">
          The label “{label}” cannot hold polygons: pick another label.
        </span>
      ) : !hasPrompt ? (
        <span className="px-1 text-slate-600" data-testid="sam-hint">
          Click an object to mask it · <span className="text-rose-700">Alt+click</span> excludes · drag a box around it
        </span>
      ) : (
        <>
          <span className="px-1 text-slate-600" data-testid="sam-prompt">
            <span className="text-emerald-700">{p!.clicks.filter((k) => k.positive).length} +</span> / <span className="text-rose-700">{p!.clicks.filter((k) => !k.positive).length} −</span>
            {p!.box ? " · box" : ""}
          </span>
          <span className="w-24 px-1 font-mono tabular-nums text-cyan-800" data-testid="sam-score" title="The model's own estimate of the mask's quality">
            {p!.pending ? "…" : p!.mask ? `mask ${Math.round(p!.mask.score * 100)}%` : ""}
          </span>
          {p!.error && (
            <span className="max-w-72 truncate px-1 text-rose-700" data-testid="sam-click-error" title={p!.error}>
              {p!.error}
            </span>
          )}
          <button type="button" className={cx(tb, "bg-cyan-600 text-white hover:bg-cyan-700")} data-testid="sam-commit" disabled={!p!.mask && !p!.pending} onClick={key("Enter")} title="Turn the mask into a polygon with the current label (Enter)">
            Make polygon{label ? ` “${label}”` : ""} <kbd className="rounded border border-cyan-400/60 bg-cyan-700 px-1 font-mono text-[10px] leading-4 text-cyan-50">Enter</kbd>
          </button>
          <button type="button" className={cx(tb, "text-slate-700")} data-testid="sam-undo-click" onClick={key("Backspace")} title="Remove the last click (Backspace)">
            Undo click <kbd className={kbd}>⌫</kbd>
          </button>
          <button type="button" className={cx(tb, "text-rose-700")} data-testid="sam-clear" onClick={key("Escape")} title="Clear the clicks and the mask (Esc)">
            Clear <kbd className={kbd}>Esc</kbd>
          </button>
        </>
      )}
    </div>
  );
}

function Spinner() {
  return <span aria-hidden className="inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-cyan-200 border-t-cyan-600" />;
}

function Backend({ b, title }: { b: string; title?: string }) {
  return (
    <span className="rounded bg-cyan-50 px-1.5 py-0.5 font-mono text-[11px] text-cyan-800 ring-1 ring-cyan-200" data-testid="sam-backend" title={title ?? "Where the model runs"}>
      {b}
    </span>
  );
}

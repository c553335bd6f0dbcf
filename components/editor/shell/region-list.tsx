"use client";
// Every region, windowed: rows have a fixed height and only the ones in view (plus a few) are in
// the DOM, so 5,000 regions scroll as smoothly as 5. Click selects and shows the region on the
// canvas; shift/ctrl-click adds to the selection.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { Region } from "@/lib/annotation/regions";
import { useEditorRegions, useEditorSelection } from "../use-editor";
import { cx } from "@/components/ui/styles";
import { EyeIcon, EyeOffIcon, LockIcon, UnlockIcon, WarnIcon, XIcon } from "./icons";
import { formatArea, regionArea, regionLabels, sortRegions, visibleRange, type RegionSort } from "./region-sort";

const ROW = 32;

export function RegionList({
  editor, flagged, readOnly, onFocus, describe, emptyHint, sorts,
}: {
  editor: Editor;
  flagged: ReadonlySet<string>;
  readOnly: boolean;
  onFocus(id: string): void;
  /** What the right-hand column says about a region (default: its area). */
  describe?(r: Region): string;
  /** The empty state's hint for this kind of editor. */
  emptyHint?: string;
  /** Sort options offered (default: order, label, area). */
  sorts?: readonly RegionSort[];
}) {
  const regions = useEditorRegions(editor, "after-paint");
  const selected = useEditorSelection(editor, "after-paint");
  const [sort, setSort] = useState<RegionSort>("order");
  const sorted = useMemo(() => sortRegions(regions, sort), [regions, sort]);
  const rowOf = useMemo(() => new Map(sorted.map((r, i) => [r.id, i])), [sorted]);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the (single) selected row in view when the selection comes from the canvas.
  const firstSelected = selected.size === 1 ? [...selected][0] : undefined;
  useEffect(() => {
    const el = box.current;
    if (!el || !firstSelected) return;
    const i = rowOf.get(firstSelected);
    if (i === undefined) return;
    // After the canvas has painted the selection: reading the list's geometry forces a layout.
    const t = setTimeout(() => {
      if (i * ROW < el.scrollTop || (i + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, i * ROW - el.clientHeight / 2);
    }, 60);
    return () => clearTimeout(t);
    // Deps: only when the selection changes
  }, [firstSelected]);

  const [start, end] = visibleRange(view.top, view.height, ROW, sorted.length);
  const rows = sorted.slice(start, end);

  // Stable across renders, so memoised rows whose region did not change skip rendering.
  const focusRef = useRef(onFocus);
  focusRef.current = onFocus;
  const click = useCallback(
    (e: React.MouseEvent, r: Region) => {
      if (r.hidden) return;
      editor.select([r.id], e.shiftKey || e.ctrlKey || e.metaKey ? "toggle" : "replace");
      if (!e.shiftKey && !e.ctrlKey && !e.metaKey) focusRef.current(r.id);
    },
    [editor],
  );

  return (
    <section aria-labelledby="regions-h" className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-slate-100 px-3 py-2">
        <h2 id="regions-h" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          Regions <span className="font-normal tabular-nums" data-testid="region-count">{regions.length}</span>
        </h2>
        <label className="ml-auto flex items-center gap-1 text-xs text-slate-500">
          Sort
          <select value={sort} onChange={(e) => setSort(e.target.value as RegionSort)} data-testid="region-sort" className="rounded border border-slate-200 bg-white px-1 py-0.5 text-xs text-slate-700">
            {(sorts ?? ["order", "label", "area"]).map((s) => (
              <option key={s} value={s}>
                {s === "order" ? "Order" : s === "label" ? "Label" : s === "score" ? "Score" : "Area"}
              </option>
            ))}
          </select>
        </label>
      </div>
      {regions.length === 0 ? (
        <p className="px-3 py-6 text-center text-xs leading-relaxed text-slate-500" data-testid="region-empty">
          {readOnly ? "This annotation has no regions." : (emptyHint ?? "No regions yet — pick a tool (R rectangle, P polygon …) and draw on the image.")}
        </p>
      ) : (
        <div ref={box} className="relative min-h-0 flex-1 overflow-y-auto" onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })} data-testid="region-list">
          <ul style={{ height: sorted.length * ROW }} className="relative" aria-label="Regions" role="listbox" aria-multiselectable="true">
            {rows.map((r, i) => (
              <RegionRow
                key={r.id}
                region={r}
                top={(start + i) * ROW}
                color={editor.labelDef(regionLabels(r)[0] ?? null)?.color}
                selected={selected.has(r.id)}
                flagged={flagged.has(r.id)}
                readOnly={readOnly}
                onClick={click}
                editor={editor}
                detail={describe ? describe(r) : formatArea(regionArea(r))}
              />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

const RegionRow = memo(function RegionRow({
  region: r, top, color, selected, flagged, readOnly, onClick, editor, detail,
}: {
  detail: string;
  region: Region;
  top: number;
  color: string | undefined;
  selected: boolean;
  flagged: boolean;
  readOnly: boolean;
  onClick(e: React.MouseEvent, r: Region): void;
  editor: Editor;
}) {
  const names = regionLabels(r);
  const icon = "flex h-6 w-6 items-center justify-center rounded text-[13px] text-slate-400 hover:bg-slate-200 hover:text-slate-700 disabled:opacity-30";
  return (
    <li
      style={{ top, height: ROW }}
      data-testid="region-row"
      data-region-id={r.id}
      role="option"
      aria-selected={selected}
      // Keyboard: Tab reaches the rows; Enter or Space selects (with Shift/Ctrl: adds) and shows it.
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
        e.preventDefault();
        e.stopPropagation();
        onClick(e as unknown as React.MouseEvent, r);
      }}
      className={cx(
        "absolute inset-x-0 flex cursor-pointer select-none items-center gap-2 border-l-2 px-2 text-xs outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-400",
        selected ? "border-indigo-500 bg-indigo-50" : "border-transparent hover:bg-slate-50",
        r.hidden && "opacity-50",
      )}
      onClick={(e) => onClick(e, r)}
    >
      <span aria-hidden className="h-3 w-3 shrink-0 rounded-sm ring-1 ring-black/10" style={{ background: flagged ? "repeating-linear-gradient(45deg,#f59e0b 0 3px,#fff 3px 6px)" : (color ?? "#94a3b8") }} />
      <span className="min-w-0 flex-1 truncate">
        {flagged ? (
          <span className="font-medium text-amber-700" title="Label removed — pick a new label">
            <WarnIcon className="mb-0.5 inline" /> {names.join(", ")} <span className="font-normal">(removed)</span>
          </span>
        ) : (
          <span className={cx("font-medium", names.length ? "text-slate-800" : "italic text-slate-400")}>{names.length ? names.join(", ") : "no label"}</span>
        )}
        <span className="ml-1.5 text-slate-400">{r.kind}</span>
        {r.origin === "prediction" && <span className="ml-1.5 text-violet-500" title={r.model}>pred{r.score !== undefined ? ` ${Math.round(r.score * 100)}%` : ""}</span>}
      </span>
      <span className="max-w-[38%] shrink-0 truncate font-mono text-[11px] tabular-nums text-slate-400" data-testid="region-detail">{detail}</span>
      <button
        type="button"
        className={icon}
        title={r.hidden ? "Show" : "Hide"}
        aria-label={r.hidden ? "Show region" : "Hide region"}
        data-testid="region-hide"
        disabled={readOnly}
        onClick={(e) => {
          e.stopPropagation();
          editor.toggleHidden([r.id]);
        }}
      >
        {r.hidden ? <EyeOffIcon /> : <EyeIcon />}
      </button>
      <button
        type="button"
        className={cx(icon, r.locked && "text-slate-700")}
        title={r.locked ? "Unlock" : "Lock"}
        aria-label={r.locked ? "Unlock region" : "Lock region"}
        aria-pressed={!!r.locked}
        data-testid="region-lock"
        disabled={readOnly}
        onClick={(e) => {
          e.stopPropagation();
          editor.toggleLocked([r.id]);
        }}
      >
        {r.locked ? <LockIcon /> : <UnlockIcon />}
      </button>
      <button
        type="button"
        className={cx(icon, "hover:bg-rose-100 hover:text-rose-700")}
        title={r.locked ? "Unlock it to delete" : "Delete"}
        aria-label="Delete region"
        data-testid="region-delete"
        disabled={readOnly || !!r.locked}
        onClick={(e) => {
          e.stopPropagation();
          editor.deleteRegions([r.id]);
        }}
      >
        <XIcon />
      </button>
    </li>
  );
});

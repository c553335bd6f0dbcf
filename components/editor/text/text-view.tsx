"use client";
// The document: virtualised (only blocks in and near the viewport are in the DOM, heights
// measured as they render), spans painted per block, relations as arrows, and the input that
// creates spans: a mouse selection, or a keyboard caret (arrows, Shift to extend, Ctrl for words)
// followed by a label's hotkey. Offsets inside the view are UTF-16; the editor stores code points.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import type { TextIndex } from "@/lib/annotation/text/offsets";
import { assignLanes, blockAt, displayText, spansByBlock, splitBlocks } from "@/lib/annotation/text/layout";
import { nextGrapheme, nextWordEnd, prevGrapheme, prevWordStart } from "@/lib/annotation/text/snap";
import { labelSelection } from "@/lib/annotation/text/commands";
import type { LabelConfig } from "@/lib/labeling-config/schema";
import { isTyping } from "@/components/use-hotkey";
import { useEditorRegions, useEditorSelection } from "../use-editor";
import { Block, TEXT_VIEW_CSS } from "./text-block";
import { domOffset, makeSpanView, type ViewSpan } from "./view-model";
import { ARROW_DEFS, drawArrows } from "./relation-arrows";
import type { PendingStore } from "./pending-store";

const OVERSCAN = 900; // px above and below the viewport kept rendered
const PAD_Y = 40; // room above the first line for relation arrows

export interface Caret {
  anchor: number;
  focus: number;
}

export interface TextViewHandle {
  /** The pending (unlabelled) selection in UTF-16, if any. */
  pending(): [number, number] | null;
  /** Label the pending selection; false if there is none. */
  labelPending(label: string): boolean;
  scrollToSpan(id: string): void;
  clearPending(): void;
}

export interface TextViewProps {
  editor: Editor;
  index: TextIndex;
  schema: LabelConfig;
  readOnly: boolean;
  wordSnap: boolean;
  /** Key handling on (off while a dialog is open). */
  keyboard: boolean;
  handleRef: RefObject<TextViewHandle | null>;
  onMessage(text: string, tone?: "error" | "warning" | "info" | "success"): void;
  pendingStore: PendingStore;
  /** Editor shortcuts the workspace owns (W, L, A, Delete...). Returns true when handled. */
  onKey(e: KeyboardEvent): boolean;
}

function estimateHeights(text: string, blocks: ReadonlyArray<{ start: number; end: number }>, width: number): Float64Array {
  const perLine = Math.max(20, Math.floor((width - 64) / 8));
  const h = new Float64Array(blocks.length);
  blocks.forEach((b, i) => {
    let lines = 0;
    let run = 0;
    for (let k = b.start; k < b.end; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) {
        lines += Math.max(1, Math.ceil(run / perLine));
        run = 0;
      } else if (c !== 13) run++;
    }
    if (run > 0 || lines === 0) lines += Math.max(1, Math.ceil(run / perLine));
    h[i] = lines * 26;
  });
  return h;
}

export const TextView = memo(function TextView(p: TextViewProps) {
  const { editor, index, readOnly } = p;
  const text = index.text;
  const display = useMemo(() => displayText(text), [text]);
  const blocks = useMemo(() => splitBlocks(text), [text]);
  const regions = useEditorRegions(editor);
  const selected = useEditorSelection(editor);
  const toView = useMemo(() => makeSpanView(index, p.schema), [index, p.schema]);
  const spans = useMemo(() => toView(regions), [toView, regions]);
  const lanes = useMemo(() => assignLanes(spans), [spans]);
  const perBlock = useMemo(() => spansByBlock(blocks, spans), [blocks, spans]);
  const [caret, setCaretState] = useState<Caret | null>(null);
  const caretRef = useRef<Caret | null>(null);
  const setCaret = useCallback((c: Caret | null) => {
    caretRef.current = c;
    setCaretState(c);
  }, []);

  // ---- virtualisation -------------------------------------------------------------------------
  const scroller = useRef<HTMLDivElement>(null);
  const group = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [width, setWidth] = useState(800);
  const heights = useRef<Float64Array>(new Float64Array(0));
  const [layoutV, setLayoutV] = useState(0);
  const [view, setView] = useState({ top: 0, height: 800 });
  useMemo(() => {
    heights.current = estimateHeights(text, blocks, width);
  }, [text, blocks, width]);
  const offsets = useMemo(() => {
    const o = new Float64Array(blocks.length + 1);
    for (let i = 0; i < blocks.length; i++) o[i + 1] = o[i]! + heights.current[i]!;
    return o;
    // layoutV: heights changed in place after measuring
  }, [blocks, width, layoutV]); // eslint-disable-line react-hooks/exhaustive-deps
  const total = offsets[blocks.length] ?? 0;
  const findBlock = (y: number) => {
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  };
  const first = blocks.length ? findBlock(Math.max(0, view.top - PAD_Y - OVERSCAN)) : 0;
  const last = blocks.length ? findBlock(view.top - PAD_Y + view.height + OVERSCAN) : -1;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setView({ top: el.scrollTop, height: el.clientHeight });
      const w = group.current?.clientWidth ?? el.clientWidth;
      setWidth((old) => (Math.abs(old - w) > 1 ? w : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const measureRO = useRef<ResizeObserver | null>(null);
  const measure = useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    measureRO.current ??= new ResizeObserver((entries) => {
      let changed = false;
      const sc = scroller.current;
      for (const e of entries) {
        const i = Number((e.target as HTMLElement).dataset.block);
        const h = (e.target as HTMLElement).offsetHeight;
        const old = heights.current[i];
        if (old === undefined || h === 0 || Math.abs(h - old) < 0.5) continue;
        // Keep what the reader looks at still: a block above the viewport growing pushes it down.
        if (sc && blockTop(i) + old <= sc.scrollTop - PAD_Y) sc.scrollTop += h - old;
        heights.current[i] = h;
        changed = true;
      }
      if (changed) setLayoutV((v) => v + 1);
    });
    measureRO.current.observe(el);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const offsetsRef = useRef(offsets);
  offsetsRef.current = offsets;
  const blockTop = (i: number) => offsetsRef.current[i] ?? 0;
  useEffect(() => () => measureRO.current?.disconnect(), []);

  // ---- relations ------------------------------------------------------------------------------
  // After paint, and only when there are relations: measuring spans forces a layout, which must
  // not sit between an input and its frame.
  const relations = useMemo(() => editor.getRelations(), [regions]); // eslint-disable-line react-hooks/exhaustive-deps
  const drewArrows = useRef(false);
  useEffect(() => {
    if (!svg.current || !group.current) return;
    if (relations.length === 0 && !drewArrows.current) return;
    drewArrows.current = relations.length > 0;
    drawArrows(svg.current, group.current, relations, selected);
  }, [relations, selected, first, last, layoutV, width, caret]);

  // ---- caret and pending selection ------------------------------------------------------------
  // Drawn as an overlay from the text's own layout (Range rects), so a caret move or a Shift+→
  // touches no text node: the text is not re-rendered, re-laid out or repainted.
  const overlay = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const ov = overlay.current;
    const g = group.current;
    if (!ov || !g) return;
    ov.replaceChildren();
    if (!caret || blocks.length === 0) return;
    const lo = blocks[first]!.start;
    const hi = blocks[Math.min(last, blocks.length - 1)]!.end;
    const gr = g.getBoundingClientRect();
    const point = (u: number, end: boolean): [Node, number] | null => {
      const b = g.querySelector<HTMLElement>(`[data-block="${blockAt(blocks, u)}"]`);
      if (!b) return null;
      for (const el of b.querySelectorAll<HTMLElement>("[data-o]")) {
        const o = Number(el.dataset.o);
        const e = Number(el.dataset.e);
        if ((end ? o < u && u <= e : o <= u && u < e) || (u === e && el === b.lastElementChild)) return el.firstChild ? [el.firstChild, u - o] : null;
      }
      return null;
    };
    const box = (cls: string, r: DOMRect, w?: number) => {
      const d = document.createElement("div");
      d.className = cls;
      d.style.left = `${r.left - gr.left}px`;
      d.style.top = `${r.top - gr.top}px`;
      d.style.height = `${r.height}px`;
      if (w !== undefined) d.style.width = `${w}px`;
      ov.appendChild(d);
    };
    const [s, e] = [Math.max(lo, Math.min(caret.anchor, caret.focus)), Math.min(hi, Math.max(caret.anchor, caret.focus))];
    if (e > s) {
      const a = point(s, false);
      const b = point(e, true);
      if (a && b) {
        const r = document.createRange();
        r.setStart(a[0], a[1]);
        r.setEnd(b[0], b[1]);
        for (const rect of r.getClientRects()) if (rect.width >= 1) box("lp-pending", rect, rect.width);
      }
    }
    if (caret.focus >= lo && caret.focus <= hi) {
      const at = point(caret.focus, false) ?? point(caret.focus, true);
      if (at) {
        const r = document.createRange();
        r.setStart(at[0], at[1]);
        const rect = r.getClientRects()[0] ?? r.getBoundingClientRect();
        if (rect.height > 0) box("lp-caret", rect);
      }
    }
  }, [caret, first, last, layoutV, width, spans, blocks]);

  const pendingRange = (c: Caret | null): [number, number] | null => (c && c.anchor !== c.focus ? [Math.min(c.anchor, c.focus), Math.max(c.anchor, c.focus)] : null);
  const pend = pendingRange(caret);
  useEffect(() => {
    p.pendingStore.set(pend ? text.slice(pend[0], pend[1]) : null);
  }, [pend?.[0], pend?.[1]]); // eslint-disable-line react-hooks/exhaustive-deps

  const scrollToOffset = useCallback(
    (u: number) => {
      const sc = scroller.current;
      if (!sc || blocks.length === 0) return;
      const el = group.current?.querySelector<HTMLElement>(`[data-block="${blockAt(blocks, u)}"]`);
      const piece = el ? [...el.querySelectorAll<HTMLElement>("[data-o]")].find((x) => Number(x.dataset.o) <= u && Number(x.dataset.e) >= u) : null;
      if (piece) {
        const r = piece.getBoundingClientRect();
        const s = sc.getBoundingClientRect();
        if (r.top < s.top + 8 || r.bottom > s.bottom - 8) sc.scrollTop += r.top - s.top - s.height / 3;
      } else sc.scrollTop = blockTop(blockAt(blocks, u)) + PAD_Y - sc.clientHeight / 3;
    },
    [blocks], // eslint-disable-line react-hooks/exhaustive-deps
  );

  function label(s: number, e: number, name: string): boolean {
    try {
      const r = labelSelection(editor, index, s, e, name, p.wordSnap);
      if (!r) {
        p.onMessage("The selection holds only spaces: nothing to label.", "warning");
        return false;
      }
      if (!r.created) p.onMessage(`That text is already labelled “${name}”.`, "info");
      const end = index.toUtf16(r.region.end);
      setCaret({ anchor: end, focus: end });
      return true;
    } catch (err) {
      p.onMessage(err instanceof EditorError ? err.message : String(err), "error");
      return false;
    }
  }

  p.handleRef.current = {
    pending: () => pendingRange(caretRef.current),
    labelPending: (name) => {
      const r = pendingRange(caretRef.current);
      return r ? label(r[0], r[1], name) : false;
    },
    scrollToSpan: (id) => {
      const r = editor.getRegion(id);
      if (r?.kind === "span") scrollToOffset(index.toUtf16(r.start));
    },
    clearPending: () => setCaret(null),
  };

  // ---- mouse ----------------------------------------------------------------------------------
  const down = useRef<{ x: number; y: number } | null>(null);
  // Listened on the window from mousedown on: a drag that ends outside the text (past the card's
  // edge, over the sidebar) still becomes a selection.
  const upRef = useRef<(e: MouseEvent) => void>(() => undefined);
  upRef.current = onMouseUp;
  function onMouseUp(e: MouseEvent) {
    if (e.button !== 0) return;
    const s = window.getSelection();
    if (!s || s.rangeCount === 0) return;
    const a = domOffset(s.anchorNode, s.anchorOffset);
    const f = domOffset(s.focusNode, s.focusOffset);
    // A click (the pointer did not travel) is a click even when Shift extended the native selection.
    const still = down.current !== null && Math.hypot(e.clientX - down.current.x, e.clientY - down.current.y) < 4;
    if (still && !s.isCollapsed) s.collapseToEnd();
    if (a === null || f === null) return;
    if (still || s.isCollapsed || a === f) {
      // A click: select the span under the pointer (innermost; again cycles outward), place the caret.
      const piece = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-span]") : null;
      const ids = piece?.dataset.span?.split(" ") ?? [];
      if (ids.length) {
        const cur = [...editor.selectedIds];
        const at = cur.length === 1 ? ids.indexOf(cur[0]!) : -1;
        const pick = at > 0 ? ids[at - 1]! : ids[ids.length - 1]!;
        editor.select([pick], e.shiftKey || e.ctrlKey || e.metaKey ? "toggle" : "replace");
      } else if (!e.shiftKey) editor.clearSelection();
      setCaret({ anchor: f, focus: f });
      return;
    }
    s.removeAllRanges();
    const lo = Math.min(a, f);
    const hi = Math.max(a, f);
    const armed = editor.currentLabel;
    if (!readOnly && armed) {
      label(lo, hi, armed);
      return;
    }
    setCaret({ anchor: lo, focus: hi });
    if (!readOnly) editor.clearSelection();
  }

  // ---- keyboard -------------------------------------------------------------------------------
  const keysRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keysRef.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || isTyping(e)) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const c = caretRef.current;
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      if (e.altKey) return; // Alt+arrows: previous / next task (shell)
      e.preventDefault();
      const fwd = e.key === "ArrowRight";
      let from = c?.focus ?? firstVisibleOffset();
      if (c && !e.shiftKey && c.anchor !== c.focus) {
        const x = fwd ? Math.max(c.anchor, c.focus) : Math.min(c.anchor, c.focus);
        setCaret({ anchor: x, focus: x });
        return;
      }
      if (c || e.shiftKey) from = ctrl ? (fwd ? nextWordEnd(text, from) : prevWordStart(text, from)) : fwd ? nextGrapheme(text, from) : prevGrapheme(text, from);
      const next = { anchor: e.shiftKey && c ? c.anchor : e.shiftKey ? (c?.focus ?? firstVisibleOffset()) : from, focus: from };
      setCaret(next);
      requestAnimationFrame(() => scrollToOffset(next.focus));
      return;
    }
    if ((e.key === "ArrowUp" || e.key === "ArrowDown") && c && !ctrl && !e.altKey) {
      const to = verticalMove(c.focus, e.key === "ArrowDown" ? 1 : -1);
      if (to === null) return;
      e.preventDefault();
      const next = { anchor: e.shiftKey ? c.anchor : to, focus: to };
      setCaret(next);
      requestAnimationFrame(() => scrollToOffset(next.focus));
      return;
    }
    if (e.key === "Escape" && c && c.anchor !== c.focus) {
      e.preventDefault();
      setCaret({ anchor: c.focus, focus: c.focus });
      return;
    }
    if (!ctrl && !e.altKey && !e.repeat && !readOnly) {
      const def = editor.labelForHotkey(e.key);
      if (def) {
        e.preventDefault();
        const r = pendingRange(c);
        if (r) label(r[0], r[1], def.name);
        else if (editor.selectedIds.size) {
          try {
            editor.setLabel([...editor.selectedIds], def.name);
          } catch (err) {
            p.onMessage(err instanceof EditorError ? err.message : String(err), "error");
          }
        } else editor.setCurrentLabel(editor.currentLabel === def.name ? null : def.name);
        return;
      }
    }
    const inText = document.activeElement === document.body || !!scroller.current?.contains(document.activeElement);
    if (e.key === "Tab" && !ctrl && !e.altKey && spans.length && inText) {
      e.preventDefault();
      const sorted = [...spans].sort((x, y) => x.start - y.start || y.end - x.end);
      const cur = editor.selectedIds.size === 1 ? sorted.findIndex((s) => editor.selectedIds.has(s.id)) : -1;
      let i: number;
      if (cur >= 0) i = (cur + (e.shiftKey ? -1 : 1) + sorted.length) % sorted.length;
      else {
        const at = c?.focus ?? firstVisibleOffset();
        i = e.shiftKey ? sorted.findLastIndex((s) => s.start < at) : sorted.findIndex((s) => s.start >= at);
        if (i < 0) i = e.shiftKey ? sorted.length - 1 : 0;
      }
      const s = sorted[i]!;
      editor.select([s.id]);
      setCaret({ anchor: s.start, focus: s.start });
      requestAnimationFrame(() => scrollToOffset(s.start));
      return;
    }
    if (p.onKey(e)) e.preventDefault();
  };
  useEffect(() => {
    if (!p.keyboard) return;
    const onKey = (e: KeyboardEvent) => keysRef.current(e);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [p.keyboard]);

  function firstVisibleOffset(): number {
    const sc = scroller.current;
    const b = blocks[sc ? findBlock(Math.max(0, sc.scrollTop - PAD_Y)) : 0];
    return b?.start ?? 0;
  }

  /** The offset one line up or down from u, from the caret's position on screen. */
  function verticalMove(u: number, dir: 1 | -1): number | null {
    const el = group.current?.querySelector<HTMLElement>(".lp-caret");
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const y = dir > 0 ? r.bottom + 14 : r.top - 14;
    const doc = document as Document & { caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null };
    const pos = doc.caretPositionFromPoint?.(r.left + 1, y);
    if (pos) return domOffset(pos.offsetNode, pos.offset);
    const range = document.caretRangeFromPoint?.(r.left + 1, y);
    return range ? domOffset(range.startContainer, range.startOffset) : u;
  }

  // ---- render ---------------------------------------------------------------------------------
  const visible = [];
  for (let i = first; i <= last && i < blocks.length; i++) {
    const b = blocks[i]!;
    const bs: readonly ViewSpan[] = perBlock[i] ?? [];
    let selKey = "";
    for (const s of bs) if (selected.has(s.id)) selKey += s.id + ",";
    visible.push(
      <Block
        key={i}
        i={i}
        start={b.start}
        end={b.end}
        display={display}
        spans={bs}
        lanes={lanes}
        laneKey={bs.map((s) => lanes.get(s.id)).join(",")}
        selected={selected}
        selKey={selKey}
        measure={measure}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      className="lp-text h-full overflow-auto bg-slate-100 outline-none [overflow-anchor:none]"
      tabIndex={0}
      data-testid="text-view"
      aria-label="Document text"
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
    >
      <style>{TEXT_VIEW_CSS}</style>
      <div className="mx-auto my-6 max-w-3xl rounded-md border border-slate-200 bg-white shadow-sm" style={{ height: total + PAD_Y * 2 }}>
        <div className="relative h-full" style={{ paddingTop: PAD_Y }}>
          <div
            ref={group}
            className="absolute inset-x-0 px-8"
            style={{ top: PAD_Y + (offsets[first] ?? 0) }}
            onMouseDown={(e) => {
              if (e.button !== 0) return;
              down.current = { x: e.clientX, y: e.clientY };
              window.addEventListener("mouseup", (ev) => upRef.current(ev), { once: true });
              // Shift/Ctrl-click on a span adds it to the selection; keep the browser from extending text.
              if ((e.shiftKey || e.ctrlKey || e.metaKey) && (e.target as HTMLElement).closest("[data-span]")) e.preventDefault();
            }}
            data-testid="text-content"
            data-first-block={first}
          >
            {visible}
            <div ref={overlay} className="pointer-events-none absolute inset-0" aria-hidden data-testid="text-overlay" />
            <svg ref={svg} className="pointer-events-none absolute inset-0 h-full w-full overflow-visible" aria-hidden dangerouslySetInnerHTML={{ __html: ARROW_DEFS }} />
          </div>
        </div>
      </div>
    </div>
  );
});

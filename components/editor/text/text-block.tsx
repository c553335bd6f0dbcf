"use client";
// One block of the document (a few lines, ~2k characters): its text cut into pieces at span
// edges, each piece painted for the spans covering it. Nested and overlapping spans each get a
// lane: a stacked underline below the text (lane 0 nearest), the innermost span tints the text,
// and a small label tag follows where a span ends. Memoised: only blocks whose spans or selection
// changed re-render. The caret and the pending selection are an overlay (text-view.tsx), so
// moving them never re-renders or re-lays out the text.
import { memo, useCallback, useMemo, type CSSProperties } from "react";
import { pieces } from "@/lib/annotation/text/layout";
import { inkOn, type ViewSpan } from "./view-model";

export const LANE_PX = 3;
const BASE_LINE = 26;
const GAP = "#ffffff";

export interface BlockProps {
  i: number;
  start: number;
  end: number;
  display: string;
  spans: readonly ViewSpan[];
  lanes: ReadonlyMap<string, number>;
  laneKey: string;
  selected: ReadonlySet<string>;
  selKey: string;
  measure(el: HTMLDivElement | null, i: number): void;
}

function pieceStyle(cover: readonly ViewSpan[], lanes: ReadonlyMap<string, number>, selected: ReadonlySet<string>): CSSProperties | undefined {
  if (cover.length === 0) return undefined;
  const inner = cover[cover.length - 1]!;
  const sel = cover.find((s) => selected.has(s.id));
  const tint = sel ?? inner;
  const style: CSSProperties = {
    background: `${tint.color}${sel ? "5c" : "2e"}`,
    boxShadow: shadows(cover, lanes),
    borderRadius: 2,
  };
  if (tint.prediction) style.backgroundImage = `repeating-linear-gradient(135deg, ${tint.color}40 0 3px, transparent 3px 7px)`;
  if (sel) style.outline = `1.5px solid ${sel.color}`;
  return style;
}

/** Stacked underlines: lane k is a 2px line at 3k+2px below the text, gaps painted white. */
function shadows(cover: readonly ViewSpan[], lanes: ReadonlyMap<string, number>): string {
  const byLane = new Map(cover.map((s) => [lanes.get(s.id) ?? 0, s]));
  const max = Math.max(...byLane.keys());
  const out: string[] = [];
  for (let k = 0; k <= max; k++) {
    const s = byLane.get(k);
    out.push(`0 ${k * LANE_PX + 2}px 0 0 ${s ? s.color : GAP}`, `0 ${(k + 1) * LANE_PX}px 0 0 ${GAP}`);
  }
  return out.join(", ");
}

function BlockView(p: BlockProps) {
  const { measure, i } = p;
  // A stable ref: a new one per render would re-observe the block on every render.
  const ref = useCallback((el: HTMLDivElement | null) => measure(el, i), [measure, i]);
  // Pieces depend on the spans and their lanes only: a selection change reuses them.
  const { start, end, spans, lanes, laneKey } = p;
  const { parts, maxLane } = useMemo(() => {
    let max = -1;
    for (const s of spans) max = Math.max(max, lanes.get(s.id) ?? 0);
    return { parts: pieces(start, end, spans, lanes), maxLane: max };
  }, [start, end, spans, laneKey]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div ref={ref} data-block={p.i} className="lp-block" style={{ lineHeight: `${BASE_LINE + Math.max(0, maxLane) * LANE_PX}px` }}>
      {parts.map((pc) => {
        const ends = pc.covering.filter((s) => s.end === pc.end);
        const starts = pc.covering.filter((s) => s.start === pc.start);
        const style = pieceStyle(pc.covering, p.lanes, p.selected);
        const tagSpan = ends[ends.length - 1];
        const tag = ends.map((s) => s.label + (s.prediction ? "?" : "")).join(" · ");
        return (
          <span
              key={pc.start}
              data-o={pc.start}
              data-e={pc.end}
              data-span={pc.covering.length ? pc.covering.map((s) => s.id).join(" ") : undefined}
              data-starts={starts.length ? starts.map((s) => s.id).join(" ") : undefined}
              data-tags={tag || undefined}
              className={pc.covering.length ? "lp-piece lp-span" : "lp-piece"}
              style={tagSpan ? ({ ...style, "--tag": tagSpan.color, "--tag-ink": inkOn(tagSpan.color) } as CSSProperties) : style}
            >
              {p.display.slice(pc.start, pc.end)}
            </span>
        );
      })}
    </div>
  );
}

function same(a: BlockProps, b: BlockProps): boolean {
  if (a.i !== b.i || a.start !== b.start || a.end !== b.end || a.display !== b.display) return false;
  if (a.laneKey !== b.laneKey || a.selKey !== b.selKey) return false;
  if (a.spans.length !== b.spans.length) return false;
  for (let k = 0; k < a.spans.length; k++) if (a.spans[k] !== b.spans[k]) return false;
  return true;
}

export const Block = memo(BlockView, same);

/** Styles the pieces need beyond Tailwind: the label tag after a span, the caret. */
export const TEXT_VIEW_CSS = `
.lp-block{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;color:#0f172a;unicode-bidi:plaintext}
.lp-span{cursor:pointer}
.lp-piece[data-tags]::after{content:attr(data-tags);margin-left:3px;padding:0 4px;border-radius:3px;font:600 10px/15px ui-sans-serif,system-ui,sans-serif;vertical-align:2px;background:var(--tag);color:var(--tag-ink);white-space:nowrap;user-select:none;-webkit-user-select:none}
.lp-caret{position:absolute;width:0;border-left:2px solid #4f46e5;margin-left:-1px}
.lp-pending{position:absolute;background:rgba(59,130,246,.3);border-radius:2px}
.lp-text:not(:focus-within) .lp-caret{border-left-color:#94a3b8}
`;

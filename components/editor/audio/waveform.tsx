"use client";
// The waveform canvas: paints (draw-waveform.ts) on demand, turns pointer input into times for
// the segment tool, zooms with Ctrl+wheel about the pointer, scrolls with the wheel, the
// overview strip or a middle-button drag, and seeks with clicks (waveform or ruler).
import { useEffect, useMemo, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { SegmentTool } from "@/lib/annotation/audio/segment-tool";
import type { SegmentRegion } from "@/lib/annotation/regions/segment";
import { clampView, xToTime, zoomAt, type TimelineView } from "@/lib/annotation/audio/timeline";
import type { PeakPyramid } from "@/lib/annotation/audio/peaks";
import { OVERVIEW_H, RULER_H, SPECTRO_COLORS, drawWaveform } from "./draw-waveform";
import type { Spectro } from "./use-peaks";

/** Speech lives below 8 kHz: show that band, bin 0 at the bottom. */
const SPECTRO_MAX_HZ = 8000;

function spectroImage(s: Spectro | null): { image: HTMLCanvasElement; t0: number; t1: number } | { reason: string } | null {
  if (!s || "reason" in s) return s;
  const shown = Math.max(1, Math.min(s.bins, Math.ceil((SPECTRO_MAX_HZ / (s.sampleRate / 2)) * s.bins)));
  const c = document.createElement("canvas");
  c.width = s.columns;
  c.height = shown;
  const ctx = c.getContext("2d")!;
  const img = ctx.createImageData(s.columns, shown);
  for (let x = 0; x < s.columns; x++) {
    for (let b = 0; b < shown; b++) {
      const v = s.data[x * s.bins + b]!;
      const o = ((shown - 1 - b) * s.columns + x) * 4;
      img.data[o] = SPECTRO_COLORS[v * 3]!;
      img.data[o + 1] = SPECTRO_COLORS[v * 3 + 1]!;
      img.data[o + 2] = SPECTRO_COLORS[v * 3 + 2]!;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { image: c, t0: s.t0, t1: s.t1 };
}

export interface WaveformProps {
  editor: Editor;
  tool: SegmentTool;
  pyramid: PeakPyramid | null;
  peaksVersion: number;
  duration: number;
  view: TimelineView | null;
  onView(v: TimelineView): void;
  onSize(width: number): void;
  playhead: number;
  loop: { start: number; end: number } | null;
  readOnly: boolean;
  onSeek(t: number): void;
  spectro: Spectro | null;
  showSpectro: boolean;
  className?: string;
}

type Drag = { mode: "tool" } | { mode: "ruler" } | { mode: "overview" } | { mode: "pan"; x: number; scroll: number } | { mode: "view-only" };

export function Waveform(p: WaveformProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const sizeRef = useRef(size);
  sizeRef.current = size;
  const drag = useRef<Drag | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const raf = useRef(0);
  const spectro = useMemo(() => spectroImage(p.spectro), [p.spectro]);
  const spectroRef = useRef(spectro);
  spectroRef.current = spectro;

  // Paint at most once per frame, from the latest props.
  const requestDraw = () => {
    if (raf.current) return;
    raf.current = requestAnimationFrame(() => {
      raf.current = 0;
      const c = canvas.current;
      const q = latest.current;
      const size = sizeRef.current;
      if (!c || !q.view || size.w === 0) return;
      const ctx = c.getContext("2d");
      if (!ctx) return;
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const segments = q.editor.getRegions().filter((r): r is SegmentRegion => r.kind === "segment");
      drawWaveform(ctx, {
        width: size.w, height: size.h, view: q.view, duration: q.duration, pyramid: q.pyramid, segments, selected: q.editor.selectedIds,
        colorOf: (l) => (l ? (q.editor.labelDef(l)?.color ?? "#94a3b8") : "#94a3b8"),
        preview: q.tool.preview, recording: q.tool.recordingFrom !== null, playhead: q.playhead, loop: q.loop,
        spectro: spectroRef.current, showSpectro: q.showSpectro,
      });
      c.dataset.painted = String(Number(c.dataset.painted ?? 0) + 1);
    });
  };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const w = Math.floor(el.clientWidth);
      const h = Math.floor(el.clientHeight);
      setSize((s) => (s.w === w && s.h === h ? s : { w, h }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.w * dpr);
    c.height = Math.round(size.h * dpr);
    p.onSize(size.w);
    requestDraw();
  }, [size.w, size.h]);

  useEffect(() => p.editor.subscribe(() => requestDraw()), [p.editor]);
  useEffect(() => {
    if (p.view) p.tool.setScale(p.view.pxPerSec);
    requestDraw();
  });
  useEffect(() => () => cancelAnimationFrame(raf.current), []);

  // Dragging a segment edge or a new segment past the side of the view scrolls it, faster the
  // further out the pointer is, so a segment can be longer than what fits on screen.
  const edge = useRef<{ x: number; raf: number } | null>(null);
  const stopEdgeScroll = () => {
    if (edge.current) cancelAnimationFrame(edge.current.raf);
    edge.current = null;
  };
  const edgeScroll = (x: number) => {
    const w = sizeRef.current.w;
    const margin = 24;
    const out = x < margin ? x - margin : x > w - margin ? x - (w - margin) : 0;
    if (out === 0) return stopEdgeScroll();
    if (edge.current) return void (edge.current.x = x);
    const step = () => {
      const q = latest.current;
      const e = edge.current;
      if (!e || !q.view || drag.current?.mode !== "tool") return stopEdgeScroll();
      const w2 = sizeRef.current.w;
      const over = e.x < margin ? e.x - margin : e.x > w2 - margin ? e.x - (w2 - margin) : 0;
      const next = clampView({ ...q.view, scroll: q.view.scroll + (Math.max(-60, Math.min(60, over)) * 0.5) / q.view.pxPerSec }, w2, q.duration);
      if (next !== q.view) {
        q.onView(next);
        q.tool.pointerMove(xToTime(next, Math.max(0, Math.min(w2, e.x))));
      }
      e.raf = requestAnimationFrame(step);
    };
    edge.current = { x, raf: requestAnimationFrame(step) };
  };
  useEffect(() => stopEdgeScroll, []);

  // Wheel: Ctrl/Cmd zooms about the pointer, otherwise scrolls. Non-passive to keep the page still.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      const q = latest.current;
      if (!q.view) return;
      e.preventDefault();
      const x = e.clientX - c.getBoundingClientRect().left;
      if (e.ctrlKey || e.metaKey) q.onView(zoomAt(q.view, Math.exp(-e.deltaY * 0.002), x, size.w, q.duration));
      else {
        const dx = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY;
        q.onView(clampView({ ...q.view, scroll: q.view.scroll + dx / q.view.pxPerSec }, size.w, q.duration));
      }
    };
    c.addEventListener("wheel", onWheel, { passive: false });
    return () => c.removeEventListener("wheel", onWheel);
  }, [size.w]);

  const local = (e: React.PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const timeAt = (x: number) => xToTime(p.view!, x);
  const overviewScroll = (x: number) => {
    const v = p.view!;
    const t = (x / size.w) * p.duration;
    p.onView(clampView({ ...v, scroll: t - size.w / v.pxPerSec / 2 }, size.w, p.duration));
  };

  function down(e: React.PointerEvent) {
    if (!p.view) return;
    const { x, y } = local(e);
    canvas.current!.setPointerCapture(e.pointerId);
    if (e.button === 1) {
      e.preventDefault();
      drag.current = { mode: "pan", x, scroll: p.view.scroll };
    } else if (e.button !== 0) return;
    else if (y >= size.h - OVERVIEW_H) {
      drag.current = { mode: "overview" };
      overviewScroll(x);
    } else if (y < RULER_H) {
      drag.current = { mode: "ruler" };
      p.onSeek(timeAt(x));
    } else if (p.readOnly) {
      drag.current = { mode: "view-only" };
      const hit = p.tool.hitAt(timeAt(x));
      if (hit) p.editor.select([hit.id]);
      else p.editor.clearSelection();
      p.onSeek(timeAt(x));
    } else {
      drag.current = { mode: "tool" };
      p.tool.pointerDown(timeAt(x), { shift: e.shiftKey });
    }
  }

  function move(e: React.PointerEvent) {
    if (!p.view) return;
    const { x, y } = local(e);
    const d = drag.current;
    const c = canvas.current!;
    if (!d) {
      // Cursor feedback: what a press here would do.
      if (y < RULER_H || y >= size.h - OVERVIEW_H) c.style.cursor = "pointer";
      else if (p.readOnly) c.style.cursor = "default";
      else {
        const hit = p.tool.hitAt(timeAt(x));
        c.style.cursor = hit ? (hit.part === "body" ? "grab" : "ew-resize") : "crosshair";
      }
      return;
    }
    if (d.mode === "tool") {
      // Past the sides the view scrolls instead (edgeScroll), so times stay on screen.
      p.tool.pointerMove(timeAt(Math.max(0, Math.min(size.w, x))));
      if (p.tool.state === "creating" || p.tool.state === "moving" || p.tool.state === "resizing") edgeScroll(x);
    }
    else if (d.mode === "ruler") p.onSeek(timeAt(x));
    else if (d.mode === "overview") overviewScroll(x);
    else if (d.mode === "pan") p.onView(clampView({ ...p.view, scroll: d.scroll - (x - d.x) / p.view.pxPerSec }, size.w, p.duration));
  }

  function up(e: React.PointerEvent) {
    const d = drag.current;
    drag.current = null;
    stopEdgeScroll();
    if (d?.mode === "tool" && p.view) p.tool.pointerUp(xToTime(latest.current.view ?? p.view, Math.max(0, Math.min(size.w, local(e).x))));
  }

  return (
    <div ref={box} className={p.className}>
      <canvas
        ref={canvas}
        data-testid="waveform"
        aria-label="Waveform: drag to create a segment, drag a segment to move it, drag its edges to resize, click to seek"
        style={{ width: size.w, height: size.h, display: "block", touchAction: "none" }}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={() => {
          drag.current = null;
          stopEdgeScroll();
          p.tool.cancel();
        }}
        onContextMenu={(e) => e.preventDefault()}
      />
    </div>
  );
}

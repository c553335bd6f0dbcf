// Time <-> pixel mapping for a horizontally scrolling waveform. A view is the time at the left
// edge and the zoom (pixels per second); every function is pure so the canvas, the tools and the
// tests agree on where a second is.
export interface TimelineView {
  /** Seconds at the left edge of the viewport. */
  scroll: number;
  /** Zoom: screen pixels per second. */
  pxPerSec: number;
}

/** Zoom limits: the whole hour on ~360 px at one end, single samples of 16 kHz audio at the other. */
export const MIN_PX_PER_SEC = 0.1;
export const MAX_PX_PER_SEC = 20_000;

export const timeToX = (v: TimelineView, t: number): number => (t - v.scroll) * v.pxPerSec;
export const xToTime = (v: TimelineView, x: number): number => v.scroll + x / v.pxPerSec;
/** Seconds spanned by `px` screen pixels at this zoom (tolerances, drag thresholds). */
export const pxToSec = (v: TimelineView, px: number): number => px / v.pxPerSec;
export const visibleSeconds = (v: TimelineView, width: number): number => width / v.pxPerSec;

/** Keep the scroll inside [0, duration - visible] (0 if everything fits). */
export function clampView(v: TimelineView, width: number, duration: number): TimelineView {
  const fit = width / Math.max(duration, 1e-3);
  const pxPerSec = Math.min(MAX_PX_PER_SEC, Math.max(Math.min(MIN_PX_PER_SEC, fit), v.pxPerSec));
  const maxScroll = Math.max(0, duration - width / pxPerSec);
  const scroll = Math.min(maxScroll, Math.max(0, v.scroll));
  return scroll === v.scroll && pxPerSec === v.pxPerSec ? v : { scroll, pxPerSec };
}

/** The whole duration in `width` pixels. */
export function fitView(width: number, duration: number): TimelineView {
  return { scroll: 0, pxPerSec: Math.min(MAX_PX_PER_SEC, Math.max(MIN_PX_PER_SEC, width / Math.max(duration, 1e-3))) };
}

/**
 * The view a file opens with: all of it when it is short, else the first `window` seconds, so
 * a long recording opens at a zoom where speech is readable (and its peaks arrive first).
 */
export function initialView(width: number, duration: number, window = 60, fitUpTo = 300): TimelineView {
  return duration <= fitUpTo ? fitView(width, duration) : clampView({ scroll: 0, pxPerSec: width / window }, width, duration);
}

/** Zoom by `factor` keeping the time under screen x where it is (wheel and +/- zoom). */
export function zoomAt(v: TimelineView, factor: number, x: number, width: number, duration: number): TimelineView {
  const t = xToTime(v, x);
  // Never further out than the whole file on the width.
  const pxPerSec = Math.min(MAX_PX_PER_SEC, Math.max(width / Math.max(duration, 1e-3), v.pxPerSec * factor));
  return clampView({ pxPerSec, scroll: t - x / pxPerSec }, width, duration);
}

/** Scroll so t is visible, with a margin; returns v itself when it already is (follow playhead). */
export function revealTime(v: TimelineView, t: number, width: number, duration: number, margin = 0.1): TimelineView {
  const vis = visibleSeconds(v, width);
  if (t >= v.scroll + vis * margin && t <= v.scroll + vis * (1 - margin)) return v;
  return clampView({ ...v, scroll: t - vis * margin }, width, duration);
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Ruler ticks: a step giving at least minPx between labels, and the tick times in view. */
export function rulerTicks(v: TimelineView, width: number, minPx = 70): { step: number; ticks: number[] } {
  const step = STEPS.find((s) => s * v.pxPerSec >= minPx) ?? 3600;
  const first = Math.ceil(v.scroll / step) * step;
  const ticks: number[] = [];
  for (let t = first; t <= v.scroll + width / v.pxPerSec && ticks.length < 500; t += step) ticks.push(+t.toFixed(6));
  return { step, ticks };
}

/** "1:02:03.5", "2:03.25", "0:04.125": precision follows the ruler step. */
export function formatTime(t: number, step = 1): string {
  const decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
  const sign = t < 0 ? "-" : "";
  const q = 10 ** decimals;
  const a = Math.round(Math.abs(t) * q) / q; // round first, so 59.96 s reads 1:00.0, not 0:60.0
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  const [int, frac] = s.toFixed(decimals).split(".");
  const sec = int!.padStart(2, "0") + (frac ? "." + frac : "");
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, "0")}:${sec}` : `${sign}${m}:${sec}`;
}

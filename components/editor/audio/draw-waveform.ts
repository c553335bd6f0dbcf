// Paints the waveform canvas: time ruler, peaks, segments as coloured bands with their label
// and transcription, the drag/record preview, the playhead, and an overview strip of the whole
// file with the viewport marked. Pure drawing over plain data, so the component stays small.
import type { PeakPyramid } from "@/lib/annotation/audio/peaks";
import type { Interval, SegmentRegion } from "@/lib/annotation/regions/segment";
import { formatTime, rulerTicks, timeToX, type TimelineView } from "@/lib/annotation/audio/timeline";

/** Suggestions (predictions not yet accepted). */
const PREDICTION = "#8b5cf6";

export const RULER_H = 24;
export const OVERVIEW_H = 36;

export interface DrawInput {
  width: number;
  height: number;
  view: TimelineView;
  duration: number;
  pyramid: PeakPyramid | null;
  segments: readonly SegmentRegion[];
  selected: ReadonlySet<string>;
  colorOf(label: string | undefined): string;
  preview: Interval | null;
  recording: boolean;
  playhead: number;
  loop: Interval | null;
  /** Spectrogram lane (lower half of the waveform area) when on: an image of [t0, t1], or why not. */
  spectro: { image: CanvasImageSource; t0: number; t1: number } | { reason: string } | null;
  showSpectro: boolean;
}

const BG = "#1e293b";
const WAVE = "#94a3b8";
const WAVE_PLAYED = "#a5b4fc";

export function drawWaveform(ctx: CanvasRenderingContext2D, d: DrawInput): void {
  const { width: W, height: H, view } = d;
  const top = RULER_H;
  const bottom = H - OVERVIEW_H;
  const split = d.showSpectro ? Math.round(top + (bottom - top) * 0.5) : bottom;
  const mid = (top + split) / 2;
  const amp = (split - top) / 2 - 4;
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = BG;
  ctx.fillRect(0, 0, W, H);

  // Outside the media (zoomed out past the end): darker.
  const endX = timeToX(view, d.duration);
  if (d.duration > 0 && endX < W) {
    ctx.fillStyle = "#0f172a";
    ctx.fillRect(Math.max(0, endX), top, W - endX, bottom - top);
  }

  // Ruler.
  ctx.fillStyle = "#0f172a";
  ctx.fillRect(0, 0, W, top);
  const { step, ticks } = rulerTicks(view, W);
  ctx.font = "11px ui-sans-serif, system-ui, sans-serif";
  ctx.textBaseline = "middle";
  for (const t of ticks) {
    const x = Math.round(timeToX(view, t)) + 0.5;
    ctx.strokeStyle = "#475569";
    ctx.beginPath();
    ctx.moveTo(x, top - 7);
    ctx.lineTo(x, top);
    ctx.stroke();
    ctx.strokeStyle = "rgba(148,163,184,0.08)";
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.fillStyle = "#cbd5e1";
    ctx.fillText(formatTime(t, step), x + 3, top / 2 - 2);
  }

  // Loop interval.
  if (d.loop) {
    const x0 = timeToX(view, d.loop.start);
    const x1 = timeToX(view, d.loop.end);
    ctx.fillStyle = "rgba(250,204,21,0.5)";
    ctx.fillRect(x0, top - 3, x1 - x0, 3);
  }

  // Segment bands under the waveform.
  const order = [...d.segments].sort((a, b) => Number(d.selected.has(a.id)) - Number(d.selected.has(b.id)));
  for (const s of order) {
    if (s.hidden) continue;
    const x0 = timeToX(view, s.start);
    const x1 = timeToX(view, s.end);
    if (x1 < 0 || x0 > W) continue;
    const c = s.origin === "prediction" ? PREDICTION : d.colorOf(s.label ?? s.labels?.[0]);
    const sel = d.selected.has(s.id);
    ctx.globalAlpha = s.origin === "prediction" ? (sel ? 0.3 : 0.14) : sel ? 0.35 : 0.2;
    ctx.fillStyle = c;
    ctx.fillRect(x0, top, x1 - x0, bottom - top);
    ctx.globalAlpha = 1;
  }

  if (d.showSpectro) drawSpectro(ctx, d, split, bottom);

  // Peaks, one column per pixel; unknown columns (still computing) show a faint dotted line.
  const playX = timeToX(view, d.playhead);
  if (d.pyramid) {
    const cols = d.pyramid.columns(view.scroll, 1 / view.pxPerSec, W);
    for (let x = 0; x < W; x++) {
      const mn = cols.min[x]!;
      const mx = cols.max[x]!;
      if (Number.isNaN(mn)) {
        if (x % 4 === 0 && x < endX) {
          ctx.fillStyle = "#334155";
          ctx.fillRect(x, mid, 2, 1);
        }
        continue;
      }
      ctx.fillStyle = x < playX ? WAVE_PLAYED : WAVE;
      const y0 = mid - mx * amp;
      const y1 = mid - mn * amp;
      ctx.fillRect(x, y0, 1, Math.max(1, y1 - y0));
    }
  }

  // Segment outlines, handles and labels above the waveform.
  for (const s of order) {
    if (s.hidden) continue;
    const x0 = timeToX(view, s.start);
    const x1 = timeToX(view, s.end);
    if (x1 < 0 || x0 > W) continue;
    // Suggestions (origin "prediction") are violet and dashed until accepted, like the text editor's.
    const predicted = s.origin === "prediction";
    const c = predicted ? PREDICTION : d.colorOf(s.label ?? s.labels?.[0]);
    const sel = d.selected.has(s.id);
    ctx.strokeStyle = sel ? "#ffffff" : c;
    ctx.lineWidth = sel ? 2 : predicted ? 1.5 : 1;
    if (predicted) ctx.setLineDash([6, 4]);
    ctx.strokeRect(x0 + 0.5, top + 0.5, Math.max(1, x1 - x0 - 1), bottom - top - 1);
    ctx.setLineDash([]);
    if (sel && !s.locked) {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(x0 - 2, mid - 14, 4, 28);
      ctx.fillRect(x1 - 2, mid - 14, 4, 28);
    }
    ctx.lineWidth = 1;
    const name = s.label ?? s.labels?.join(", ") ?? "no label";
    const base = predicted ? `✦ ${name}${s.score !== undefined ? ` ${s.score.toFixed(2)}` : ""}` : name;
    const text = s.text ? `${base} · ${s.text}` : base;
    const lx = Math.max(x0, 0) + 4;
    const room = Math.min(x1, W) - lx - 4;
    if (room > 12) {
      ctx.fillStyle = c;
      ctx.globalAlpha = 0.9;
      ctx.fillRect(Math.max(x0, 0), top, Math.min(x1, W) - Math.max(x0, 0), 16);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#ffffff";
      ctx.save();
      ctx.beginPath();
      ctx.rect(lx, top, room, 16);
      ctx.clip();
      ctx.fillText(text + (s.locked ? " 🔒" : ""), lx, top + 8);
      ctx.restore();
    }
  }

  // Drag or Enter-recording preview.
  if (d.preview) {
    const x0 = timeToX(view, d.preview.start);
    const x1 = timeToX(view, d.preview.end);
    ctx.fillStyle = d.recording ? "rgba(244,63,94,0.25)" : "rgba(255,255,255,0.15)";
    ctx.fillRect(x0, top, Math.max(1, x1 - x0), bottom - top);
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = d.recording ? "#f43f5e" : "#ffffff";
    ctx.strokeRect(x0 + 0.5, top + 0.5, Math.max(1, x1 - x0 - 1), bottom - top - 1);
    ctx.setLineDash([]);
  }

  // Playhead.
  if (playX >= 0 && playX <= W) {
    ctx.fillStyle = "#f43f5e";
    ctx.fillRect(Math.round(playX) - 1, 0, 2, bottom);
  }

  drawOverview(ctx, d, bottom);
}

function drawSpectro(ctx: CanvasRenderingContext2D, d: DrawInput, y0: number, y1: number): void {
  const { width: W, view } = d;
  ctx.fillStyle = "#000004";
  ctx.fillRect(0, y0, W, y1 - y0);
  const s = d.spectro;
  if (s && "image" in s) {
    const x0 = timeToX(view, s.t0);
    const x1 = timeToX(view, s.t1);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(s.image, x0, y0, x1 - x0, y1 - y0);
  } else {
    ctx.fillStyle = "#94a3b8";
    ctx.textAlign = "center";
    ctx.fillText(s ? s.reason : "Computing the spectrogram…", W / 2, (y0 + y1) / 2);
    ctx.textAlign = "start";
  }
  ctx.fillStyle = "#475569";
  ctx.fillRect(0, y0, W, 1);
}

/** A magma-like colour map, 256 RGB triples. */
export const SPECTRO_COLORS: Uint8Array = (() => {
  const stops: Array<[number, number, number, number]> = [
    [0, 0, 0, 4],
    [64, 59, 15, 112],
    [128, 140, 41, 129],
    [192, 222, 73, 104],
    [255, 252, 253, 191],
  ];
  const out = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    const i = Math.min(stops.length - 2, Math.floor(v / 64));
    const [a, r0, g0, b0] = stops[i]!;
    const [b, r1, g1, b1] = stops[i + 1]!;
    const t = (v - a) / (b - a);
    out[v * 3] = r0 + (r1 - r0) * t;
    out[v * 3 + 1] = g0 + (g1 - g0) * t;
    out[v * 3 + 2] = b0 + (b1 - b0) * t;
  }
  return out;
})();

function drawOverview(ctx: CanvasRenderingContext2D, d: DrawInput, y: number): void {
  const { width: W, view } = d;
  const h = OVERVIEW_H;
  ctx.fillStyle = "#0f172a";
  ctx.fillRect(0, y, W, h);
  if (!(d.duration > 0)) return;
  const ov: TimelineView = { scroll: 0, pxPerSec: W / d.duration };
  const mid = y + h / 2 + 3;
  const amp = h / 2 - 6;
  if (d.pyramid) {
    const cols = d.pyramid.columns(0, 1 / ov.pxPerSec, W);
    ctx.fillStyle = "#475569";
    for (let x = 0; x < W; x++) {
      const mn = cols.min[x]!;
      if (Number.isNaN(mn)) continue;
      const y0 = mid - cols.max[x]! * amp;
      ctx.fillRect(x, y0, 1, Math.max(1, mid - mn * amp - y0));
    }
  }
  for (const s of d.segments) {
    ctx.fillStyle = d.colorOf(s.label ?? s.labels?.[0]);
    const x0 = timeToX(ov, s.start);
    ctx.fillRect(x0, y + 2, Math.max(2, timeToX(ov, s.end) - x0), 4);
  }
  const vx = timeToX(ov, view.scroll);
  const vw = Math.max(3, (W / view.pxPerSec) * ov.pxPerSec);
  ctx.fillStyle = "rgba(165,180,252,0.15)";
  ctx.fillRect(vx, y, vw, h);
  ctx.strokeStyle = "#a5b4fc";
  ctx.strokeRect(vx + 0.5, y + 0.5, vw - 1, h - 1);
  ctx.fillStyle = "#f43f5e";
  ctx.fillRect(Math.round(timeToX(ov, d.playhead)), y, 1, h);
}

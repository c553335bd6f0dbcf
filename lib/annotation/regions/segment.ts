// Audio/video time segments: schema and the pure geometry the audio editor, its tools and the
// server share. Times are seconds. Policy (docs/adr/0006-audio-editor.md): zero-length segments
// are refused everywhere (schema: end > start); overlapping segments are allowed everywhere
// (people talk over each other); a segment must lie inside [0, duration] when the duration is
// known, with SEGMENT_EPSILON of float slack, and the editor clamps moves/resizes to it.
import { z } from "zod";
import { regionBase } from "./common";

/** Audio/video time segment in seconds, with an optional transcription. */
export const segmentRegion = z
  .object({
    ...regionBase,
    kind: z.literal("segment"),
    start: z.number().finite().min(0),
    end: z.number().finite().min(0),
    text: z.string().max(100_000).optional(),
  })
  .refine((s) => s.end > s.start, { message: "end must be after start", path: ["end"] });

export type SegmentRegion = z.output<typeof segmentRegion>;
export interface Interval {
  start: number;
  end: number;
}

/** Seconds of slack when checking a segment against the media duration (float noise). */
export const SEGMENT_EPSILON = 0.01;
/** The shortest segment the editor's tools create or resize to (seconds). */
export const MIN_SEGMENT = 0.05;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Why a segment does not fit a media of `duration` seconds (0 = unknown: anything fits), or null. */
export function segmentExtentIssue(s: Interval, duration: number): { field: "start" | "end"; message: string } | null {
  if (!(s.end > s.start)) return { field: "end", message: "end must be after start" };
  if (s.start < 0) return { field: "start", message: "start must not be negative" };
  if (duration > 0 && s.end > duration + SEGMENT_EPSILON) {
    return { field: "end", message: `the segment ends after the media (${duration.toFixed(3)} s)` };
  }
  return null;
}

/** Normalise a dragged-out interval (either direction) into [0, duration]. */
export function normaliseInterval(a: number, b: number, duration: number): Interval {
  const hi = duration > 0 ? duration : Infinity;
  return { start: clamp(Math.min(a, b), 0, hi), end: clamp(Math.max(a, b), 0, hi) };
}

/** Move by dt keeping the length, stopping at 0 and at the duration. */
export function moveInterval<T extends Interval>(s: T, dt: number, duration: number): T {
  const len = s.end - s.start;
  const hi = duration > 0 ? Math.max(0, duration - len) : Infinity;
  const start = clamp(s.start + dt, 0, hi);
  return start === s.start ? s : { ...s, start, end: start + len };
}

/**
 * Drag one edge to time t. The edge stops at the media bounds and `min` seconds short of the
 * other edge (edges never cross: a resize that flipped the segment would surprise).
 */
export function resizeInterval<T extends Interval>(s: T, edge: "start" | "end", t: number, duration: number, min = MIN_SEGMENT): T {
  const hi = duration > 0 ? duration : Infinity;
  if (edge === "start") {
    const start = clamp(t, 0, Math.max(0, s.end - min));
    return start === s.start ? s : { ...s, start };
  }
  const end = clamp(t, Math.min(hi, s.start + min), hi);
  return end === s.end ? s : { ...s, end };
}

/** Clamp into [0, duration], or null if nothing of it is left (or it would be shorter than min). */
export function clampInterval<T extends Interval>(s: T, duration: number, min = 0): T | null {
  const hi = duration > 0 ? duration : Infinity;
  const start = clamp(s.start, 0, hi);
  const end = clamp(s.end, 0, hi);
  if (end - start <= min) return null;
  return start === s.start && end === s.end ? s : { ...s, start, end };
}

export type SegmentPart = "start" | "end" | "body";
export interface SegmentHit {
  id: string;
  part: SegmentPart;
}

/**
 * What is at time t, `tol` seconds of tolerance for edges. Edges of the preferred ids (the
 * selection) win, then edges of any segment, then the body of the latest (topmost) segment, so a
 * short segment inside a long one stays reachable. Hidden and locked segments are skipped.
 */
export function hitTestSegments(
  segments: ReadonlyArray<Interval & { id: string; hidden?: boolean; locked?: boolean }>,
  t: number,
  tol: number,
  preferred: ReadonlySet<string> = new Set(),
): SegmentHit | null {
  let edge: (SegmentHit & { d: number; pref: boolean }) | null = null;
  let body: SegmentHit | null = null;
  let bodyLen = Infinity;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if (s.hidden || s.locked) continue;
    const pref = preferred.has(s.id);
    for (const part of ["start", "end"] as const) {
      const d = Math.abs(t - s[part]);
      if (d > tol) continue;
      if (!edge || (pref && !edge.pref) || (pref === edge.pref && d < edge.d)) edge = { id: s.id, part, d, pref };
    }
    // The shortest segment under the pointer is the one a click most likely means.
    if (t >= s.start && t <= s.end && s.end - s.start < bodyLen) {
      body = { id: s.id, part: "body" };
      bodyLen = s.end - s.start;
    }
  }
  return edge ? { id: edge.id, part: edge.part } : body;
}

/** Segments covering time t (playback highlights, "which utterance is this"). */
export function segmentsAt<T extends Interval>(segments: readonly T[], t: number): T[] {
  return segments.filter((s) => t >= s.start && t < s.end);
}

/** Pairs of overlapping segments (allowed; the list shows them so overlaps are deliberate). */
export function overlaps<T extends Interval & { id: string }>(segments: readonly T[]): Array<[string, string]> {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.start < sorted[i]!.end; j++) out.push([sorted[i]!.id, sorted[j]!.id]);
  }
  return out;
}

import { describe, it, expect } from "vitest";
import {
  MIN_SEGMENT, clampInterval, hitTestSegments, moveInterval, normaliseInterval, overlaps, resizeInterval, segmentExtentIssue, segmentsAt,
} from "@/lib/annotation/regions/segment";
import { clampView, fitView, formatTime, initialView, pxToSec, revealTime, rulerTicks, timeToX, xToTime, zoomAt } from "@/lib/annotation/audio/timeline";

describe("segment geometry", () => {
  it("normalises a drag in either direction and clamps it to [0, duration]", () => {
    expect(normaliseInterval(5, 2, 10)).toEqual({ start: 2, end: 5 });
    expect(normaliseInterval(-1, 12, 10)).toEqual({ start: 0, end: 10 });
    expect(normaliseInterval(3, 50, 0)).toEqual({ start: 3, end: 50 }); // unknown duration: no upper bound
  });

  it("moves keeping the length and stops at both ends", () => {
    const s = { id: "a", start: 2, end: 4, text: "hi" };
    expect(moveInterval(s, 1.5, 10)).toEqual({ id: "a", start: 3.5, end: 5.5, text: "hi" });
    expect(moveInterval(s, -5, 10)).toMatchObject({ start: 0, end: 2 });
    expect(moveInterval(s, 50, 10)).toMatchObject({ start: 8, end: 10 });
    expect(moveInterval({ start: 0, end: 2 }, -1, 10)).toEqual({ start: 0, end: 2 });
  });

  it("resizes one edge, never past the other edge (min length) or the media", () => {
    const s = { start: 2, end: 4 };
    expect(resizeInterval(s, "start", 1, 10)).toEqual({ start: 1, end: 4 });
    expect(resizeInterval(s, "start", 9, 10)).toEqual({ start: 4 - MIN_SEGMENT, end: 4 });
    expect(resizeInterval(s, "start", -3, 10)).toEqual({ start: 0, end: 4 });
    expect(resizeInterval(s, "end", 12, 10)).toEqual({ start: 2, end: 10 });
    expect(resizeInterval(s, "end", 0, 10)).toEqual({ start: 2, end: 2 + MIN_SEGMENT });
  });

  it("clamps into the media, or drops what lies wholly outside", () => {
    expect(clampInterval({ start: 8, end: 12 }, 10)).toEqual({ start: 8, end: 10 });
    expect(clampInterval({ start: 11, end: 12 }, 10)).toBeNull();
    expect(clampInterval({ start: 9.99, end: 12 }, 10, 0.05)).toBeNull();
  });

  it("refuses zero length, negative start and ends past the duration (with float slack)", () => {
    expect(segmentExtentIssue({ start: 1, end: 1 }, 10)).toMatchObject({ field: "end" });
    expect(segmentExtentIssue({ start: -1, end: 1 }, 10)).toMatchObject({ field: "start" });
    expect(segmentExtentIssue({ start: 1, end: 10.5 }, 10)).toMatchObject({ field: "end" });
    expect(segmentExtentIssue({ start: 1, end: 10.005 }, 10)).toBeNull();
    expect(segmentExtentIssue({ start: 1, end: 1e6 }, 0)).toBeNull();
  });

  it("hit-tests edges before bodies, the selection's edges first, the shortest body inside a longer one", () => {
    const segs = [
      { id: "long", start: 0, end: 10 },
      { id: "short", start: 4, end: 5 },
      { id: "hidden", start: 6, end: 7, hidden: true },
    ];
    expect(hitTestSegments(segs, 4.5, 0.1)).toEqual({ id: "short", part: "body" });
    expect(hitTestSegments(segs, 2, 0.1)).toEqual({ id: "long", part: "body" });
    expect(hitTestSegments(segs, 4.05, 0.1)).toEqual({ id: "short", part: "start" });
    expect(hitTestSegments(segs, 9.95, 0.1)).toEqual({ id: "long", part: "end" });
    expect(hitTestSegments(segs, 6.5, 0.1)).toEqual({ id: "long", part: "body" }); // hidden is skipped
    expect(hitTestSegments(segs, 11, 0.1)).toBeNull();
    const touching = [
      { id: "a", start: 1, end: 2 },
      { id: "b", start: 2, end: 3 },
    ];
    expect(hitTestSegments(touching, 2, 0.1, new Set(["a"]))).toEqual({ id: "a", part: "end" });
    expect(hitTestSegments(touching, 2, 0.1, new Set(["b"]))).toEqual({ id: "b", part: "start" });
  });

  it("finds segments at a time and lists overlaps (overlaps are allowed)", () => {
    const segs = [
      { id: "a", start: 0, end: 3 },
      { id: "b", start: 2, end: 4 },
      { id: "c", start: 4, end: 5 },
    ];
    expect(segmentsAt(segs, 2.5).map((s) => s.id)).toEqual(["a", "b"]);
    expect(segmentsAt(segs, 4).map((s) => s.id)).toEqual(["c"]);
    expect(overlaps(segs)).toEqual([["a", "b"]]);
  });
});

describe("timeline mapping", () => {
  const v = { scroll: 10, pxPerSec: 50 };
  it("maps time to x and back at a zoom", () => {
    expect(timeToX(v, 12)).toBe(100);
    expect(xToTime(v, 100)).toBe(12);
    expect(pxToSec(v, 6)).toBeCloseTo(0.12);
  });

  it("fits, opens long files on a readable window, clamps scroll", () => {
    expect(fitView(1000, 20)).toEqual({ scroll: 0, pxPerSec: 50 });
    expect(initialView(1200, 3600)).toEqual({ scroll: 0, pxPerSec: 20 }); // first minute
    expect(initialView(1000, 20)).toEqual({ scroll: 0, pxPerSec: 50 });
    expect(clampView({ scroll: 90, pxPerSec: 10 }, 500, 100)).toEqual({ scroll: 50, pxPerSec: 10 });
    expect(clampView({ scroll: -5, pxPerSec: 10 }, 500, 100)).toEqual({ scroll: 0, pxPerSec: 10 });
  });

  it("zooms about the pointer and never further out than the whole file", () => {
    const z = zoomAt({ scroll: 0, pxPerSec: 10 }, 2, 200, 1000, 1000);
    expect(xToTime(z, 200)).toBeCloseTo(20);
    expect(z.pxPerSec).toBe(20);
    const out = zoomAt({ scroll: 0, pxPerSec: 10 }, 0.0001, 0, 1000, 100);
    expect(out.pxPerSec).toBeCloseTo(10); // 100 s on 1000 px is the whole file
  });

  it("reveals the playhead by scrolling only when it leaves the view", () => {
    const w = { scroll: 0, pxPerSec: 10 };
    expect(revealTime(w, 50, 1000, 600)).toBe(w);
    expect(revealTime(w, 150, 1000, 600).scroll).toBeCloseTo(140);
  });

  it("ruler ticks keep labels apart and format times", () => {
    const { step, ticks } = rulerTicks({ scroll: 0, pxPerSec: 10 }, 1000);
    expect(step).toBe(10);
    expect(ticks.slice(0, 3)).toEqual([0, 10, 20]);
    expect(formatTime(3723.5, 0.1)).toBe("1:02:03.5");
    expect(formatTime(59.96, 0.1)).toBe("1:00.0");
    expect(formatTime(4.125, 0.001)).toBe("0:04.125");
  });
});

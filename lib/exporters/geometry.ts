// Region -> outline/box conversions shared by the image formats (natural-image pixels).
import type { Region } from "../annotation/regions";
import { boundsOfPoints, polygonArea, type Bounds } from "../annotation/geometry";
import { decodeRle, rleBounds, rleForegroundCount } from "../annotation/regions/rle";
import { ellipsePolygon, rectCorners } from "./common";

/** The closed outline of an area region (rect corners, polygon, ellipse approximation); null otherwise. */
export function outlineOf(r: Region, ellipsePoints = 32): Array<[number, number]> | null {
  switch (r.kind) {
    case "rect": return rectCorners(r);
    case "polygon": return r.points.map(([x, y]): [number, number] => [x, y]);
    case "ellipse": return ellipsePolygon(r, ellipsePoints);
    default: return null;
  }
}

/** Axis-aligned bounds of an image region (keypoints: labelled points only); null when empty or not an image kind. */
export function boundsOf(r: Region): Bounds | null {
  switch (r.kind) {
    case "rect": case "polygon": case "ellipse": return boundsOfPoints(outlineOf(r, 64)!);
    case "polyline": return boundsOfPoints(r.points);
    case "keypoints": {
      const vis = r.points.filter((p) => p[2] > 0);
      return vis.length > 0 ? boundsOfPoints(vis) : null;
    }
    case "mask": return rleBounds(r.rle, r.width, r.height);
    default: return null;
  }
}

/** Area in square pixels: exact for rect, ellipse and mask, shoelace for polygons. */
export function areaOf(r: Region): number {
  switch (r.kind) {
    case "rect": return r.width * r.height;
    case "polygon": return Math.abs(polygonArea(r.points));
    case "ellipse": return Math.PI * r.rx * r.ry;
    case "mask": return rleForegroundCount(r.rle);
    default: return 0;
  }
}

/**
 * Loupe masks are row-major runs (background first); COCO's uncompressed RLE is column-major
 * (Fortran order, as pycocotools' masks are h x w arrays read down the columns), also starting
 * with background. Holes are just background runs, so they survive unchanged.
 */
export function toCocoRle(rle: readonly number[], width: number, height: number): { size: [number, number]; counts: number[] } {
  const bits = decodeRle(rle, width, height);
  const counts: number[] = [];
  let cur = 0, run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = bits[y * width + x]! ? 1 : 0;
      if (v !== cur) {
        counts.push(run);
        run = 0;
        cur = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** The inverse of toCocoRle (tests, and a future COCO importer). */
export function fromCocoRle(coco: { size: [number, number]; counts: readonly number[] }): { width: number; height: number; bits: Uint8Array } {
  const [height, width] = coco.size;
  const bits = new Uint8Array(width * height);
  let i = 0;
  coco.counts.forEach((c, k) => {
    for (let j = 0; j < c; j++, i++) if (k % 2 === 1) bits[(i % height) * width + Math.floor(i / height)] = 1;
  });
  return { width, height, bits };
}

/** Shoelace area with sign: positive for clockwise rings on screen (y down). */
function signedArea(pts: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) s += pts[j]![0] * pts[i]![1] - pts[i]![0] * pts[j]![1];
  return s / 2;
}

export interface Ring { points: Array<[number, number]>; hole: boolean }

/**
 * The outlines of a mask along pixel edges, in pixel-corner coordinates: outer rings clockwise on
 * screen, holes counter-clockwise (foreground always on the right of the walk). Pixels touching
 * only at a corner belong to separate rings (4-connectivity). Straight runs are merged, so a
 * w x h block is 4 points. Rings come in raster order of their first edge: deterministic.
 */
export function maskOutlines(rle: readonly number[], width: number, height: number): Ring[] {
  const bits = decodeRle(rle, width, height);
  const fg = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && bits[y * width + x] === 1;
  const W = width + 1;
  const from: number[] = [], to: number[] = [], dir: number[] = []; // dir: 0 E, 1 S, 2 W, 3 N
  const add = (x0: number, y0: number, x1: number, y1: number, d: number) => { from.push(y0 * W + x0); to.push(y1 * W + x1); dir.push(d); };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!fg(x, y)) continue;
      if (!fg(x, y - 1)) add(x, y, x + 1, y, 0);
      if (!fg(x + 1, y)) add(x + 1, y, x + 1, y + 1, 1);
      if (!fg(x, y + 1)) add(x + 1, y + 1, x, y + 1, 2);
      if (!fg(x - 1, y)) add(x, y + 1, x, y, 3);
    }
  }
  const out = new Map<number, number[]>();
  from.forEach((v, e) => { const l = out.get(v); if (l) l.push(e); else out.set(v, [e]); });
  const used = new Uint8Array(from.length);
  const rings: Ring[] = [];
  for (let start = 0; start < from.length; start++) {
    if (used[start]) continue;
    const walk: number[] = [];
    let e = start;
    for (;;) {
      used[e] = 1;
      walk.push(e);
      const next = out.get(to[e]!) ?? [];
      // At a corner shared by two diagonal pixels (two ways out), turn right: that keeps each
      // 4-connected piece on its own ring. The choice ignores "used", so the ring closes exactly.
      const d = dir[e]!;
      const n = next.find((c) => dir[c] === (d + 1) % 4) ?? next.find((c) => dir[c] === d) ?? next[0];
      if (n === undefined || used[n]) break;
      e = n;
    }
    const pts: Array<[number, number]> = [];
    walk.forEach((k, i) => {
      const prev = walk[(i - 1 + walk.length) % walk.length]!;
      if (dir[k] !== dir[prev]) pts.push([from[k]! % W, Math.floor(from[k]! / W)]);
    });
    rings.push({ points: pts, hole: signedArea(pts) < 0 });
  }
  return rings;
}

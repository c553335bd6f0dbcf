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

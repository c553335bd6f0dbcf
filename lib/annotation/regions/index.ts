// Registry: kind -> schema, and kind -> geometry util for the image kinds. One module per region kind.
import { z } from "zod";
import { rectRegion, rectUtil } from "./rect";
import { polygonRegion, polygonUtil } from "./polygon";
import { polylineRegion, polylineUtil } from "./polyline";
import { keypointsRegion, keypointsUtil } from "./keypoints";
import { ellipseRegion, ellipseUtil } from "./ellipse";
import { maskRegion, maskUtil } from "./mask";
import { spanRegion } from "./span";
import { segmentRegion } from "./segment";
import { trackRegion } from "./track";
import type { RegionUtil } from "./types";

export const regionSchemas = {
  rect: rectRegion,
  polygon: polygonRegion,
  polyline: polylineRegion,
  keypoints: keypointsRegion,
  ellipse: ellipseRegion,
  mask: maskRegion,
  span: spanRegion,
  segment: segmentRegion,
  track: trackRegion,
} as const;

export type RegionKindName = keyof typeof regionSchemas;
export type Region = z.output<(typeof regionSchemas)[RegionKindName]>;
export type { RegionUtil } from "./types";

/**
 * Geometry utils for the kinds drawn on an image. Text/audio/video kinds (span, segment, track)
 * have no image geometry and are deliberately absent: callers treat "no util" as "not on the canvas".
 */
export const regionUtils = {
  rect: rectUtil,
  polygon: polygonUtil,
  polyline: polylineUtil,
  keypoints: keypointsUtil,
  ellipse: ellipseUtil,
  mask: maskUtil,
} as const;

export type ImageRegionKindName = keyof typeof regionUtils;

/** The util for a kind, or undefined for kinds without image geometry (or unknown kinds). */
export function getRegionUtil(kind: string): RegionUtil<Region> | undefined {
  if (!Object.prototype.hasOwnProperty.call(regionUtils, kind)) return undefined;
  // Each util only ever sees regions of its own kind (callers dispatch on r.kind), so widening
  // the parameter type to the Region union is safe.
  return regionUtils[kind as ImageRegionKindName] as unknown as RegionUtil<Region>;
}

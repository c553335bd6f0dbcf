// Registry: kind -> schema. One module per region kind.
import { z } from "zod";
import { rectRegion } from "./rect";
import { polygonRegion } from "./polygon";
import { polylineRegion } from "./polyline";
import { keypointsRegion } from "./keypoints";
import { ellipseRegion } from "./ellipse";
import { maskRegion } from "./mask";
import { spanRegion } from "./span";
import { segmentRegion } from "./segment";
import { trackRegion } from "./track";

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

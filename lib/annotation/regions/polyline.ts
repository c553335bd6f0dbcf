import { z } from "zod";
import { point, regionBase } from "./common";

export const polylineRegion = z.object({
  ...regionBase,
  kind: z.literal("polyline"),
  points: z.array(point).min(2, "a polyline needs at least 2 points").max(100_000),
});

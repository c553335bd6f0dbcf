import { z } from "zod";
import { point, regionBase } from "./common";

export const polygonRegion = z.object({
  ...regionBase,
  kind: z.literal("polygon"),
  points: z.array(point).min(3, "a polygon needs at least 3 points").max(100_000),
});

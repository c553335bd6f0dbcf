import { z } from "zod";
import { coord, regionBase } from "./common";

/** Axis box in natural-image pixels, rotated (degrees, clockwise) about its top-left corner. */
export const rectRegion = z.object({
  ...regionBase,
  kind: z.literal("rect"),
  x: coord, y: coord,
  width: coord.positive(), height: coord.positive(),
  rotation: coord.default(0),
});

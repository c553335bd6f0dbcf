import { z } from "zod";
import { coord, regionBase } from "./common";

export const ellipseRegion = z.object({
  ...regionBase,
  kind: z.literal("ellipse"),
  cx: coord, cy: coord, rx: coord.positive(), ry: coord.positive(),
  rotation: coord.default(0),
});

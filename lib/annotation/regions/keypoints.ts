import { z } from "zod";
import { coord, regionBase } from "./common";

/** [x, y, visible] per skeleton point (visible: 0 absent, 1 occluded, 2 visible, as in COCO). */
export const keypointsRegion = z.object({
  ...regionBase,
  kind: z.literal("keypoints"),
  points: z.array(z.tuple([coord, coord, z.number().int().min(0).max(2)])).min(1).max(1000),
});

import { z } from "zod";
import { coord, regionBase } from "./common";

/** A video object track: box keyframes by frame index; frames between are interpolated. */
export const trackRegion = z.object({
  ...regionBase,
  kind: z.literal("track"),
  keyframes: z
    .array(
      z.object({
        frame: z.number().int().min(0),
        x: coord, y: coord, width: coord.positive(), height: coord.positive(),
        outside: z.boolean().optional(),
      }),
    )
    .min(1)
    .max(100_000),
});

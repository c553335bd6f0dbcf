import { z } from "zod";
import { regionBase } from "./common";

/** Row-major run lengths, alternating background/foreground, starting with background. */
export const maskRegion = z
  .object({
    ...regionBase,
    kind: z.literal("mask"),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    rle: z.array(z.number().int().min(0)).max(10_000_000),
  })
  .refine((m) => m.rle.reduce((a, b) => a + b, 0) === m.width * m.height, {
    message: "rle run lengths must add up to width*height",
    path: ["rle"],
  });

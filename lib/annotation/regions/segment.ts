import { z } from "zod";
import { regionBase } from "./common";

/** Audio/video time segment in seconds, with an optional transcription. */
export const segmentRegion = z
  .object({
    ...regionBase,
    kind: z.literal("segment"),
    start: z.number().finite().min(0),
    end: z.number().finite().min(0),
    text: z.string().max(100_000).optional(),
  })
  .refine((s) => s.end > s.start, { message: "end must be after start", path: ["end"] });

import { z } from "zod";
import { regionBase } from "./common";

/** Text span in Unicode code points: text[start:end] as in Python. */
export const spanRegion = z
  .object({
    ...regionBase,
    kind: z.literal("span"),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    text: z.string().optional(),
  })
  .refine((s) => s.end > s.start, { message: "end must be after start", path: ["end"] });

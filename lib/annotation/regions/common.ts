import { z } from "zod";

export const coord = z.number().finite();
export const point = z.tuple([coord, coord]);

/** Fields every region has, whatever its kind. */
export const regionBase = {
  id: z.string().min(1).max(100),
  label: z.string().min(1).max(100).optional(),
  labels: z.array(z.string().min(1).max(100)).min(1).max(50).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  origin: z.enum(["manual", "prediction"]).optional(),
  model: z.string().max(200).optional(),
  score: z.number().min(0).max(1).optional(),
  hidden: z.boolean().optional(),
  locked: z.boolean().optional(),
};

// zod parsing that fails with an ApiError naming the first bad field.
import { z } from "zod";
import { invalid, fieldPath } from "./server/errors";

export function parseOr422<T extends z.ZodType>(schema: T, value: unknown, prefix = ""): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [prefix, fieldPath(issue.path)].filter(Boolean).join(".");
  throw invalid(field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

/** Positive integer id from a URL segment; 404 (not 400) so ids cannot be probed by shape. */
export const idParam = z.coerce.number().int().positive();

/** Names shown to people: no control characters, no path tricks. */
export const safeName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

import { expect } from "vitest";
import { ApiError } from "@/lib/server/errors";

/** The ApiError that fn throws; fails the test if it throws anything else or nothing. */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error("expected an ApiError");
}

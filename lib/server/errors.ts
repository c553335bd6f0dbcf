// The one error type a user's bad input may raise. Route handlers turn it into
// {"error": {"code", "message", "field"?}} with its status; anything else is a bug (500).
export class ApiError extends Error {
  constructor(
    public readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429,
    public readonly code: string,
    message: string,
    public readonly field?: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, field?: string, code = "bad_request") =>
  new ApiError(400, code, message, field);
export const unauthorized = (message = "Sign in or send an API token.") =>
  new ApiError(401, "unauthorized", message);
export const forbidden = (message = "You do not have permission to do that.") =>
  new ApiError(403, "forbidden", message);
export const notFound = (what = "Resource") => new ApiError(404, "not_found", `${what} not found.`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new ApiError(409, "conflict", message, undefined, details);
export const tooLarge = (message: string, field?: string) =>
  new ApiError(413, "too_large", message, field);
export const invalid = (message: string, field?: string, code = "invalid") =>
  new ApiError(422, code, message, field);

/** "regions.3.points" from a zod issue path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => String(p)).join(".");
}

// The thin shell every REST handler runs in: authenticate, refuse cross-site cookie writes,
// turn ApiError (and malformed JSON) into {"error": {...}} with a 4xx, never leak a 500 body.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { ApiError, unauthorized, forbidden, badRequest, tooLarge, notFound } from "../server/errors";
import { actorFromRequest, type Actor } from "../auth/actor";
import { parseOr422, idParam } from "../validation";

type Params = Record<string, string | string[]>;
export interface Ctx<P extends Params> {
  req: NextRequest;
  params: P;
  actor: Actor;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function errorResponse(e: ApiError): NextResponse {
  const body: { error: Record<string, unknown> } = { error: { code: e.code, message: e.message } };
  if (e.field) body.error.field = e.field;
  if (e.details) Object.assign(body.error, e.details);
  return NextResponse.json(body, { status: e.status });
}

/** Browsers send Origin on cross-origin POSTs; a cookie-authenticated write must come from our own pages. */
function checkSameOrigin(req: NextRequest): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new ApiError(403, "csrf", "Cross-site request refused.");
  }
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") || req.headers.get("host");
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new ApiError(403, "csrf", "Cross-site request refused.");
    }
    if (originHost !== host) throw new ApiError(403, "csrf", "Cross-site request refused.");
  }
}

export function api<P extends Params = Params>(
  fn: (ctx: Ctx<P>) => Promise<unknown> | unknown,
  opts: { public?: boolean } = {},
) {
  return async (req: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = (await route.params) ?? ({} as P);
      const actor = await actorFromRequest(req);
      if (!actor && !opts.public) throw unauthorized();
      if (actor && MUTATING.has(req.method)) {
        if (actor.via === "session") checkSameOrigin(req);
        if (actor.readOnly) throw forbidden("This API token is read-only.");
      }
      const out = await fn({ req, params, actor: actor as Actor });
      if (out instanceof Response) return out;
      if (out === undefined) return new Response(null, { status: 204 });
      return NextResponse.json(out, { status: req.method === "POST" ? 201 : 200 });
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e);
      console.error(`[loupe] ${req.method} ${req.nextUrl.pathname} failed:`, e);
      return NextResponse.json({ error: { code: "internal", message: "Internal error; it has been logged." } }, { status: 500 });
    }
  };
}

/** Parse a JSON body: 400 for malformed JSON, 413 over the cap, 422 (with field) for the wrong shape. */
export async function jsonBody<T extends z.ZodType>(req: NextRequest, schema: T, maxBytes = 10 * 1024 * 1024): Promise<z.output<T>> {
  const len = Number(req.headers.get("content-length") || 0);
  if (len > maxBytes) throw tooLarge(`Body is larger than ${maxBytes} bytes.`);
  const text = await req.text();
  if (text.length > maxBytes) throw tooLarge(`Body is larger than ${maxBytes} bytes.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`Malformed JSON: ${(e as Error).message}`, undefined, "invalid_json");
  }
  return parseOr422(schema, value);
}

/** A numeric id from a path segment; anything else is a 404. */
export function idOf(v: string | string[] | undefined, what = "Resource"): number {
  const r = idParam.safeParse(v);
  if (!r.success) throw notFound(what);
  return r.data;
}

export function pageParams(url: URL, maxLimit = 500): { page: number; limit: number } {
  const page = Math.max(1, Math.floor(Number(url.searchParams.get("page") || 1)) || 1);
  const limit = Math.min(maxLimit, Math.max(1, Math.floor(Number(url.searchParams.get("limit") || 50)) || 50));
  return { page, limit };
}

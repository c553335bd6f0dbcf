import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { getAnnotation, updateAnnotation } from "@/lib/server/annotations";

type P = { id: string };
export const GET = api<P>(({ params, actor }) => getAnnotation(actor, idOf(params.id, "Annotation")));
export const PUT = api<P>(async ({ req, params, actor }) =>
  updateAnnotation(actor, idOf(params.id, "Annotation"), await jsonBody(req, z.unknown())),
);

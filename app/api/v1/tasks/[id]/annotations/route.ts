import { z } from "zod";
import { api, idOf, jsonBody } from "@/lib/http/route";
import { createAnnotation, listAnnotations } from "@/lib/server/annotations";

type P = { id: string };
export const GET = api<P>(({ params, actor }) => {
  const items = listAnnotations(actor, idOf(params.id, "Task"));
  return { items, total: items.length };
});

/** Body: {document, status?: "submitted"|"skipped", skipReason?, leadTime?} or the bare document. */
export const POST = api<P>(async ({ req, params, actor }) => {
  const body = await jsonBody(req, z.record(z.string(), z.unknown()));
  const wrapped = "document" in body ? body : { document: body };
  return createAnnotation(actor, idOf(params.id, "Task"), wrapped);
});

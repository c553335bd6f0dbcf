import { api, idOf } from "@/lib/http/route";
import { createVersion, listVersions } from "@/lib/server/datasets";
import { badRequest, tooLarge } from "@/lib/server/errors";

// All versions, newest first (not paged: a project has tens of versions, not thousands).
export const GET = api<{ id: string }>(({ params, actor }) => {
  const items = listVersions(actor, idOf(params.id, "Project"));
  return { items, total: items.length };
});

const MAX_BODY = 1024 * 1024;

export const POST = api<{ id: string }>(async ({ req, params, actor }) => {
  const projectId = idOf(params.id, "Project");
  const text = await req.text();
  if (text.length > MAX_BODY) throw tooLarge(`Body is larger than ${MAX_BODY} bytes.`);
  // An empty body means "all submitted annotations, no split"; createVersion validates the shape (422).
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(`Malformed JSON: ${(e as Error).message}`, undefined, "invalid_json");
    }
  }
  return createVersion(actor, projectId, body);
});

import { NextResponse } from "next/server";
import { api, idOf } from "@/lib/http/route";
import { listVersions } from "@/lib/server/datasets";
import { builtVersion, queueBuild, waitForBuild } from "@/lib/server/version-builds";
import { ApiError, badRequest, tooLarge } from "@/lib/server/errors";

// All ready versions, newest first (not paged: a project has tens of versions, not thousands).
export const GET = api<{ id: string }>(({ params, actor }) => {
  const items = listVersions(actor, idOf(params.id, "Project"));
  return { items, total: items.length };
});

const MAX_BODY = 1024 * 1024;
/** `?wait=1`: how long the request waits for the build before answering 202 anyway. */
const WAIT_MS = 30_000;

// Validates synchronously (422), queues a background build and answers 202 {build}. With
// ?wait=1 it waits for the build and answers 201 with the version summary, as before builds.
export const POST = api<{ id: string }>(async ({ req, params, actor }) => {
  const projectId = idOf(params.id, "Project");
  const text = await req.text();
  if (text.length > MAX_BODY) throw tooLarge(`Body is larger than ${MAX_BODY} bytes.`);
  // An empty body means "all submitted annotations, no split"; queueBuild validates the shape (422).
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest(`Malformed JSON: ${(e as Error).message}`, undefined, "invalid_json");
    }
  }
  const wait = req.nextUrl.searchParams.get("wait");
  const build = queueBuild(actor, projectId, body);
  if (wait !== "1" && wait !== "true") return NextResponse.json({ build }, { status: 202 });
  const done = await waitForBuild(projectId, build.id, WAIT_MS);
  if (done.status === "done") return builtVersion(actor, projectId, done);
  if (done.status === "cancelled") throw new ApiError(409, "build_cancelled", "The version build was cancelled; no version was created.", undefined, { build: done });
  if (done.status === "failed") throw new ApiError(409, "build_failed", `The version build failed: ${done.error ?? "unknown error"}`, undefined, { build: done });
  return NextResponse.json({ build: done }, { status: 202 });
});

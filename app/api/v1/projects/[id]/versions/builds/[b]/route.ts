import { NextResponse } from "next/server";
import { api, idOf } from "@/lib/http/route";
import { buildTuning, deleteBuild, getBuild, waitForBuild } from "@/lib/server/version-builds";

export const GET = api<{ id: string; b: string }>(({ params, actor }) => getBuild(actor, idOf(params.id, "Project"), String(params.b)));

// Queued: cancelled; failed, done or cancelled: dismissed (204, the row is gone). Running: a cancel
// is requested and the answer waits briefly for the runner to stop: 200 {build} once it has
// (status "cancelled"), 202 {build} (phase "cancelling") if it is still stopping.
export const DELETE = api<{ id: string; b: string }>(async ({ params, actor }) => {
  const projectId = idOf(params.id, "Project");
  const out = deleteBuild(actor, projectId, String(params.b));
  if (out.kind === "removed") return;
  const build = out.build.status === "running" ? await waitForBuild(projectId, out.build.id, buildTuning.cancelWaitMs) : out.build;
  return NextResponse.json({ build }, { status: build.status === "running" ? 202 : 200 });
});

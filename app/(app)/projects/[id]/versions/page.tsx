import type { Metadata } from "next";
import { projectGate } from "@/components/server/guards";
import { Forbidden } from "@/components/forbidden";
import { creatorNames, listVersions } from "@/lib/server/datasets";
import { listBuilds } from "@/lib/server/version-builds";
import { getLabelConfig } from "@/lib/server/projects";
import { formatsFor } from "@/lib/exporters";
import { VersionsView } from "@/components/versions/versions-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Versions" };

export default async function VersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { ok, access, actor } = await projectGate(`/projects/${id}/versions`, id, "versions.read");
  const p = access.project;
  if (!ok) return <Forbidden what="see this project's dataset versions" backHref={`/projects/${p.id}`} />;
  const versions = listVersions(actor, p.id);
  // Finished builds are the versions themselves and cancelled ones were meant to go away; the page
  // shows the ones still queued, running or failed.
  const builds = listBuilds(actor, p.id).filter((b) => b.status !== "done" && b.status !== "cancelled");
  const { schema } = getLabelConfig(p.id);
  const formats = formatsFor(schema, p.dataType)
    .filter((f) => f.fit.ok)
    .map((f) => ({ name: f.name, description: f.description }));
  const names = creatorNames([...versions.map((v) => v.createdBy), ...builds.map((b) => b.createdBy)]);
  return (
    <VersionsView
      projectId={p.id}
      dataType={p.dataType}
      versions={versions}
      builds={builds}
      labels={schema.labels.map((l) => ({ name: l.name, color: l.color ?? null }))}
      formats={formats}
      canCreate={access.can("versions.create")}
      names={names}
    />
  );
}

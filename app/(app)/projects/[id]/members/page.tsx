import type { Metadata } from "next";
import { listMembers } from "@/lib/server/projects";
import { projectGate } from "@/components/server/guards";
import { Forbidden } from "@/components/forbidden";
import { MembersPanel } from "@/components/members-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const gate = await projectGate(`/projects/${id}/members`, id, "members.read");
  const p = gate.access.project;
  if (!gate.ok) return <Forbidden what="see this project's members" backHref={`/projects/${p.id}`} />;
  const members = listMembers(p.id);
  return <MembersPanel projectId={p.id} members={members} canManage={gate.access.can("members.manage")} meId={gate.actor.user.id} />;
}

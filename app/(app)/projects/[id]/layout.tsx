import Link from "next/link";
import { projectGate } from "@/components/server/guards";
import { ProjectTabs } from "@/components/project-tabs";
import { DataTypeBadge, RoleBadge } from "@/components/ui/badges";

export const dynamic = "force-dynamic";

export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { access } = await projectGate(`/projects/${id}`, id);
  const p = access.project;
  const base = `/projects/${p.id}`;
  // Tabs a role cannot use are hidden; the pages still check (and show 403) on direct visits.
  const tabs = [
    { slug: "", label: "Overview" },
    { slug: "data", label: access.can("tasks.readAll") ? "Data" : "My tasks" },
    ...(access.can("tasks.import") ? [{ slug: "import", label: "Import" }] : []),
    ...(access.can("versions.read") ? [{ slug: "versions", label: "Versions" }] : []),
    ...(access.can("members.read") ? [{ slug: "members", label: "Members" }] : []),
    ...(access.can("project.update") ? [{ slug: "settings", label: "Settings" }] : []),
  ];
  return (
    <div>
      <div className="mb-6 border-b border-slate-200">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/projects" className="hover:text-slate-800">
            Projects
          </Link>
          <span aria-hidden="true" className="mx-1.5">/</span>
        </nav>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <h1 className="break-words text-2xl font-semibold tracking-tight text-slate-900">{p.name}</h1>
          <DataTypeBadge dataType={p.dataType} />
          <RoleBadge role={access.role} />
        </div>
        {p.description && <p className="mt-1 max-w-3xl whitespace-pre-wrap break-words text-sm text-slate-500">{p.description}</p>}
        <div className="mt-4">
          <ProjectTabs base={base} tabs={tabs} />
        </div>
      </div>
      {children}
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { listProjects } from "@/lib/server/projects";
import { requireActor } from "@/components/server/guards";
import { DataTypeBadge, RoleBadge } from "@/components/ui/badges";
import { ProgressBar } from "@/components/ui/progress";
import { EmptyState } from "@/components/ui/empty-state";
import { FolderIcon, PlusIcon } from "@/components/ui/icons";
import { btn, card } from "@/components/ui/styles";
import { formatDate, formatNumber } from "@/components/ui/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Projects" };

const PER_PAGE = 48;

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("/projects");
  const sp = await searchParams;
  const page = Math.max(1, Math.floor(Number(sp.page) || 1));
  const { items, total } = listProjects(actor, { page, limit: PER_PAGE });
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));

  return (
    <div>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
          <p className="mt-1 text-sm text-slate-500">
            {total === 0 ? "Projects you create or are added to appear here." : `${formatNumber(total)} project${total === 1 ? "" : "s"} you can open.`}
          </p>
        </div>
        <Link href="/projects/new" className={btn.primary}>
          <PlusIcon width={16} height={16} />
          New project
        </Link>
      </div>

      {total === 0 ? (
        <EmptyState
          icon={<FolderIcon />}
          title="No projects yet"
          action={
            <Link href="/projects/new" className={btn.primary}>
              <PlusIcon width={16} height={16} />
              Create your first project
            </Link>
          }
        >
          Create your first project: pick a data type, define the labels, then import images, text, audio or video to label.
          If you expected to see a project here, ask its manager to add you as a member.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {items.map((p) => (
            <li key={p.id}>
              <Link
                href={`/projects/${p.id}`}
                className={`${card} group flex h-full flex-col p-5 transition hover:border-indigo-300 hover:shadow-md focus-visible:outline-2 focus-visible:outline-indigo-600`}
              >
                <div className="flex items-start justify-between gap-3">
                  <h2 className="line-clamp-2 break-words font-semibold text-slate-900 group-hover:text-indigo-700">{p.name}</h2>
                  <DataTypeBadge dataType={p.dataType} />
                </div>
                <p className="mt-1 line-clamp-2 min-h-10 text-sm break-words text-slate-500">{p.description || "No description."}</p>
                <div className="mt-4">
                  <div className="mb-1.5 flex justify-between text-xs text-slate-500">
                    <span>
                      {formatNumber(p.completedCount)} / {formatNumber(p.taskCount)} tasks completed
                    </span>
                    <span>{p.taskCount > 0 ? Math.round((p.completedCount / p.taskCount) * 100) : 0}%</span>
                  </div>
                  <ProgressBar value={p.completedCount} max={p.taskCount} label={`${p.name}: ${p.completedCount} of ${p.taskCount} tasks completed`} />
                </div>
                <div className="mt-4 flex items-center justify-between border-t border-slate-100 pt-3 text-xs text-slate-500">
                  <RoleBadge role={p.role} />
                  <span>Created {formatDate(p.createdAt)}</span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}

      {pages > 1 && (
        <nav aria-label="Project pages" className="mt-6 flex items-center justify-center gap-3 text-sm">
          {page > 1 ? <Link className={btn.secondary} href={`/projects?page=${page - 1}`}>Previous</Link> : null}
          <span className="text-slate-500">
            Page {page} of {pages}
          </span>
          {page < pages ? <Link className={btn.secondary} href={`/projects?page=${page + 1}`}>Next</Link> : null}
        </nav>
      )}
    </div>
  );
}

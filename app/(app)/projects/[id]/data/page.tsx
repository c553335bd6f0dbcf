import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { listTasks } from "@/lib/server/tasks";
import { getLabelConfig, listMembers } from "@/lib/server/projects";
import { projectGate } from "@/components/server/guards";
import { TaskTable, type SortKey, type SortState } from "@/components/task-table";
import { PageSizeSelect, TaskFilters } from "@/components/task-filters";
import { EmptyState } from "@/components/ui/empty-state";
import { DataIcon, UploadIcon } from "@/components/ui/icons";
import { btn } from "@/components/ui/styles";
import { formatNumber } from "@/components/ui/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data" };

type SP = Record<string, string | string[] | undefined>;
const SIZES = [25, 50, 100, 200];
const SORTS: SortKey[] = ["id", "status", "annotations", "predictions", "score"];
const STATUSES = ["new", "in_progress", "completed"] as const;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Search params to a valid query: bad values fall back to defaults instead of a 422 page. */
function parseQuery(sp: SP) {
  const limit = SIZES.includes(Number(one(sp.limit))) ? Number(one(sp.limit)) : 50;
  const page = Math.max(1, Math.min(1_000_000, Math.floor(Number(one(sp.page))) || 1));
  const sortRaw = one(sp.sort) as SortKey | undefined;
  const sort: SortKey = sortRaw && SORTS.includes(sortRaw) ? sortRaw : "id";
  const order: "asc" | "desc" = one(sp.order) === "desc" ? "desc" : "asc";
  const st = one(sp.status);
  const status = STATUSES.find((s) => s === st);
  const a = one(sp.annotator);
  const annotator = a === "me" ? "me" : a && /^[1-9][0-9]{0,9}$/.test(a) ? a : undefined;
  const l = one(sp.label);
  const label = l && l.length <= 100 ? l : undefined;
  return { page, limit, sort, order, status, annotator, label };
}

export default async function DataPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SP> }) {
  const { id } = await params;
  const sp = await searchParams;
  const { access, actor } = await projectGate(`/projects/${id}/data`, id);
  const p = access.project;
  const q = parseQuery(sp);
  const { items, total } = listTasks(actor, p.id, q);

  const base = `/projects/${p.id}/data`;
  const href = (patch: Partial<typeof q>) => {
    const merged = { ...q, ...patch };
    const u = new URLSearchParams();
    if (merged.page > 1) u.set("page", String(merged.page));
    if (merged.limit !== 50) u.set("limit", String(merged.limit));
    if (merged.sort !== "id") u.set("sort", merged.sort);
    if (merged.order !== "asc") u.set("order", merged.order);
    if (merged.status) u.set("status", merged.status);
    if (merged.annotator) u.set("annotator", merged.annotator);
    if (merged.label) u.set("label", merged.label);
    const s = u.toString();
    return s ? `${base}?${s}` : base;
  };
  const sortHref = (s: SortState) => href({ ...s, page: 1 });

  const annotators = access.can("members.read")
    ? [{ value: "me", label: "Me" }, ...listMembers(p.id).filter((m) => m.userId !== actor.user.id).map((m) => ({ value: String(m.userId), label: m.email }))]
    : [{ value: "me", label: "Me" }];
  const labels = getLabelConfig(p.id).schema.labels.map((l) => l.name);
  const filtered = Boolean(q.status || q.annotator || q.label);
  const from = total === 0 ? 0 : (q.page - 1) * q.limit + 1;
  const to = Math.min(total, q.page * q.limit);
  const pages = Math.max(1, Math.ceil(total / q.limit));

  return (
    <div className="space-y-4">
      {!access.can("tasks.readAll") && (
        <p className="text-sm text-slate-500">These are the tasks assigned to you or that you have worked on.</p>
      )}
      <div className="flex flex-wrap items-end justify-between gap-4">
        <Suspense>
          <TaskFilters options={{ annotators, labels }} />
        </Suspense>
        {access.can("tasks.import") && (
          <Link href={`/projects/${p.id}/import`} className={btn.secondary}>
            <UploadIcon width={16} height={16} /> Import
          </Link>
        )}
      </div>

      {total === 0 && !filtered ? (
        <EmptyState
          icon={<DataIcon />}
          title={access.can("tasks.readAll") ? "No tasks in this project yet" : "No tasks for you yet"}
          action={
            access.can("tasks.import") ? (
              <Link href={`/projects/${p.id}/import`} className={btn.primary}>
                <UploadIcon width={16} height={16} /> Go to Import
              </Link>
            ) : undefined
          }
        >
          {access.can("tasks.import")
            ? "Each imported file, URL or task-list row becomes one task. Head to the Import tab to add data."
            : "Tasks you label or that are assigned to you appear here. Use Start labelling on the Overview tab (or press S there) to get your first one."}
        </EmptyState>
      ) : items.length === 0 ? (
        <EmptyState icon={<DataIcon />} title={total === 0 ? "No tasks match these filters" : "This page is empty"}>
          {total === 0 ? (
            <>Try another status, annotator or label, or clear the filters.</>
          ) : (
            <>
              There are {formatNumber(total)} tasks on {formatNumber(pages)} pages.{" "}
              <Link className="text-indigo-700 hover:underline" href={href({ page: 1 })}>
                First page
              </Link>{" "}
              ·{" "}
              <Link className="text-indigo-700 hover:underline" href={href({ page: pages })}>
                Last page
              </Link>
            </>
          )}
        </EmptyState>
      ) : (
        <TaskTable rows={items} sort={{ sort: q.sort, order: q.order }} sortHref={sortHref} dataType={p.dataType} />
      )}

      {items.length > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <p className="text-slate-600" aria-live="polite">
            Showing <strong>{formatNumber(from)}</strong>–<strong>{formatNumber(to)}</strong> of <strong>{formatNumber(total)}</strong> tasks
          </p>
          <div className="flex items-center gap-3">
            <Suspense>
              <PageSizeSelect value={q.limit} sizes={SIZES} />
            </Suspense>
            <nav aria-label="Pagination" className="flex items-center gap-2">
              {q.page > 1 ? (
                <Link className={btn.secondary} href={href({ page: q.page - 1 })} rel="prev">
                  Previous
                </Link>
              ) : (
                <span className={`${btn.secondary} pointer-events-none opacity-50`} aria-disabled="true">
                  Previous
                </span>
              )}
              <span className="text-slate-500 tabular-nums">
                {formatNumber(q.page)} / {formatNumber(pages)}
              </span>
              {q.page < pages ? (
                <Link className={btn.secondary} href={href({ page: q.page + 1 })} rel="next">
                  Next
                </Link>
              ) : (
                <span className={`${btn.secondary} pointer-events-none opacity-50`} aria-disabled="true">
                  Next
                </span>
              )}
            </nav>
          </div>
        </div>
      )}
    </div>
  );
}

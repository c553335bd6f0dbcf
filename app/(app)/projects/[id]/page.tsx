import type { Metadata } from "next";
import Link from "next/link";
import { projectStats } from "@/lib/server/projects";
import { projectGate } from "@/components/server/guards";
import { StartLabellingButton } from "@/components/start-labelling-button";
import { PerAnnotatorChart, PerDayChart, last14Days } from "@/components/stats-charts";
import { ProgressBar } from "@/components/ui/progress";
import { card, btn } from "@/components/ui/styles";
import { formatNumber } from "@/components/ui/format";
import { UploadIcon } from "@/components/ui/icons";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project overview" };

export default async function ProjectOverview({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { access } = await projectGate(`/projects/${id}`, id);
  const p = access.project;
  const s = projectStats(p.id);
  const done = s.byStatus.completed ?? 0;
  const pct = s.total > 0 ? Math.round((done / s.total) * 100) : 0;
  const tiles = [
    { label: "Total tasks", value: s.total, tone: "text-slate-900" },
    { label: "New", value: s.byStatus.new ?? 0, tone: "text-slate-700" },
    { label: "In progress", value: s.byStatus.in_progress ?? 0, tone: "text-amber-700" },
    { label: "Completed", value: done, tone: "text-emerald-700" },
  ];

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <section aria-labelledby="stats-h" className={`${card} p-5`}>
          <h2 id="stats-h" className="sr-only">
            Task statistics
          </h2>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {tiles.map((t) => (
              <div key={t.label}>
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t.label}</dt>
                <dd className={`mt-1 text-2xl font-semibold tabular-nums ${t.tone}`}>{formatNumber(t.value)}</dd>
              </div>
            ))}
          </dl>
          <div className="mt-5">
            <div className="mb-1.5 flex justify-between text-sm">
              <span className="text-slate-600">
                {formatNumber(done)} of {formatNumber(s.total)} tasks completed
                {p.overlap > 1 && <span className="text-slate-400"> · {p.overlap} annotations per task</span>}
              </span>
              <span className="font-medium text-slate-900">{pct}%</span>
            </div>
            <ProgressBar value={done} max={s.total} label="Project progress" className="h-2.5" />
          </div>
          <p className="mt-3 text-xs text-slate-500">
            {formatNumber(s.annotations)} annotation{s.annotations === 1 ? "" : "s"} in total, {formatNumber(s.skipped)} skipped.
          </p>
        </section>

        {s.total === 0 && access.can("tasks.import") && (
          <div className="flex flex-wrap items-center justify-between gap-4 rounded-lg border border-dashed border-indigo-300 bg-indigo-50/50 p-5">
            <div>
              <h2 className="font-semibold text-slate-900">Import data to get started</h2>
              <p className="text-sm text-slate-600">This project has no tasks yet. Upload files or a task list, or import from URLs.</p>
            </div>
            <Link href={`/projects/${p.id}/import`} className={btn.primary}>
              <UploadIcon width={16} height={16} /> Import data
            </Link>
          </div>
        )}

        <div className="grid gap-6 md:grid-cols-2">
          <section aria-labelledby="perday-h" className={`${card} p-5`}>
            <h2 id="perday-h" className="mb-4 text-sm font-semibold text-slate-900">
              Annotations per day <span className="font-normal text-slate-400">· last 14 days</span>
            </h2>
            <PerDayChart data={last14Days(s.perDay)} />
          </section>
          <section aria-labelledby="peruser-h" className={`${card} p-5`}>
            <h2 id="peruser-h" className="mb-4 text-sm font-semibold text-slate-900">
              Annotations per annotator
            </h2>
            <PerAnnotatorChart data={s.perUser} />
          </section>
        </div>
      </div>

      <aside className="space-y-6">
        {access.can("tasks.label") && (
          <section className={`${card} p-5`} aria-label="Labelling">
            <StartLabellingButton projectId={p.id} />
            {p.dataType !== "video" && (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <Link href={`/projects/${p.id}/prelabel`} className={`${btn.secondary} w-full`} data-testid="prelabel-queue">
                  Pre-label the queue
                </Link>
                <p className="mt-1.5 text-xs text-slate-500">
                  {p.dataType === "image" ? "Read text on every image (OCR)" : p.dataType === "audio" ? "Find speech in every recording" : "Mark the dictionary’s terms in every text"}, in this browser; annotators get suggestions to accept.
                </p>
              </div>
            )}
          </section>
        )}
        <section aria-labelledby="instr-h" className={`${card} p-5`}>
          <h2 id="instr-h" className="mb-2 text-sm font-semibold text-slate-900">
            Instructions
          </h2>
          {p.instructions ? (
            <div className="max-h-[28rem] overflow-auto whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-700">{p.instructions}</div>
          ) : (
            <p className="text-sm text-slate-500">
              No instructions yet.
              {access.can("project.update") && (
                <>
                  {" "}
                  <Link className="text-indigo-700 hover:underline" href={`/projects/${p.id}/settings`}>
                    Add them in Settings
                  </Link>{" "}
                  so annotators know what to label.
                </>
              )}
            </p>
          )}
        </section>
      </aside>
    </div>
  );
}

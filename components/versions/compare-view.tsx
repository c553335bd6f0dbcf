"use client";
// Compare two versions: task/annotation changes, per-label counts before/after as an SVG bar
// chart (no chart library), and links to sample tasks.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { VersionSummary } from "@/lib/server/datasets";
import type { VersionDiff } from "@/lib/server/version-diff";
import { apiFetch } from "@/components/ui/api";
import { card, cx, labelText, select } from "@/components/ui/styles";
import { Notice } from "@/components/ui/notice";
import { formatNumber } from "@/components/ui/format";

export function CompareView({
  projectId, versions, selection, onSelect,
}: {
  projectId: number;
  versions: VersionSummary[];
  selection: { from: number | null; to: number } | null;
  onSelect: (s: { from: number | null; to: number }) => void;
}) {
  const latest = versions[0]!;
  const sel = selection ?? { to: latest.number, from: latest.parent };
  const [diff, setDiff] = useState<VersionDiff | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    const q = sel.from !== null ? `?against=${sel.from}` : "";
    void apiFetch<VersionDiff>(`/api/v1/projects/${projectId}/versions/${sel.to}/diff${q}`).then((r) => {
      if (stale) return;
      if (r.ok) {
        setDiff(r.data);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      stale = true;
    };
  }, [projectId, sel.from, sel.to]);

  return (
    <section aria-labelledby="compare-title" className={cx(card, "p-5")}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h3 id="compare-title" className="text-base font-semibold text-slate-900">
            Compare versions
          </h3>
          <p className="text-sm text-slate-500">What changed between two versions: tasks, annotations and regions per label.</p>
        </div>
        <div className="flex items-end gap-2">
          <div>
            <label htmlFor="cmp-from" className={labelText}>
              From
            </label>
            <select
              id="cmp-from"
              className={cx(select, "mt-1")}
              value={sel.from ?? ""}
              onChange={(e) => onSelect({ ...sel, from: e.target.value ? Number(e.target.value) : null })}
            >
              <option value="">(empty)</option>
              <VersionOptions versions={versions} />
            </select>
          </div>
          <span className="pb-2 text-slate-400" aria-hidden="true">
            →
          </span>
          <div>
            <label htmlFor="cmp-to" className={labelText}>
              To
            </label>
            <select id="cmp-to" className={cx(select, "mt-1")} value={sel.to} onChange={(e) => onSelect({ ...sel, to: Number(e.target.value) })}>
              <VersionOptions versions={versions} />
            </select>
          </div>
        </div>
      </div>
      {error && <Notice className="mt-4">{error}</Notice>}
      {diff && !error && <DiffBody diff={diff} />}
    </section>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone: "emerald" | "rose" | "amber" | "slate" }) {
  const tones = { emerald: "text-emerald-700", rose: "text-rose-700", amber: "text-amber-700", slate: "text-slate-700" };
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2">
      <div className="text-xs text-slate-500">{label}</div>
      <div className={cx("text-lg font-semibold tabular-nums", tones[tone])}>{formatNumber(value)}</div>
    </div>
  );
}

function DiffBody({ diff }: { diff: VersionDiff }) {
  const fromName = diff.from ? `v${diff.from.number}` : "empty";
  return (
    <div className="mt-4 space-y-5" data-testid="diff">
      <p className="text-sm text-slate-600">
        <strong>{fromName}</strong> → <strong>v{diff.to.number}</strong>
        {diff.from && diff.from.sha256 === diff.to.sha256 && <span className="ml-2 text-emerald-700">same content (identical SHA-256)</span>}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Tasks</h4>
          <div className="mt-2 grid grid-cols-4 gap-2">
            <Stat label="Added" value={diff.tasks.added} tone="emerald" />
            <Stat label="Removed" value={diff.tasks.removed} tone="rose" />
            <Stat label="Changed" value={diff.tasks.changed} tone="amber" />
            <Stat label="Unchanged" value={diff.tasks.unchanged} tone="slate" />
          </div>
        </div>
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Annotations</h4>
          <div className="mt-2 grid grid-cols-3 gap-2">
            <Stat label="Added" value={diff.annotations.added} tone="emerald" />
            <Stat label="Removed" value={diff.annotations.removed} tone="rose" />
            <Stat label="New revision" value={diff.annotations.changed} tone="amber" />
          </div>
        </div>
      </div>
      <div>
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Regions per label</h4>
        {diff.labels.length === 0 ? <p className="mt-2 text-sm text-slate-400">Neither version has any regions.</p> : <LabelChart diff={diff} fromName={fromName} />}
      </div>
      <Samples diff={diff} />
    </div>
  );
}

/** Horizontal grouped bars: before (slate) and after (indigo) per label, with the delta. */
function LabelChart({ diff, fromName }: { diff: VersionDiff; fromName: string }) {
  const rows = diff.labels;
  const max = Math.max(1, ...rows.flatMap((r) => [r.before, r.after]));
  const labelW = 120, barMax = 420, deltaW = 80, rowH = 34, top = 26;
  const width = labelW + barMax + deltaW;
  const height = top + rows.length * rowH + 4;
  const w = (n: number) => (n / max) * barMax;
  return (
    <svg role="img" aria-label={`Regions per label, ${fromName} vs v${diff.to.number}`} viewBox={`0 0 ${width} ${height}`} className="mt-2 w-full max-w-3xl" data-testid="label-chart">
      <g fontSize="11" fill="#64748b">
        <rect x={labelW} y={4} width={10} height={10} fill="#cbd5e1" rx={2} />
        <text x={labelW + 14} y={13}>{fromName}</text>
        <rect x={labelW + 80} y={4} width={10} height={10} fill="#6366f1" rx={2} />
        <text x={labelW + 94} y={13}>v{diff.to.number}</text>
      </g>
      {rows.map((r, i) => {
        const y = top + i * rowH;
        const tone = r.delta > 0 ? "#047857" : r.delta < 0 ? "#be123c" : "#94a3b8";
        return (
          <g key={r.label} data-label={r.label}>
            <title>{`${r.label}: ${r.before} → ${r.after} (${r.delta >= 0 ? "+" : ""}${r.delta})`}</title>
            <text x={labelW - 8} y={y + 17} textAnchor="end" fontSize="12" fill="#334155">
              {r.label.length > 16 ? r.label.slice(0, 15) + "…" : r.label}
            </text>
            <rect x={labelW} y={y + 3} width={Math.max(w(r.before), r.before ? 2 : 0)} height={12} fill="#cbd5e1" rx={2} />
            <rect x={labelW} y={y + 16} width={Math.max(w(r.after), r.after ? 2 : 0)} height={12} fill="#6366f1" rx={2} />
            <text x={labelW + Math.max(w(r.before), 0) + 4} y={y + 13} fontSize="10" fill="#64748b">
              {formatNumber(r.before)}
            </text>
            <text x={labelW + Math.max(w(r.after), 0) + 4} y={y + 26} fontSize="10" fill="#4338ca">
              {formatNumber(r.after)}
            </text>
            <text x={width - 4} y={y + 20} textAnchor="end" fontSize="12" fontWeight="600" fill={tone}>
              {r.delta > 0 ? "+" : ""}
              {formatNumber(r.delta)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Samples({ diff }: { diff: VersionDiff }) {
  const groups = [
    { key: "added", title: "Added tasks", ids: diff.samples.added, total: diff.tasks.added },
    { key: "removed", title: "Removed tasks", ids: diff.samples.removed, total: diff.tasks.removed },
    { key: "changed", title: "Changed tasks", ids: diff.samples.changed, total: diff.tasks.changed },
  ];
  return (
    <div className="grid gap-4 md:grid-cols-3">
      {groups.map((g) => (
        <div key={g.key} data-testid={`samples-${g.key}`}>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">
            {g.title} {g.total > g.ids.length && <span className="font-normal normal-case">(first {g.ids.length} of {formatNumber(g.total)})</span>}
          </h4>
          {g.ids.length === 0 ? (
            <p className="mt-1 text-sm text-slate-400">None</p>
          ) : (
            <ul className="mt-1 flex max-h-32 flex-wrap gap-1.5 overflow-y-auto">
              {g.ids.map((id) => (
                <li key={id}>
                  <Link href={`/tasks/${id}`} className="inline-block rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-indigo-700 hover:bg-indigo-50 hover:underline">
                    #{id}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}

function VersionOptions({ versions }: { versions: ReadonlyArray<{ number: number; name: string }> }) {
  return (
    <>
      {versions.map((v) => (
        <option key={v.number} value={v.number}>
          v{v.number} · {v.name}
        </option>
      ))}
    </>
  );
}

// Small status/role/type pills used across tables and headers.
import { cx } from "./styles";
import { KindIcon } from "./icons";

const pill = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

const STATUS: Record<string, { label: string; cls: string }> = {
  new: { label: "New", cls: "bg-slate-50 text-slate-600 ring-slate-200" },
  in_progress: { label: "In progress", cls: "bg-amber-50 text-amber-700 ring-amber-200" },
  completed: { label: "Completed", cls: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status, cls: "bg-slate-50 text-slate-600 ring-slate-200" };
  return <span className={cx(pill, s.cls)}>{s.label}</span>;
}

const ROLE: Record<string, string> = {
  manager: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  reviewer: "bg-sky-50 text-sky-700 ring-sky-200",
  annotator: "bg-slate-50 text-slate-600 ring-slate-200",
  admin: "bg-violet-50 text-violet-700 ring-violet-200",
};

export function RoleBadge({ role }: { role: string | null }) {
  const r = role ?? "admin";
  return <span className={cx(pill, ROLE[r] ?? ROLE.annotator)}>{r.charAt(0).toUpperCase() + r.slice(1)}</span>;
}

export function DataTypeBadge({ dataType }: { dataType: string }) {
  return (
    <span className={cx(pill, "bg-white text-slate-700 ring-slate-200")}>
      <KindIcon kind={dataType} width={13} height={13} />
      {dataType.charAt(0).toUpperCase() + dataType.slice(1)}
    </span>
  );
}

export function Pill({ children, tone = "slate" }: { children: React.ReactNode; tone?: "slate" | "rose" | "emerald" | "amber" | "indigo" }) {
  const tones = {
    slate: "bg-slate-50 text-slate-600 ring-slate-200",
    rose: "bg-rose-50 text-rose-700 ring-rose-200",
    emerald: "bg-emerald-50 text-emerald-700 ring-emerald-200",
    amber: "bg-amber-50 text-amber-700 ring-amber-200",
    indigo: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  };
  return <span className={cx(pill, tones[tone])}>{children}</span>;
}

// Plain-div bar charts for the overview (no chart library). Server component.
import { formatNumber } from "./ui/format";

const dayFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** The last 14 UTC days (oldest first), zero-filled, matching SQLite's date(…, 'unixepoch'). */
export function last14Days(perDay: Array<{ day: string; n: number }>, now = Date.now()): Array<{ day: string; n: number }> {
  const byDay = new Map(perDay.map((d) => [d.day, d.n]));
  const out: Array<{ day: string; n: number }> = [];
  for (let i = 13; i >= 0; i--) {
    const day = new Date(now - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ day, n: byDay.get(day) ?? 0 });
  }
  return out;
}

export function PerDayChart({ data }: { data: Array<{ day: string; n: number }> }) {
  const max = Math.max(1, ...data.map((d) => d.n));
  const total = data.reduce((s, d) => s + d.n, 0);
  return (
    <figure>
      <figcaption className="sr-only">Annotations per day, last 14 days: {formatNumber(total)} in total.</figcaption>
      <div className="flex h-36 items-end gap-1.5" role="list" aria-label="Annotations per day">
        {data.map((d) => {
          const label = `${dayFmt.format(new Date(d.day + "T00:00:00Z"))}: ${d.n} annotation${d.n === 1 ? "" : "s"}`;
          return (
            <div key={d.day} role="listitem" aria-label={label} title={label} className="group flex h-full flex-1 flex-col justify-end">
              <span className="mb-0.5 text-center text-[10px] text-slate-500 opacity-0 group-hover:opacity-100">{d.n}</span>
              <div
                className={d.n ? "rounded-t bg-indigo-500 group-hover:bg-indigo-600" : "rounded-t bg-slate-200"}
                style={{ height: d.n ? `${Math.max(4, (d.n / max) * 100)}%` : "2px" }}
              />
            </div>
          );
        })}
      </div>
      <div className="mt-1.5 flex justify-between text-[11px] text-slate-400" aria-hidden="true">
        <span>{data[0] ? dayFmt.format(new Date(data[0].day + "T00:00:00Z")) : ""}</span>
        <span>Today</span>
      </div>
    </figure>
  );
}

export function PerAnnotatorChart({ data }: { data: Array<{ userId: number; email: string; n: number }> }) {
  if (data.length === 0) return <p className="py-8 text-center text-sm text-slate-500">No annotations yet. They appear here per annotator once work is submitted.</p>;
  const max = Math.max(1, ...data.map((d) => d.n));
  return (
    <ul className="space-y-2" aria-label="Annotations per annotator">
      {data.map((d) => (
        <li key={d.userId} className="text-sm">
          <div className="mb-0.5 flex justify-between gap-3">
            <span className="truncate text-slate-700" title={d.email}>
              {d.email}
            </span>
            <span className="tabular-nums text-slate-500">{formatNumber(d.n)}</span>
          </div>
          <div className="h-2 rounded-full bg-slate-100" aria-hidden="true">
            <div className="h-full rounded-full bg-indigo-500" style={{ width: `${(d.n / max) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}

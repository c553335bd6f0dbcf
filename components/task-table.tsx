// The task table body (server component). Every cell renders task data as text.
import Link from "next/link";
import type { TaskRow } from "@/lib/server/tasks";
import { StatusBadge } from "./ui/badges";
import { KindIcon } from "./ui/icons";
import { formatDate, formatDuration, formatNumber, isoTitle, safeUrl } from "./ui/format";
import { cx } from "./ui/styles";

export type SortKey = "id" | "status" | "annotations" | "predictions" | "score";
export interface SortState {
  sort: SortKey;
  order: "asc" | "desc";
}

function SortHeader({ k, label, state, href, className }: { k: SortKey; label: string; state: SortState; href: (s: SortState) => string; className?: string }) {
  const active = state.sort === k;
  const nextOrder = active && state.order === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (state.order === "asc" ? "ascending" : "descending") : "none"} className={className}>
      <Link href={href({ sort: k, order: nextOrder })} className="inline-flex items-center gap-1 hover:text-slate-900" aria-label={`Sort by ${label}, ${nextOrder === "asc" ? "ascending" : "descending"}`}>
        {label}
        <span aria-hidden="true" className={active ? "text-indigo-600" : "text-slate-300"}>
          {active && state.order === "desc" ? "▼" : "▲"}
        </span>
      </Link>
    </th>
  );
}

function Thumb({ row, fallbackKind }: { row: TaskRow; fallbackKind: string }) {
  const src = safeUrl(row.media?.thumbnailUrl);
  if (src) {
    // Plain <img>: thumbnails come from our own media endpoint and are already small.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={src} alt="" loading="lazy" decoding="async" width={48} height={48} className="h-12 w-12 rounded border border-slate-200 bg-slate-100 object-cover" />;
  }
  return (
    <span className="flex h-12 w-12 items-center justify-center rounded border border-slate-200 bg-slate-50 text-slate-400" title={row.media?.kind ?? fallbackKind}>
      <KindIcon kind={row.media?.kind ?? fallbackKind} width={20} height={20} />
    </span>
  );
}

function details(row: TaskRow): string {
  const m = row.media;
  if (!m) return "";
  if ((m.kind === "audio" || m.kind === "video") && m.duration !== null) return formatDuration(m.duration);
  if (m.kind === "image" && m.width && m.height) return `${m.width}×${m.height}`;
  return "";
}

/** `dataType` picks the icon for tasks without uploaded media (URL or inline data). */
export function TaskTable({ rows, sort, sortHref, dataType }: { rows: TaskRow[]; sort: SortState; sortHref: (s: SortState) => string; dataType: string }) {
  const th = "px-3 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Tasks</caption>
        <thead className="bg-slate-50">
          <tr>
            <SortHeader k="id" label="ID" state={sort} href={sortHref} className={th} />
            <th scope="col" className={th}>
              <span className="sr-only">Preview</span>
            </th>
            <th scope="col" className={th}>
              Item
            </th>
            <th scope="col" className={th}>
              Size / length
            </th>
            <SortHeader k="status" label="Status" state={sort} href={sortHref} className={th} />
            <SortHeader k="annotations" label="Annotations" state={sort} href={sortHref} className={cx(th, "text-right")} />
            <SortHeader k="predictions" label="Predictions" state={sort} href={sortHref} className={cx(th, "text-right")} />
            <SortHeader k="score" label="Confidence" state={sort} href={sortHref} className={cx(th, "text-right")} />
            <th scope="col" className={th}>
              Created
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => {
            // Uploaded files carry their own media URL as data; that says nothing to a person.
            const preview = r.media && r.preview.startsWith("/api/v1/media/") ? "" : r.preview;
            const title = r.fileName || preview || `Task ${r.id}`;
            return (
              <tr key={r.id} className="relative hover:bg-indigo-50/40 focus-within:bg-indigo-50/40">
                <td className="px-3 py-2 font-mono text-xs text-slate-500 tabular-nums">
                  {/* The link's ::after covers the row, so the whole row is clickable. */}
                  <Link href={`/tasks/${r.id}`} className="after:absolute after:inset-0 focus-visible:outline-none" aria-label={`Open task ${r.id}: ${title}`}>
                    #{r.id}
                  </Link>
                </td>
                <td className="px-3 py-2">
                  <Thumb row={r} fallbackKind={dataType} />
                </td>
                <td className="max-w-md px-3 py-2">
                  {r.fileName && <div className="truncate font-medium text-slate-900">{r.fileName}</div>}
                  {preview && <div className={cx("line-clamp-2 break-words", r.fileName ? "text-xs text-slate-500" : "text-slate-800")}>{preview}</div>}
                  {!r.fileName && !preview && <span className="text-slate-400">Task {r.id}</span>}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600 tabular-nums">{details(r) || <span className="text-slate-300">—</span>}</td>
                <td className="px-3 py-2">
                  <StatusBadge status={r.status} />
                </td>
                <td className="px-3 py-2 text-right tabular-nums text-slate-700">{formatNumber(r.annotationCount)}</td>
                <td className="px-3 py-2 text-right tabular-nums text-slate-700">{formatNumber(r.predictionCount)}</td>
                <td className="px-3 py-2 text-right tabular-nums text-slate-700" title="Lowest score of the latest predictions">
                  {r.predictionScore === null || r.predictionScore === undefined ? <span className="text-slate-300">—</span> : r.predictionScore.toFixed(2)}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-500" title={isoTitle(r.createdAt)}>
                  {formatDate(r.createdAt)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

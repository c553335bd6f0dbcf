// The list tables of the settings-style pages (members, users, tokens): one shell, one person cell.
import { cx } from "./styles";

/** A column header; `null` is the unlabelled actions column (named for screen readers only). */
export type Column = string | null;

export function DataTable({ caption, columns, children }: { caption: string; columns: Column[]; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c, i) => (
              <th key={c ?? `actions-${i}`} scope="col" className="px-4 py-2.5">
                {c ?? <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** Name (or email), "(you)", the email, and this row's error if an action on it failed. */
export function PersonCell({ name, email, isMe, muted, error }: { name: string; email: string; isMe: boolean; muted?: boolean; error?: string | null }) {
  return (
    <td className="px-4 py-2.5">
      <div className={cx("font-medium", muted ? "text-slate-500" : "text-slate-900")}>
        {name || email}
        {isMe && <span className="ml-1.5 text-xs font-normal text-slate-400">(you)</span>}
      </div>
      <div className="text-xs text-slate-500">{email}</div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-rose-700">
          {error}
        </p>
      )}
    </td>
  );
}

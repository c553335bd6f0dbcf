"use client";
import { DataTable, PersonCell } from "./ui/table";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "./ui/api";
import { btn, card, cx, input, inputInvalid, select } from "./ui/styles";
import { FieldError, Notice } from "./ui/notice";
import { RoleBadge } from "./ui/badges";
import { formatDate } from "./ui/format";

export interface MemberRow {
  userId: number;
  email: string;
  name: string;
  role: "manager" | "reviewer" | "annotator";
  createdAt: number;
}
const ROLES = ["manager", "reviewer", "annotator"] as const;
const ROLE_HELP = "Managers change settings, import and manage members; reviewers see all tasks and review; annotators label.";

export function MembersPanel({ projectId, members, canManage, meId }: { projectId: number; members: MemberRow[]; canManage: boolean; meId: number }) {
  const router = useRouter();
  const url = `/api/v1/projects/${projectId}/members`;
  const [rowBusy, setRowBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ userId: number; message: string } | null>(null);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRow["role"]>("annotator");
  const [addError, setAddError] = useState<ApiErrorBody | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  async function rowAction(userId: number, body: unknown, method: "POST" | "DELETE") {
    setRowBusy(userId);
    setRowError(null);
    const r = await apiFetch(url, { method, body });
    setRowBusy(null);
    if (!r.ok) setRowError({ userId, message: r.error.message });
    else router.refresh();
  }

  async function onAdd(e: React.FormEvent) {
    e.preventDefault();
    setAdding(true);
    setAddError(null);
    setAdded(null);
    const r = await apiFetch<MemberRow>(url, { method: "POST", body: { email, role } });
    setAdding(false);
    if (!r.ok) {
      setAddError(r.error);
      return;
    }
    setAdded(`Added ${r.data.email} as ${r.data.role}.`);
    setEmail("");
    router.refresh();
  }

  const emailErr = errorFor(addError, "email") ?? errorFor(addError, "userId");
  return (
    <div className="space-y-6">
      {canManage && (
        <form onSubmit={onAdd} className={`${card} p-5`} noValidate>
          <h2 className="text-base font-semibold">Add a member</h2>
          <p className="mb-3 text-xs text-slate-500">The person needs a Loupe account first (an admin creates it). {ROLE_HELP}</p>
          <div className="flex flex-wrap items-start gap-3">
            <div className="min-w-64 flex-1">
              <label htmlFor="m-email" className="sr-only">
                Email of the person to add
              </label>
              <input
                id="m-email"
                name="email"
                type="email"
                placeholder="name@example.com"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                aria-invalid={!!emailErr}
                className={cx(input, emailErr && inputInvalid)}
              />
              <FieldError message={emailErr} />
            </div>
            <label htmlFor="m-role" className="sr-only">
              Role for the new member
            </label>
            <select id="m-role" value={role} onChange={(e) => setRole(e.target.value as MemberRow["role"])} className={select}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r.charAt(0).toUpperCase() + r.slice(1)}
                </option>
              ))}
            </select>
            <button type="submit" className={btn.primary} disabled={adding || !email.trim()}>
              {adding ? "Adding…" : "Add member"}
            </button>
          </div>
          {addError && !emailErr && <Notice className="mt-3">{summary(addError)}</Notice>}
          {added && (
            <Notice tone="success" className="mt-3">
              {added}
            </Notice>
          )}
        </form>
      )}

      <DataTable caption="Project members" columns={["Member", "Role", "Added", ...(canManage ? [null] : [])]}>
            {members.map((m) => (
              <tr key={m.userId} className={rowBusy === m.userId ? "opacity-60" : undefined}>
                <PersonCell name={m.name} email={m.email} isMe={m.userId === meId} error={rowError?.userId === m.userId ? rowError.message : null} />
                <td className="px-4 py-2.5">
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={rowBusy === m.userId}
                      onChange={(e) => void rowAction(m.userId, { userId: m.userId, role: e.target.value }, "POST")}
                      className={cx(select, "py-1")}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r.charAt(0).toUpperCase() + r.slice(1)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </td>
                <td className="px-4 py-2.5 text-slate-500">{formatDate(m.createdAt)}</td>
                {canManage && (
                  <td className="px-4 py-2.5 text-right">
                    <button
                      type="button"
                      className={btn.smallDanger}
                      disabled={rowBusy === m.userId}
                      aria-label={`Remove ${m.email} from the project`}
                      onClick={() => {
                        if (window.confirm(`Remove ${m.email} from this project? Their annotations are kept.`)) void rowAction(m.userId, { userId: m.userId }, "DELETE");
                      }}
                    >
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
      {!canManage && <p className="text-xs text-slate-500">Only project managers can change members. {ROLE_HELP}</p>}
    </div>
  );
}

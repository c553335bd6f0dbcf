"use client";
import { DataTable, PersonCell } from "./ui/table";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "./ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, labelText } from "./ui/styles";
import { FieldError, Notice } from "./ui/notice";
import { Pill } from "./ui/badges";
import { formatDate } from "./ui/format";

export interface UserRow {
  id: number;
  email: string;
  name: string;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: number;
}

function CreateUserForm() {
  const router = useRouter();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setBusy(true);
    setError(null);
    setDone(null);
    const name = String(f.get("name") ?? "").trim();
    const r = await apiFetch<UserRow>("/api/v1/users", {
      method: "POST",
      body: { email: f.get("email"), password: f.get("password"), isAdmin: f.get("isAdmin") === "on", ...(name ? { name } : {}) },
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDone(`Created ${r.data.email}. Share the password with them securely; they can then sign in.`);
    form.reset();
    router.refresh();
  }

  const err = (f: string) => errorFor(error, f);
  return (
    <form onSubmit={onSubmit} className={`${card} p-5`} noValidate>
      <h2 className="text-base font-semibold">Create a user</h2>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="u-email" className={labelText}>
            Email
          </label>
          <input id="u-email" name="email" type="email" required autoComplete="off" aria-invalid={!!err("email")} className={cx(input, "mt-1", err("email") && inputInvalid)} />
          <FieldError message={err("email")} />
        </div>
        <div>
          <label htmlFor="u-name" className={labelText}>
            Name <span className="font-normal text-slate-400">(optional)</span>
          </label>
          <input id="u-name" name="name" autoComplete="off" aria-invalid={!!err("name")} className={cx(input, "mt-1", err("name") && inputInvalid)} />
          <FieldError message={err("name")} />
        </div>
        <div>
          <label htmlFor="u-password" className={labelText}>
            Password <span className="font-normal text-slate-400">(at least 8 characters)</span>
          </label>
          <input id="u-password" name="password" type="password" required minLength={8} autoComplete="new-password" aria-invalid={!!err("password")} className={cx(input, "mt-1", err("password") && inputInvalid)} />
          <FieldError message={err("password")} />
        </div>
        <div className="flex items-end justify-between gap-3">
          <label className="inline-flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input type="checkbox" name="isAdmin" className={checkbox} />
            Administrator (can manage users and every project)
          </label>
        </div>
      </div>
      {error && !["email", "name", "password"].includes(error.field ?? "") && <Notice className="mt-3">{summary(error)}</Notice>}
      {done && (
        <Notice tone="success" className="mt-3">
          {done}
        </Notice>
      )}
      <div className="mt-4 flex justify-end">
        <button type="submit" className={btn.primary} disabled={busy}>
          {busy ? "Creating…" : "Create user"}
        </button>
      </div>
    </form>
  );
}

export function UsersAdmin({ users, meId }: { users: UserRow[]; meId: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);

  async function setDisabled(u: UserRow, disabled: boolean) {
    setBusy(u.id);
    setRowError(null);
    const r = await apiFetch(`/api/v1/users/${u.id}`, { method: "PATCH", body: { disabled } });
    setBusy(null);
    if (!r.ok) setRowError({ id: u.id, message: r.error.message });
    else router.refresh();
  }

  return (
    <div className="space-y-6">
      <CreateUserForm />
      <DataTable caption="Users" columns={["User", "Role", "Status", "Created", null]}>
            {users.map((u) => (
              <tr key={u.id} className={cx(u.disabled && "bg-slate-50/70", busy === u.id && "opacity-60")}>
                <PersonCell name={u.name} email={u.email} isMe={u.id === meId} muted={u.disabled} error={rowError?.id === u.id ? rowError.message : null} />
                <td className="px-4 py-2.5">{u.isAdmin ? <Pill tone="indigo">Admin</Pill> : <span className="text-slate-500">User</span>}</td>
                <td className="px-4 py-2.5">{u.disabled ? <Pill tone="rose">Disabled</Pill> : <Pill tone="emerald">Active</Pill>}</td>
                <td className="px-4 py-2.5 text-slate-500">{formatDate(u.createdAt)}</td>
                <td className="px-4 py-2.5 text-right">
                  {u.id === meId ? (
                    <span className="text-xs text-slate-400">—</span>
                  ) : u.disabled ? (
                    <button type="button" className={btn.small} disabled={busy === u.id} onClick={() => void setDisabled(u, false)} aria-label={`Enable ${u.email}`}>
                      Enable
                    </button>
                  ) : (
                    <button type="button" className={btn.smallDanger} disabled={busy === u.id} onClick={() => void setDisabled(u, true)} aria-label={`Disable ${u.email}`}>
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
    </div>
  );
}

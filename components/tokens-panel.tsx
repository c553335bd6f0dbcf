"use client";
import { DataTable } from "./ui/table";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "./ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, labelText, select } from "./ui/styles";
import { FieldError, Notice } from "./ui/notice";
import { Pill } from "./ui/badges";
import { formatDate, formatDateTime, isoTitle } from "./ui/format";
import { EmptyState } from "./ui/empty-state";
import { KeyIcon } from "./ui/icons";
import { OneTimeSecret } from "./ui/one-time-secret";
import type { TokenInfo } from "@/lib/server/tokens";

/** The API's token listing shape (type only: nothing from lib/server reaches the browser). */
export type TokenRow = TokenInfo;

function NewToken({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <OneTimeSecret
      id="new-token"
      secret={token}
      fieldLabel="New API token"
      title="Copy your new token now"
      onDone={onDone}
      footer={
        <>
          Use it as <code className="rounded bg-amber-100 px-1">Authorization: Bearer &lt;token&gt;</code> with the REST API at <code className="rounded bg-amber-100 px-1">/api/v1</code>.
        </>
      }
    >
      This is the only time it is shown. Loupe stores only a hash; if you lose it, revoke it and create another.
    </OneTimeSecret>
  );
}

export function TokensPanel({ tokens, projects }: { tokens: TokenRow[]; projects: Array<{ id: number; name: string }> }) {
  const router = useRouter();
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));

  async function onCreate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const projectId = Number(f.get("projectId")) || undefined;
    setBusy(true);
    setError(null);
    const r = await apiFetch<{ token: string; info: TokenRow }>("/api/v1/tokens", {
      method: "POST",
      body: { name: String(f.get("name") ?? ""), readOnly: f.get("readOnly") === "on", ...(projectId ? { projectId } : {}) },
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setCreated(r.data.token);
    form.reset();
    router.refresh();
  }

  async function revoke(t: TokenRow) {
    if (!window.confirm(`Revoke the token ${t.name || t.prefix}? Scripts using it stop working immediately.`)) return;
    setRevoking(t.id);
    setRowError(null);
    const r = await apiFetch(`/api/v1/tokens/${t.id}`, { method: "DELETE" });
    setRevoking(null);
    if (!r.ok) setRowError({ id: t.id, message: r.error.message });
    else router.refresh();
  }

  return (
    <div className="space-y-6">
      {created && <NewToken token={created} onDone={() => setCreated(null)} />}
      <form onSubmit={onCreate} className={`${card} p-5`} noValidate>
        <h2 className="text-base font-semibold">Create a token</h2>
        <div className="mt-3 flex flex-wrap items-end gap-4">
          <div className="min-w-56 flex-1">
            <label htmlFor="t-name" className={labelText}>
              Name
            </label>
            <input id="t-name" name="name" maxLength={100} placeholder="e.g. training pipeline" aria-invalid={!!errorFor(error, "name")} className={cx(input, "mt-1", errorFor(error, "name") && inputInvalid)} />
            <FieldError message={errorFor(error, "name")} />
          </div>
          <div>
            <label htmlFor="t-project" className={labelText}>
              Project scope
            </label>
            <select id="t-project" name="projectId" defaultValue="" className={cx(select, "mt-1 max-w-64")}>
              <option value="">All my projects</option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <FieldError message={errorFor(error, "projectId")} />
          </div>
          <label className="inline-flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input type="checkbox" name="readOnly" className={checkbox} />
            Read-only
          </label>
          <button type="submit" className={btn.primary} disabled={busy}>
            {busy ? "Creating…" : "Create token"}
          </button>
        </div>
        {error && !["name", "projectId"].includes(error.field ?? "") && <Notice className="mt-3">{summary(error)}</Notice>}
      </form>

      {tokens.length === 0 ? (
        <EmptyState icon={<KeyIcon />} title="No API tokens yet">
          Create a token to script imports and exports or connect a model. Scope it to one project and make it read-only when you can.
        </EmptyState>
      ) : (
        <DataTable caption="API tokens" columns={["Token", "Scope", "Access", "Created", "Last used", null]}>
              {tokens.map((t) => (
                <tr key={t.id} className={cx(t.revokedAt !== null && "bg-slate-50/70 text-slate-400")}>
                  <td className="px-4 py-2.5">
                    <div className={cx("font-medium", t.revokedAt ? "text-slate-400 line-through" : "text-slate-900")}>{t.name || "Unnamed token"}</div>
                    <div className="font-mono text-xs text-slate-500">{t.prefix}…</div>
                    {rowError?.id === t.id && (
                      <p role="alert" className="mt-1 text-xs text-rose-700">
                        {rowError.message}
                      </p>
                    )}
                  </td>
                  <td className="px-4 py-2.5">{t.projectId ? projectName.get(t.projectId) ?? `Project #${t.projectId}` : "All my projects"}</td>
                  <td className="px-4 py-2.5">{t.readOnly ? <Pill>Read-only</Pill> : <Pill tone="indigo">Read &amp; write</Pill>}</td>
                  <td className="px-4 py-2.5 text-slate-500" title={isoTitle(t.createdAt)}>
                    {formatDate(t.createdAt)}
                  </td>
                  <td className="px-4 py-2.5 text-slate-500">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
                  <td className="px-4 py-2.5 text-right">
                    {t.revokedAt ? (
                      <Pill tone="rose">Revoked {formatDate(t.revokedAt)}</Pill>
                    ) : (
                      <button type="button" className={btn.smallDanger} disabled={revoking === t.id} onClick={() => void revoke(t)} aria-label={`Revoke token ${t.name || t.prefix}`}>
                        {revoking === t.id ? "Revoking…" : "Revoke"}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
    </div>
  );
}

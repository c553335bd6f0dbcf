"use client";
// One webhook's delivery log: newest first, 10 a page, refreshed while something is in flight.
import { useCallback, useEffect, useState } from "react";
import { apiFetch } from "../ui/api";
import { btn, cx } from "../ui/styles";
import { DeliveryStatusBadge } from "./webhook-badges";
import type { DeliveryOut } from "@/lib/server/webhooks";

const PAGE = 10;

// Short and seconds-precise (retries are seconds apart); fixed zone so every viewer sees the same.
const timeFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
const when = (iso: string) => `${timeFmt.format(new Date(iso))} UTC`;

export function DeliveryLog({ projectId, webhookId, reloadKey, onChange }: { projectId: number; webhookId: number; reloadKey: number; onChange: () => void }) {
  const [items, setItems] = useState<DeliveryOut[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const base = `/api/v1/projects/${projectId}/webhooks/${webhookId}`;

  const load = useCallback(async () => {
    const r = await apiFetch<{ items: DeliveryOut[]; total: number }>(`${base}/deliveries?page=${page}&limit=${PAGE}`);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setItems(r.data.items);
    setTotal(r.data.total);
  }, [base, page]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  // Poll while a delivery is waiting for its first answer, so the user sees it land.
  const inFlight = items?.some((d) => d.status === "pending" && d.attempts === 0) ?? false;
  const retrying = items?.some((d) => d.status === "pending") ?? false;
  useEffect(() => {
    if (!retrying) return;
    const t = setInterval(() => void load().then(onChange), inFlight ? 1000 : 5000);
    return () => clearInterval(t);
  }, [retrying, inFlight, load, onChange]);

  async function redeliver(d: DeliveryOut) {
    setBusy(d.id);
    const r = await apiFetch(`${base}/deliveries/${d.id}/redeliver`, { method: "POST" });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    setPage(1);
    await load();
    onChange();
  }

  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <div className="border-t border-slate-100 bg-slate-50/60 px-4 py-3" data-testid={`delivery-log-${webhookId}`}>
      <div className="mb-2 flex items-center justify-between">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Recent deliveries {total > 0 && <span className="font-normal normal-case">({total})</span>}</h4>
        <button type="button" className={btn.ghost} onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="mb-2 text-xs text-rose-700">
          {error}
        </p>
      )}
      {items === null ? (
        <p className="py-4 text-center text-sm text-slate-500">Loading…</p>
      ) : items.length === 0 ? (
        <p className="py-4 text-center text-sm text-slate-500">
          Nothing sent yet. Use <span className="font-medium text-slate-700">Send test ping</span> to check that your endpoint answers with a 2xx.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="min-w-full text-xs">
            <caption className="sr-only">Deliveries</caption>
            <thead className="bg-slate-50 text-left font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                {["Event", "Status", "Attempts", "HTTP", "Duration", "Time", "Error"].map((c) => (
                  <th key={c} scope="col" className="px-2.5 py-2">
                    {c}
                  </th>
                ))}
                <th scope="col" className="px-2.5 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status} data-event={d.event}>
                  <td className="whitespace-nowrap px-2.5 py-2 font-mono text-slate-700">{d.event}</td>
                  <td className="px-2.5 py-2">
                    <DeliveryStatusBadge status={d.status} attempts={d.attempts} />
                  </td>
                  <td className="px-2.5 py-2 tabular-nums text-slate-600">{d.attempts}</td>
                  <td className={cx("px-2.5 py-2 font-mono tabular-nums", d.responseStatus && d.responseStatus >= 300 ? "text-rose-700" : "text-slate-600")}>{d.responseStatus ?? "—"}</td>
                  <td className="whitespace-nowrap px-2.5 py-2 tabular-nums text-slate-600">{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                  <td className="whitespace-nowrap px-2.5 py-2 text-slate-500" title={d.updatedAt}>
                    {when(d.updatedAt)}
                    {d.status === "pending" && d.nextAttemptAt && d.attempts > 0 && <div className="text-[11px] text-amber-700">next try {when(d.nextAttemptAt)}</div>}
                  </td>
                  <td className="min-w-32 max-w-56 px-2.5 py-2 text-slate-600">
                    <span className="line-clamp-2 break-words" title={d.error ?? undefined}>
                      {d.error ?? ""}
                    </span>
                  </td>
                  <td className="px-2.5 py-2 text-right">
                    <button type="button" className={btn.small} disabled={busy === d.id} onClick={() => void redeliver(d)} aria-label={`Redeliver delivery ${d.id}`}>
                      {busy === d.id ? "Queuing…" : "Redeliver"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <div className="mt-2 flex items-center justify-end gap-2 text-xs text-slate-500">
          <button type="button" className={btn.small} disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" className={btn.small} disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </div>
      )}
    </div>
  );
}

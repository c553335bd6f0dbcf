"use client";
// Settings → Webhooks: the project's webhooks, an "Add webhook" form, the once-only secret,
// and per webhook an on/off switch, Edit (URL, events, description, active), Rotate secret (the
// new one shown once), a test ping and the delivery log.
import { useCallback, useState } from "react";
import { apiFetch } from "../ui/api";
import { btn, card, cx } from "../ui/styles";
import { Pill } from "../ui/badges";
import { EmptyState } from "../ui/empty-state";
import { formatDateTime } from "../ui/format";
import { PlusIcon } from "../ui/icons";
import { DeliveryLog } from "./delivery-log";
import { NewSecret } from "./new-secret";
import { WebhookForm } from "./webhook-form";
import { DeliveryStatusBadge } from "./webhook-badges";
import type { WebhookOut } from "@/lib/server/webhooks";

const HookIcon = () => (
  <svg width={22} height={22} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
    <path d="M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2" />
    <path d="m6 17 3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06" />
    <path d="m12 6 3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8" />
  </svg>
);

function Toggle({ on, label, disabled, onChange }: { on: boolean; label: string; disabled?: boolean; onChange: (v: boolean) => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!on)}
      className={cx(
        "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50",
        on ? "bg-emerald-500" : "bg-slate-300",
      )}
    >
      <span className={cx("inline-block h-4 w-4 rounded-full bg-white shadow transition-transform", on ? "translate-x-4" : "translate-x-0.5")} />
    </button>
  );
}

export function WebhooksSettings({ projectId, initial }: { projectId: number; initial: WebhookOut[] }) {
  const [hooks, setHooks] = useState(initial);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ secret: string; url: string; rotated?: boolean } | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(initial.length === 1 ? initial[0]!.id : null);
  const [reloadKey, setReloadKey] = useState(0);
  const [busy, setBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const base = `/api/v1/projects/${projectId}/webhooks`;

  const refresh = useCallback(async () => {
    const r = await apiFetch<{ items: WebhookOut[] }>(base);
    if (r.ok) setHooks(r.data.items);
  }, [base]);

  async function act(w: WebhookOut, run: () => Promise<{ ok: boolean; error?: { message: string } }>) {
    setBusy(w.id);
    setRowError(null);
    const r = await run();
    setBusy(null);
    if (!r.ok) setRowError({ id: w.id, message: r.error?.message ?? "Failed." });
    await refresh();
    return r.ok;
  }

  const ping = (w: WebhookOut) =>
    act(w, () => apiFetch(`${base}/${w.id}/test`, { method: "POST" })).then((ok) => {
      if (!ok) return;
      setOpen(w.id);
      setReloadKey((k) => k + 1);
    });
  const toggle = (w: WebhookOut, active: boolean) => act(w, () => apiFetch(`${base}/${w.id}`, { method: "PATCH", body: { active } }));
  const rotate = (w: WebhookOut) => {
    if (!window.confirm(`Rotate the signing secret of ${w.url}? The current secret stops working at once; deliveries are signed with the new one.`)) return;
    let secret: string | undefined;
    void act(w, async () => {
      const r = await apiFetch<WebhookOut & { secret?: string }>(`${base}/${w.id}`, { method: "PATCH", body: { rotateSecret: true } });
      if (r.ok) secret = r.data.secret;
      return r;
    }).then((ok) => {
      if (ok && secret) setCreated({ secret, url: w.url, rotated: true });
    });
  };
  const remove = (w: WebhookOut) => {
    if (!window.confirm(`Delete the webhook to ${w.url}? Its delivery log is deleted too.`)) return;
    void act(w, () => apiFetch(`${base}/${w.id}`, { method: "DELETE" }));
  };

  return (
    <section className={`${card} space-y-4 p-6`} aria-labelledby="webhooks-h" data-testid="webhooks-settings">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="webhooks-h" className="text-base font-semibold">
            Webhooks
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Loupe POSTs a signed JSON message to your URLs when things happen in this project: start a training job when a dataset version is created, or sync submissions
            to another system. Failed deliveries are retried with backoff for about 2.5 hours.
          </p>
        </div>
        {!adding && hooks.length > 0 && (
          <button type="button" className={btn.primary} onClick={() => setAdding(true)} data-testid="webhook-add">
            <PlusIcon width={16} height={16} /> Add webhook
          </button>
        )}
      </div>

      {created && <NewSecret secret={created.secret} url={created.url} rotated={created.rotated} onDone={() => setCreated(null)} />}

      {adding && (
        <WebhookForm
          projectId={projectId}
          onCancel={() => setAdding(false)}
          onCreated={(w) => {
            setAdding(false);
            setCreated({ secret: w.secret, url: w.url });
            setOpen(w.id);
            void refresh();
          }}
        />
      )}

      {hooks.length === 0 && !adding ? (
        <EmptyState
          icon={<HookIcon />}
          title="No webhooks yet"
          action={
            <button type="button" className={btn.primary} onClick={() => setAdding(true)} data-testid="webhook-add">
              <PlusIcon width={16} height={16} /> Add webhook
            </button>
          }
        >
          Add the URL of your CI or training pipeline and pick events: a version created, an annotation submitted, a task reviewed. Then send a test ping to check it answers.
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {hooks.map((w) => (
            <li key={w.id} className={cx("overflow-hidden rounded-lg border bg-white", w.active ? "border-slate-200" : "border-dashed border-slate-300")} data-testid="webhook-item">
              {editing === w.id ? (
                <div className="p-2">
                  <WebhookForm
                    projectId={projectId}
                    editing={w}
                    onCancel={() => setEditing(null)}
                    onSaved={(next) => {
                      setEditing(null);
                      setHooks((hs) => hs.map((h) => (h.id === next.id ? next : h)));
                      void refresh();
                      // Focus back on the row's Edit button, so the keyboard user is where they were.
                      setTimeout(() => document.getElementById(`webhook-edit-${w.id}`)?.focus(), 0);
                    }}
                  />
                </div>
              ) : (
              <div className="flex flex-wrap items-start gap-3 px-4 py-3">
                <div className="pt-0.5">
                  <Toggle on={w.active} label={`${w.active ? "Pause" : "Resume"} webhook ${w.url}`} disabled={busy === w.id} onChange={(v) => void toggle(w, v)} />
                </div>
                <div className="min-w-0 flex-1">
                  <div className={cx("break-all font-mono text-sm", w.active ? "text-slate-900" : "text-slate-500")}>{w.url}</div>
                  {w.description && <div className="mt-0.5 text-sm text-slate-600">{w.description}</div>}
                  <div className="mt-2 flex flex-wrap items-center gap-1.5">
                    {w.events.map((e) => (
                      <Pill key={e} tone="indigo">
                        {e}
                      </Pill>
                    ))}
                    {!w.active && <Pill>Paused</Pill>}
                  </div>
                  <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500">
                    <span className="inline-flex items-center gap-1.5" data-testid="webhook-last">
                      {w.lastDelivery ? (
                        <>
                          <span className="whitespace-nowrap">Last delivery</span>
                          <DeliveryStatusBadge status={w.lastDelivery.status} attempts={w.lastDelivery.attempts} />
                          <span className="whitespace-nowrap" title={w.lastDelivery.at}>
                            <span className="font-mono">{w.lastDelivery.event}</span>
                            {w.lastDelivery.responseStatus !== null && <> · HTTP {w.lastDelivery.responseStatus}</>} · {formatDateTime(Date.parse(w.lastDelivery.at))}
                          </span>
                        </>
                      ) : (
                        <span>No deliveries yet</span>
                      )}
                    </span>
                    <span className="whitespace-nowrap">
                      Secret <code className="rounded bg-slate-100 px-1 font-mono text-slate-600">{w.secretPrefix}</code>
                    </span>
                  </div>
                </div>
                <div className="flex shrink-0 items-center gap-1.5">
                  <button type="button" className={btn.small} disabled={busy === w.id || !w.active} onClick={() => void ping(w)} data-testid="webhook-ping" title={w.active ? undefined : "Resume the webhook first"}>
                    Send test ping
                  </button>
                  <button type="button" className={btn.small} aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)} data-testid="webhook-log-toggle">
                    {open === w.id ? "Hide log" : "Delivery log"}
                  </button>
                  <button type="button" id={`webhook-edit-${w.id}`} className={btn.small} disabled={busy === w.id} onClick={() => setEditing(w.id)} aria-label={`Edit webhook ${w.url}`} data-testid="webhook-edit">
                    Edit
                  </button>
                  <button type="button" className={btn.small} disabled={busy === w.id} onClick={() => rotate(w)} aria-label={`Rotate the signing secret of ${w.url}`} data-testid="webhook-rotate">
                    Rotate secret
                  </button>
                  <button type="button" className={btn.smallDanger} disabled={busy === w.id} onClick={() => remove(w)} aria-label={`Delete webhook ${w.url}`}>
                    Delete
                  </button>
                </div>
              </div>
              )}
              {rowError?.id === w.id && (
                <p role="alert" className="px-4 pb-2 text-xs text-rose-700">
                  {rowError.message}
                </p>
              )}
              {open === w.id && <DeliveryLog projectId={projectId} webhookId={w.id} reloadKey={reloadKey} onChange={() => void refresh()} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

"use client";
// "Add webhook": URL, events, optional description and secret. Field errors come from the API (422).
import { useState } from "react";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, labelText } from "../ui/styles";
import { FieldError, Notice } from "../ui/notice";
import { EVENT_HELP } from "./webhook-badges";
import type { WebhookOut } from "@/lib/server/webhooks";

export function WebhookForm({
  projectId,
  onCreated,
  onCancel,
}: {
  projectId: number;
  onCreated: (w: WebhookOut & { secret: string }) => void;
  onCancel: () => void;
}) {
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [ownSecret, setOwnSecret] = useState(false);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const secret = String(f.get("secret") ?? "").trim();
    setBusy(true);
    setError(null);
    const r = await apiFetch<WebhookOut & { secret: string }>(`/api/v1/projects/${projectId}/webhooks`, {
      method: "POST",
      body: {
        url: String(f.get("url") ?? ""),
        events: f.getAll("events").map(String),
        description: String(f.get("description") ?? ""),
        ...(ownSecret && secret ? { secret } : {}),
      },
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onCreated(r.data);
  }

  const urlErr = errorFor(error, "url");
  const eventsErr = errorFor(error, "events");
  const secretErr = errorFor(error, "secret");
  const other = error && !["url", "events", "secret"].some((f) => errorFor(error, f));
  return (
    <form onSubmit={submit} noValidate className={cx(card, "space-y-4 border-indigo-200 p-4 ring-1 ring-indigo-100")} aria-labelledby="wh-form-h" data-testid="webhook-form">
      <h3 id="wh-form-h" className="text-sm font-semibold text-slate-900">
        Add a webhook
      </h3>
      <div>
        <label htmlFor="wh-url" className={labelText}>
          Payload URL
        </label>
        <input
          id="wh-url"
          name="url"
          type="url"
          required
          autoFocus
          placeholder="https://ci.example.com/hooks/loupe"
          aria-invalid={!!urlErr}
          aria-describedby="wh-url-help"
          className={cx(input, "mt-1 font-mono text-xs", urlErr && inputInvalid)}
          data-testid="webhook-url"
        />
        <p id="wh-url-help" className="mt-1 text-xs text-slate-500">
          Loupe sends an HTTP POST with a JSON body. Private, loopback and link-local addresses are refused unless the operator allowlists them.
        </p>
        <FieldError message={urlErr} />
      </div>
      <fieldset>
        <legend className={labelText}>Events</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-3">
          {EVENT_HELP.map((e) => (
            <label key={e.event} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-2.5 text-sm hover:bg-slate-50 has-[:checked]:border-indigo-300 has-[:checked]:bg-indigo-50/50">
              <input type="checkbox" name="events" value={e.event} defaultChecked className={cx(checkbox, "mt-0.5 shrink-0")} />
              <span>
                <span className="block font-medium text-slate-800">{e.title}</span>
                <span className="block font-mono text-[11px] text-slate-500">{e.event}</span>
                <span className="mt-0.5 block text-xs text-slate-500">{e.help}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError message={eventsErr} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="wh-desc" className={labelText}>
            Description <span className="font-normal text-slate-400">(optional)</span>
          </label>
          <input id="wh-desc" name="description" maxLength={500} placeholder="e.g. retrain on new versions" className={cx(input, "mt-1")} />
        </div>
        <div>
          <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
            <input type="checkbox" className={checkbox} checked={ownSecret} onChange={(e) => setOwnSecret(e.target.checked)} />
            Use my own signing secret
          </label>
          {ownSecret ? (
            <>
              <input
                name="secret"
                aria-label="Signing secret"
                minLength={16}
                placeholder="at least 16 characters"
                aria-invalid={!!secretErr}
                className={cx(input, "mt-1 font-mono text-xs", secretErr && inputInvalid)}
              />
              <FieldError message={secretErr} />
            </>
          ) : (
            <p className="mt-1.5 text-xs text-slate-500">Otherwise Loupe generates a random secret and shows it once.</p>
          )}
        </div>
      </div>
      {other && error && <Notice>{summary(error)}</Notice>}
      <div className="flex items-center gap-2">
        <button type="submit" className={btn.primary} disabled={busy} data-testid="webhook-create">
          {busy ? "Adding…" : "Add webhook"}
        </button>
        <button type="button" className={btn.secondary} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

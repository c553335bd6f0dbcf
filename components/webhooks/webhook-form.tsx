"use client";
// "Add webhook" (POST) and "Edit webhook" (PATCH with only the changed fields): URL, events,
// description, and on create an optional own secret, on edit the on/off switch. Field errors come
// from the API (422) and are shown next to their field. Escape cancels.
import { useState } from "react";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, kbd, labelText } from "../ui/styles";
import { FieldError, Notice } from "../ui/notice";
import { EVENT_HELP } from "./webhook-badges";
import type { WebhookOut } from "@/lib/server/webhooks";

const KNOWN_EVENTS = new Set(EVENT_HELP.map((e) => e.event));

export function WebhookForm({
  projectId,
  onCreated,
  onCancel,
  editing,
  onSaved,
}: {
  projectId: number;
  onCreated?: (w: WebhookOut & { secret: string }) => void;
  onCancel: () => void;
  /** Edit this webhook instead of adding one. */
  editing?: WebhookOut;
  onSaved?: (w: WebhookOut) => void;
}) {
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);
  const [ownSecret, setOwnSecret] = useState(false);
  const idp = editing ? `wh-edit-${editing.id}` : "wh";

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const secret = String(f.get("secret") ?? "").trim();
    setBusy(true);
    setError(null);
    if (editing) {
      const url = String(f.get("url") ?? "");
      const events = f.getAll("events").map(String);
      const description = String(f.get("description") ?? "");
      const active = f.get("active") === "on";
      const sameEvents = events.length === editing.events.length && events.every((x) => editing.events.includes(x as never));
      // Only what changed: an unchanged URL is not re-checked (the allowlist may have changed since).
      const body = {
        ...(url.trim() !== editing.url ? { url } : {}),
        ...(!sameEvents ? { events } : {}),
        ...(description.trim() !== editing.description ? { description } : {}),
        ...(active !== editing.active ? { active } : {}),
      };
      const r = Object.keys(body).length
        ? await apiFetch<WebhookOut>(`/api/v1/projects/${projectId}/webhooks/${editing.id}`, { method: "PATCH", body })
        : ({ ok: true, data: editing } as const);
      setBusy(false);
      if (!r.ok) return setError(r.error);
      return onSaved?.(r.data);
    }
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
    onCreated?.(r.data);
  }

  const urlErr = errorFor(error, "url");
  const eventsErr = errorFor(error, "events");
  const secretErr = errorFor(error, "secret");
  const descErr = errorFor(error, "description");
  const activeErr = errorFor(error, "active");
  const other = error && !["url", "events", "secret", "description", "active"].some((f) => errorFor(error, f));
  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !busy) {
          e.preventDefault();
          onCancel();
        }
      }}
      noValidate
      className={cx(card, "space-y-4 border-indigo-200 p-4 ring-1 ring-indigo-100")}
      aria-labelledby={`${idp}-form-h`}
      data-testid={editing ? "webhook-edit-form" : "webhook-form"}
    >
      <h3 id={`${idp}-form-h`} className="text-sm font-semibold text-slate-900">
        {editing ? "Edit webhook" : "Add a webhook"}
      </h3>
      <div>
        <label htmlFor={`${idp}-url`} className={labelText}>
          Payload URL
        </label>
        <input
          id={`${idp}-url`}
          name="url"
          type="url"
          required
          autoFocus
          defaultValue={editing?.url}
          placeholder="https://ci.example.com/hooks/loupe"
          aria-invalid={!!urlErr}
          aria-describedby={`${idp}-url-help`}
          className={cx(input, "mt-1 font-mono text-xs", urlErr && inputInvalid)}
          data-testid="webhook-url"
        />
        <p id={`${idp}-url-help`} className="mt-1 text-xs text-slate-500">
          Loupe sends an HTTP POST with a JSON body. Private, loopback and link-local addresses are refused unless the operator allowlists them.
        </p>
        <FieldError message={urlErr} />
      </div>
      <fieldset>
        <legend className={labelText}>Events</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-3">
          {EVENT_HELP.map((e) => (
            <label key={e.event} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-2.5 text-sm hover:bg-slate-50 has-[:checked]:border-indigo-300 has-[:checked]:bg-indigo-50/50">
              <input
                type="checkbox"
                name="events"
                value={e.event}
                defaultChecked={editing ? editing.events.includes(e.event as never) : true}
                className={cx(checkbox, "mt-0.5 shrink-0")}
              />
              <span>
                <span className="block font-medium text-slate-800">{e.title}</span>
                <span className="block font-mono text-[11px] text-slate-500">{e.event}</span>
                <span className="mt-0.5 block text-xs text-slate-500">{e.help}</span>
              </span>
            </label>
          ))}
        </div>
        {/* Events set through the API that the form has no box for (e.g. "ping") are kept. */}
        {editing?.events.filter((x) => !KNOWN_EVENTS.has(x)).map((x) => <input key={x} type="hidden" name="events" value={x} />)}
        <FieldError message={eventsErr} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={`${idp}-desc`} className={labelText}>
            Description <span className="font-normal text-slate-400">(optional)</span>
          </label>
          <input
            id={`${idp}-desc`}
            name="description"
            maxLength={500}
            defaultValue={editing?.description}
            placeholder="e.g. retrain on new versions"
            aria-invalid={!!descErr}
            className={cx(input, "mt-1", descErr && inputInvalid)}
          />
          <FieldError message={descErr} />
        </div>
        {editing ? (
          <div>
            <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
              <input type="checkbox" name="active" defaultChecked={editing.active} className={checkbox} data-testid="webhook-active" />
              Active
            </label>
            <p className="mt-1.5 text-xs text-slate-500">A paused webhook keeps its events queued and sends them when it is turned back on.</p>
            <FieldError message={activeErr} />
          </div>
        ) : (
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
        )}
      </div>
      {other && error && <Notice>{summary(error)}</Notice>}
      <div className="flex items-center gap-2">
        <button type="submit" className={btn.primary} disabled={busy} data-testid={editing ? "webhook-save" : "webhook-create"}>
          {editing ? (busy ? "Saving…" : "Save changes") : busy ? "Adding…" : "Add webhook"}
        </button>
        <button type="button" className={btn.secondary} onClick={onCancel}>
          Cancel
        </button>
        <span className="ml-auto hidden text-xs text-slate-400 sm:inline">
          <kbd className={kbd}>Enter</kbd> {editing ? "save" : "add"} · <kbd className={kbd}>Esc</kbd> cancel
        </span>
      </div>
    </form>
  );
}

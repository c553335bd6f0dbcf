"use client";
// "New version": name, release notes, filter (status, labels, dates) and an optional seeded split.
// Submits with Ctrl+Enter (Cmd+Enter on macOS); Esc closes. The server validates (422 + field).
import { useEffect, useRef, useState } from "react";
import type { BuildView } from "@/lib/server/version-builds";
import { apiFetch, errorFor, summary, type ApiErrorBody } from "@/components/ui/api";
import { btn, card, checkbox, cx, input, inputInvalid, kbd, labelText } from "@/components/ui/styles";
import { FieldError, Notice } from "@/components/ui/notice";

/** Fields shown next to their input; errors on anything else go to the banner. */
const SHOWN = ["name", "filter.status", "filter.labels", "filter.from", "filter.to", "split"];

export interface LabelOption {
  name: string;
  color: string | null;
}

export function NewVersionForm({ projectId, labels, onQueued, onCancel }: { projectId: number; labels: LabelOption[]; onQueued: (b: BuildView) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [notes, setNotes] = useState("");
  const [status, setStatus] = useState<"submitted" | "reviewed">("submitted");
  const [picked, setPicked] = useState<string[]>([]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [splitOn, setSplitOn] = useState(false);
  const [seed, setSeed] = useState("42");
  const [pct, setPct] = useState({ train: 80, val: 10, test: 10 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => nameRef.current?.focus(), []);

  const sum = pct.train + pct.val + pct.test;
  const localSplitError = splitOn && Math.abs(sum - 100) > 1e-9 ? `Train, val and test must add up to 100 % (now ${sum} %).` : null;

  async function submit() {
    if (busy) return;
    if (localSplitError) {
      setError({ code: "invalid", message: localSplitError, field: "split.train" });
      return;
    }
    setBusy(true);
    setError(null);
    const filter: Record<string, unknown> = { status };
    if (picked.length) filter.labels = picked;
    if (from) filter.from = from;
    // A date means "up to the end of that day" (UTC).
    if (to) filter.to = `${to}T23:59:59.999Z`;
    const body: Record<string, unknown> = { name: name.trim() || undefined, notes: notes || undefined, filter };
    if (splitOn) body.split = { seed: /^-?\d+$/.test(seed.trim()) ? Number(seed.trim()) : seed.trim(), train: pct.train / 100, val: pct.val / 100, test: pct.test / 100 };
    const r = await apiFetch<{ build: BuildView }>(`/api/v1/projects/${projectId}/versions`, { method: "POST", body });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onQueued(r.data.build);
  }

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
    }
  }

  const toggle = (l: string) => setPicked((p) => (p.includes(l) ? p.filter((x) => x !== l) : [...p, l]));
  const fieldErr = (f: string) => errorFor(error, f);

  return (
    <form
      aria-label="New version"
      className={cx(card, "p-5")}
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-base font-semibold text-slate-900">New version</h3>
        <p className="hidden text-xs text-slate-500 sm:block">
          <kbd className={kbd}>Ctrl</kbd> + <kbd className={kbd}>Enter</kbd> create · <kbd className={kbd}>Esc</kbd> close
        </p>
      </div>
      {error && !SHOWN.some((f) => error.field === f || error.field?.startsWith(f + ".")) && <Notice className="mt-3">{summary(error)}</Notice>}

      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor="v-name" className={labelText}>
            Name <span className="font-normal text-slate-400">(optional, default v&lt;number&gt;)</span>
          </label>
          <input id="v-name" ref={nameRef} className={cx(input, "mt-1", fieldErr("name") && inputInvalid)} value={name} maxLength={200} placeholder="e.g. night shots, first pass" onChange={(e) => setName(e.target.value)} />
          <FieldError message={fieldErr("name")} />
        </div>
        <fieldset>
          <legend className={labelText}>Annotations</legend>
          <div className="mt-2 flex gap-4 text-sm text-slate-700">
            {(["submitted", "reviewed"] as const).map((s) => (
              <label key={s} className="inline-flex items-center gap-2">
                <input type="radio" name="v-status" className={checkbox} checked={status === s} onChange={() => setStatus(s)} />
                {s === "submitted" ? "All submitted" : "Reviewed only"}
              </label>
            ))}
          </div>
          <FieldError message={fieldErr("filter.status")} />
        </fieldset>
        <div className="md:col-span-2">
          <label htmlFor="v-notes" className={labelText}>
            Release notes
          </label>
          <textarea id="v-notes" rows={2} className={cx(input, "mt-1")} value={notes} placeholder="What changed since the last version, known issues…" onChange={(e) => setNotes(e.target.value)} />
        </div>
        <fieldset className="md:col-span-2">
          <legend className={labelText}>
            Labels <span className="font-normal text-slate-400">(keep annotations that use any of these; none selected = all)</span>
          </legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {labels.length === 0 && <span className="text-sm text-slate-400">This project has no labels in its schema.</span>}
            {labels.map((l) => {
              const on = picked.includes(l.name);
              return (
                <button
                  key={l.name}
                  type="button"
                  aria-pressed={on}
                  onClick={() => toggle(l.name)}
                  className={cx(
                    "inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-sm ring-1 ring-inset transition-colors",
                    on ? "bg-indigo-50 text-indigo-800 ring-indigo-300" : "bg-white text-slate-600 ring-slate-200 hover:bg-slate-50",
                  )}
                >
                  <span className="h-2.5 w-2.5 rounded-full" style={{ background: l.color ?? "#94a3b8" }} aria-hidden="true" />
                  {l.name}
                </button>
              );
            })}
          </div>
          <FieldError message={fieldErr("filter.labels")} />
        </fieldset>
        <div>
          <label htmlFor="v-from" className={labelText}>
            Written from <span className="font-normal text-slate-400">(optional)</span>
          </label>
          <input id="v-from" type="date" className={cx(input, "mt-1", fieldErr("filter.from") && inputInvalid)} value={from} onChange={(e) => setFrom(e.target.value)} />
          <FieldError message={fieldErr("filter.from")} />
        </div>
        <div>
          <label htmlFor="v-to" className={labelText}>
            As of <span className="font-normal text-slate-400">(optional, end of that day UTC)</span>
          </label>
          <input id="v-to" type="date" className={cx(input, "mt-1", fieldErr("filter.to") && inputInvalid)} value={to} onChange={(e) => setTo(e.target.value)} />
          <FieldError message={fieldErr("filter.to")} />
        </div>
        <fieldset className="md:col-span-2 rounded-md border border-slate-200 p-3">
          <legend className="px-1">
            <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
              <input type="checkbox" className={checkbox} checked={splitOn} onChange={(e) => setSplitOn(e.target.checked)} />
              Split into train / val / test
            </label>
          </legend>
          {splitOn ? (
            <div className="grid gap-3 sm:grid-cols-4">
              <div>
                <label htmlFor="v-seed" className={labelText}>
                  Seed
                </label>
                <input id="v-seed" className={cx(input, "mt-1")} value={seed} onChange={(e) => setSeed(e.target.value)} />
              </div>
              {(["train", "val", "test"] as const).map((k) => (
                <div key={k}>
                  <label htmlFor={`v-${k}`} className={labelText}>
                    {k} %
                  </label>
                  <input
                    id={`v-${k}`}
                    type="number"
                    min={0}
                    max={100}
                    className={cx(input, "mt-1", (localSplitError || fieldErr("split")) && inputInvalid)}
                    value={pct[k]}
                    onChange={(e) => setPct((p) => ({ ...p, [k]: Number(e.target.value) }))}
                  />
                </div>
              ))}
              <p className="text-xs text-slate-500 sm:col-span-4">
                A task&apos;s split depends only on the seed, its id and the ratios, so it keeps its split in every version made with the same seed.
              </p>
              <div className="sm:col-span-4">
                <FieldError message={localSplitError ?? fieldErr("split")} />
              </div>
            </div>
          ) : (
            <p className="text-xs text-slate-500">No split: exporters put everything in train.</p>
          )}
        </fieldset>
      </div>
      <div className="mt-5 flex items-center justify-end gap-2">
        <button type="button" className={btn.secondary} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={btn.primary} disabled={busy}>
          {busy ? "Queuing…" : "Create version"}
        </button>
      </div>
    </form>
  );
}

"use client";
// Text projects: the pre-labelling dictionary. One entry per line, `term<TAB>label` (or
// `/regex/i<TAB>label`); paste it or load a .txt/.tsv file. Annotators run it with "Pre-label" (P)
// in the editor, which adds the matches as predictions to accept or delete.
import { useState } from "react";
import { apiFetch, summary, type ApiErrorBody } from "../ui/api";
import { btn, card, cx, input } from "../ui/styles";
import { Notice } from "../ui/notice";

export function DictionarySettings({ projectId, initial, labels }: { projectId: number; initial: string; labels: string[] }) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    setError(null);
    const r = await apiFetch<{ entries: unknown[] }>(`/api/v1/projects/${projectId}/dictionary`, { method: "PUT", body: { text } });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setSaved(r.data.entries.length);
  }

  async function load(f: File | undefined) {
    if (!f) return;
    if (f.size > 5_000_000) return setError({ code: "too_large", message: "That file is larger than 5 MB." });
    setText(await f.text());
    setSaved(null);
  }

  const line = error?.field?.startsWith("text.") ? Number(error.field.slice(5)) : null;
  return (
    <section className={`${card} space-y-3 p-6`} aria-labelledby="dict-h" data-testid="dictionary-settings">
      <div>
        <h2 id="dict-h" className="text-base font-semibold">
          Pre-labelling dictionary
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          For projects without a model: annotators press <span className="font-medium">Pre-label</span> (P) in the editor and every match becomes a prediction they accept or
          delete. One entry per line: a term, a Tab, a label ({labels.length ? labels.join(", ") : "add labels first"}). Terms match whole words, any case; add a third column{" "}
          <code className="rounded bg-slate-100 px-1">case</code> to match exact case. <code className="rounded bg-slate-100 px-1">/regex/i</code> instead of a term matches a
          regular expression. Lines starting with # are comments.
        </p>
      </div>
      {error && <Notice>{line ? `Line ${line}: ${summary(error).replace(/^text: line \d+: /, "")}` : summary(error)}</Notice>}
      {saved !== null && !error && <Notice tone="success">Saved {saved} entr{saved === 1 ? "y" : "ies"}.</Notice>}
      <textarea
        aria-label="Dictionary entries"
        data-testid="dictionary-text"
        rows={10}
        spellCheck={false}
        className={cx(input, "font-mono text-xs")}
        placeholder={"Paris\tLOC\nEuropean Union\tORG\n/Dr\\. [A-Z]\\w+/\tPER"}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setSaved(null);
        }}
        onKeyDown={(e) => {
          // Tab separates term and label here, rather than leaving the field.
          if (e.key !== "Tab" || e.shiftKey) return;
          e.preventDefault();
          const t = e.currentTarget;
          const { selectionStart: a, selectionEnd: b } = t;
          setText(text.slice(0, a) + "\t" + text.slice(b));
          requestAnimationFrame(() => t.setSelectionRange(a + 1, a + 1));
        }}
      />
      <div className="flex items-center gap-2">
        <button type="button" className={btn.primary} disabled={busy} onClick={() => void save()} data-testid="dictionary-save">
          {busy ? "Saving…" : "Save dictionary"}
        </button>
        <label className={cx(btn.secondary, "cursor-pointer")}>
          Load a file…
          <input type="file" accept=".txt,.tsv,text/plain,text/tab-separated-values" className="sr-only" onChange={(e) => void load(e.target.files?.[0])} />
        </label>
        <span className="text-xs text-slate-500">{text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#")).length} lines</span>
      </div>
    </section>
  );
}

"use client";
import { useState } from "react";
import Link from "next/link";
import { apiFetch, type ApiErrorBody } from "../ui/api";
import { btn, cx, input } from "../ui/styles";
import { Notice } from "../ui/notice";
import { FailureList } from "./failure-list";
import { failuresIn, type ImportResponse } from "./upload-queue";

const MAX_URLS = 1000;

export function UrlImport({ projectId }: { projectId: number }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResponse | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const urls = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setResult(null);
    setError(null);
    if (urls.length === 0) {
      setError({ code: "invalid", message: "Paste at least one URL, one per line.", field: "urls" });
      return;
    }
    if (urls.length > MAX_URLS) {
      setError({ code: "invalid", message: `At most ${MAX_URLS} URLs per import; split the list.`, field: "urls" });
      return;
    }
    setBusy(true);
    const r = await apiFetch<ImportResponse>(`/api/v1/projects/${projectId}/import`, { method: "POST", body: { urls } });
    setBusy(false);
    if (r.ok) {
      setResult({ created: r.data?.created ?? 0, failed: r.data?.failed ?? [] });
      if ((r.data?.failed ?? []).length === 0) setText("");
    } else {
      const detail = failuresIn(r.body);
      // Per-URL failures are listed below; the summary error would only repeat the first one.
      if (detail) setResult(detail);
      else setError(r.error);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <label htmlFor="import-urls" className="block text-sm font-medium text-slate-700">
        URLs, one per line
      </label>
      <textarea
        id="import-urls"
        name="urls"
        rows={5}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        placeholder={"https://example.com/images/0001.jpg\nhttps://example.com/images/0002.jpg"}
        aria-invalid={!!error}
        aria-describedby={error ? "import-urls-error" : undefined}
        className={cx(input, "font-mono text-xs")}
      />
      {error && (
        <p id="import-urls-error" role="alert" className="text-sm text-rose-700">
          {error.message}
        </p>
      )}
      <div className="flex items-center gap-3">
        <button type="submit" className={btn.primary} disabled={busy}>
          {busy ? "Importing…" : urls.length ? `Import ${urls.length} URL${urls.length === 1 ? "" : "s"}` : "Import URLs"}
        </button>
        <span className="text-xs text-slate-500">The server downloads each URL; only http(s) links to public hosts are fetched.</span>
      </div>
      {result && (
        <Notice tone={result.created > 0 ? "success" : "error"}>
          {result.created} task{result.created === 1 ? "" : "s"} created
          {result.failed.length > 0 && `, ${result.failed.length} failed`}.
          {result.created > 0 && (
            <>
              {" "}
              <Link className="font-medium underline" href={`/projects/${projectId}/data`}>
                View data
              </Link>
            </>
          )}
          <FailureList failures={result.failed} />
        </Notice>
      )}
    </form>
  );
}

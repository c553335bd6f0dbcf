"use client";
// Editing the label schema: each save is a new version (PUT …/schema); export/import as JSON.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { DataType } from "@/lib/labeling-config/schema";
import { apiFetch, summary, type ApiErrorBody } from "../ui/api";
import { btn, card } from "../ui/styles";
import { Notice } from "../ui/notice";
import { SchemaEditor } from "../schema-editor/schema-editor";
import { fromConfig, toConfig, type SchemaDraft } from "../schema-editor/model";

export function SchemaSettings({ projectId, projectName, dataType, version: initialVersion, schema }: { projectId: number; projectName: string; dataType: DataType; version: number; schema: unknown }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState<SchemaDraft>(() => fromConfig(schema));
  const [version, setVersion] = useState(initialVersion);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [note, setNote] = useState<{ tone: "success" | "info" | "error"; text: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);

  const change = (d: SchemaDraft) => {
    setDraft(d);
    setDirty(true);
    setNote(null);
  };

  async function save() {
    setBusy(true);
    setError(null);
    setNote(null);
    const r = await apiFetch<{ version: number; schema: unknown }>(`/api/v1/projects/${projectId}/schema`, { method: "PUT", body: toConfig(draft, dataType) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setVersion(r.data.version);
    setDraft(fromConfig(r.data.schema));
    setDirty(false);
    setNote({ tone: "success", text: `Saved as version ${r.data.version}. New annotations use it; existing ones keep the version they were made with.` });
    router.refresh();
  }

  function exportJson() {
    const blob = new Blob([JSON.stringify(toConfig(draft, dataType), null, 2) + "\n"], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${projectName.replace(/[^a-z0-9-_]+/gi, "-").replace(/^-+|-+$/g, "").toLowerCase() || "project"}-schema-v${version}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function importJson(file: File) {
    setError(null);
    try {
      const parsed: unknown = JSON.parse(await file.text());
      // Accept the bare schema or the GET …/schema shape {version, schema}.
      const raw = parsed && typeof parsed === "object" && "schema" in parsed && !("labels" in parsed) ? (parsed as { schema: unknown }).schema : parsed;
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error("expected a JSON object with labels");
      change(fromConfig(raw));
      setNote({ tone: "info", text: `Loaded ${file.name}. Review it, then save to create a new version.` });
    } catch (e) {
      setNote({ tone: "error", text: `Could not read ${file.name}: ${(e as Error).message}` });
    }
  }

  return (
    <section className={`${card} p-6`} aria-labelledby="schema-h">
      <div className="mb-5 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="schema-h" className="text-base font-semibold">
            Label schema <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600">version {version}</span>
          </h2>
          <p className="text-xs text-slate-500">Saving creates a new schema version; earlier versions stay readable.</p>
        </div>
        <div className="flex gap-2">
          <button type="button" className={btn.secondary} onClick={exportJson}>
            Export JSON
          </button>
          <button type="button" className={btn.secondary} onClick={() => fileRef.current?.click()}>
            Import JSON…
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            aria-label="Import a label schema from a JSON file"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importJson(f);
              e.target.value = "";
            }}
          />
        </div>
      </div>
      {note && (
        <Notice tone={note.tone} className="mb-4">
          {note.text}
        </Notice>
      )}
      {error && <Notice className="mb-4">{summary(error)}</Notice>}
      <SchemaEditor dataType={dataType} value={draft} onChange={change} error={error} />
      <div className="mt-6 flex items-center justify-end gap-3 border-t border-slate-100 pt-4">
        {dirty && <span className="text-sm text-amber-700">Unsaved changes</span>}
        <button type="button" className={btn.primary} disabled={busy} onClick={() => void save()}>
          {busy ? "Saving…" : "Save schema"}
        </button>
      </div>
    </section>
  );
}

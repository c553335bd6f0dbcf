"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { apiFetch } from "../ui/api";
import { btn, input } from "../ui/styles";
import { Notice } from "../ui/notice";

export function DangerZone({ projectId, projectName }: { projectId: number; projectName: string }) {
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onDelete(e: React.FormEvent) {
    e.preventDefault();
    if (typed !== projectName) return;
    setBusy(true);
    const r = await apiFetch(`/api/v1/projects/${projectId}`, { method: "DELETE" });
    if (!r.ok) {
      setBusy(false);
      return setError(r.error.message);
    }
    router.push("/projects");
    router.refresh();
  }

  return (
    <form onSubmit={onDelete} className="rounded-lg border border-rose-200 bg-white p-6 shadow-sm" aria-labelledby="danger-h">
      <h2 id="danger-h" className="text-base font-semibold text-rose-700">
        Danger zone
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Deleting the project removes all its tasks, annotations, predictions and schema versions. This cannot be undone.
      </p>
      <label htmlFor="confirm-name" className="mt-4 block text-sm text-slate-700">
        Type <strong className="select-all break-all font-mono">{projectName}</strong> to confirm
      </label>
      <div className="mt-1 flex flex-wrap gap-3">
        <input id="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" className={`${input} max-w-sm`} />
        <button type="submit" className={btn.danger} disabled={busy || typed !== projectName}>
          {busy ? "Deleting…" : "Delete project"}
        </button>
      </div>
      {error && <Notice className="mt-3">{error}</Notice>}
    </form>
  );
}

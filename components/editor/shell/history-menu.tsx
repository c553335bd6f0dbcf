"use client";
// "Your recent tasks": the tasks this user has annotated in the project, newest first, so an
// annotator can go back and fix what they did. Fetched when opened, not on every task load.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { apiFetch } from "@/components/ui/api";
import { StatusBadge } from "@/components/ui/badges";
import { cx } from "@/components/ui/styles";

interface Row {
  id: number;
  status: string;
  fileName: string | null;
  preview: string;
}

export function HistoryMenu({ projectId, taskId }: { projectId: number; taskId: number }) {
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    void apiFetch<{ items: Row[]; total: number }>(`/api/v1/projects/${projectId}/tasks?annotator=me&sort=id&order=desc&limit=30`).then((r) => {
      if (!live) return;
      if (r.ok) setRows(r.data.items);
      else setError(r.error.message);
    });
    const onDown = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    window.addEventListener("mousedown", onDown);
    window.addEventListener("keydown", onKey);
    return () => {
      live = false;
      window.removeEventListener("mousedown", onDown);
      window.removeEventListener("keydown", onKey);
    };
  }, [open, projectId]);

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        className="inline-flex h-8 items-center gap-1 rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-100"
        aria-expanded={open}
        data-testid="history"
        onClick={() => setOpen((o) => !o)}
      >
        Recent ▾
      </button>
      {open && (
        <div className="absolute right-0 top-9 z-30 w-72 rounded-lg border border-slate-200 bg-white py-1 shadow-lg" data-testid="history-list">
          <p className="px-3 py-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Your recent tasks</p>
          {error ? (
            <p className="px-3 py-2 text-xs text-rose-700">{error}</p>
          ) : rows === null ? (
            <p className="px-3 py-2 text-xs text-slate-500">Loading…</p>
          ) : rows.length === 0 ? (
            <p className="px-3 py-2 text-xs text-slate-500">Nothing yet: the tasks you submit or skip appear here.</p>
          ) : (
            <ul className="max-h-80 overflow-y-auto">
              {rows.map((t) => (
                <li key={t.id}>
                  <Link
                    href={`/tasks/${t.id}`}
                    data-testid="history-row"
                    className={cx("flex items-center gap-2 px-3 py-1.5 text-xs hover:bg-slate-50", t.id === taskId && "bg-indigo-50")}
                    onClick={() => setOpen(false)}
                  >
                    <span className="font-mono text-slate-700">#{t.id}</span>
                    <span className="min-w-0 flex-1 truncate text-slate-500">{t.fileName ?? t.preview}</span>
                    <StatusBadge status={t.status} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

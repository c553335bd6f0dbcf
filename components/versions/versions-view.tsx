"use client";
// The versions page: builds in progress (polled, so they survive a reload), the "New version"
// form for managers, the table of versions with downloads, and the compare view.
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { VersionSummary } from "@/lib/server/datasets";
import type { BuildView } from "@/lib/server/version-builds";
import { apiFetch } from "@/components/ui/api";
import { btn, kbd } from "@/components/ui/styles";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { PlusIcon } from "@/components/ui/icons";
import { useHotkey } from "@/components/use-hotkey";
import { NewVersionForm, type LabelOption } from "./new-version-form";
import { BuildList } from "./build-list";
import { VersionsTable, type FormatOption } from "./versions-table";
import { CompareView } from "./compare-view";

const POLL_MS = 800;
const active = (b: BuildView) => b.status === "queued" || b.status === "running";
/** Done builds are listed as versions; cancelled ones leave only the notice saying so. */
const shown = (b: BuildView) => b.status !== "done" && b.status !== "cancelled";
const labelOf = (b: BuildView) => b.name || "Untitled version";

export function VersionsView(props: {
  projectId: number;
  dataType: string;
  versions: VersionSummary[];
  builds: BuildView[];
  labels: LabelOption[];
  formats: FormatOption[];
  canCreate: boolean;
  names: Record<number, string>;
}) {
  const { projectId, versions, canCreate } = props;
  const router = useRouter();
  const [builds, setBuilds] = useState<BuildView[]>(props.builds);
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<number[]>([]);
  const [cancelled, setCancelled] = useState<string[]>([]);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [compare, setCompare] = useState<{ from: number | null; to: number } | null>(null);
  const compareRef = useRef<HTMLDivElement>(null);
  const activeIds = useRef(new Set(props.builds.filter(active).map((b) => b.id)));

  useHotkey("n", () => setFormOpen(true), canCreate && !formOpen);

  const poll = useCallback(async () => {
    const r = await apiFetch<{ items: BuildView[] }>(`/api/v1/projects/${projectId}/versions/builds`);
    if (!r.ok) return;
    const finished = r.data.items.filter((b) => b.status === "done" && activeIds.current.has(b.id));
    const stopped = r.data.items.filter((b) => b.status === "cancelled" && activeIds.current.has(b.id));
    activeIds.current = new Set(r.data.items.filter(active).map((b) => b.id));
    setBuilds(r.data.items.filter(shown));
    if (stopped.length) setCancelled((c) => [...stopped.map(labelOf), ...c].slice(0, 3));
    if (finished.length) {
      setCreated((c) => [...finished.map((b) => b.version ?? 0).filter(Boolean), ...c].slice(0, 3));
      router.refresh(); // the server component re-reads the version list
    }
  }, [projectId, router]);

  const anyActive = builds.some(active);
  useEffect(() => {
    if (!anyActive) return;
    const t = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(t);
  }, [anyActive, poll]);

  function onQueued(b: BuildView) {
    activeIds.current.add(b.id);
    setBuilds((bs) => [b, ...bs.filter((x) => x.id !== b.id)]);
    setFormOpen(false);
    void poll();
  }

  async function dismiss(b: BuildView) {
    const r = await apiFetch(`/api/v1/projects/${projectId}/versions/builds/${b.id}`, { method: "DELETE" });
    if (r.ok || r.status === 404) setBuilds((bs) => bs.filter((x) => x.id !== b.id));
    else void poll();
  }

  /** Stops a running build (the server rolls nothing back: nothing of it was written yet). */
  async function cancelRunning(b: BuildView) {
    if (!window.confirm(`Stop building "${labelOf(b)}"? No version is created and its progress is discarded; start a new build to make it later.`)) return;
    setCancelError(null);
    setBuilds((bs) => bs.map((x) => (x.id === b.id ? { ...x, phase: "cancelling" } : x)));
    const r = await apiFetch<{ build: BuildView }>(`/api/v1/projects/${projectId}/versions/builds/${b.id}`, { method: "DELETE" });
    if (!r.ok && r.status !== 404) setCancelError(r.error.message);
    if (r.ok && r.status === 200 && r.data?.build?.status === "cancelled") {
      activeIds.current.delete(b.id);
      setBuilds((bs) => bs.filter((x) => x.id !== b.id));
      setCancelled((c) => [labelOf(b), ...c].slice(0, 3));
    }
    void poll(); // 202 (still stopping), a 404, or a build that finished first: the list says what happened
  }

  function openCompare(to: number, from: number | null) {
    setCompare({ to, from });
    requestAnimationFrame(() => compareRef.current?.scrollIntoView({ behavior: "smooth", block: "start" }));
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Dataset versions</h2>
          <p className="mt-0.5 max-w-2xl text-sm text-slate-500">
            Immutable snapshots of this project&apos;s annotations: each freezes exact annotation revisions, the label schema and an optional
            train/val/test split, with a SHA-256 over its manifest. Download them in a standard format or pull them from training jobs.
          </p>
        </div>
        {canCreate && !formOpen && (
          <button type="button" className={btn.primary} onClick={() => setFormOpen(true)}>
            <PlusIcon width={16} height={16} /> New version <kbd className={`${kbd} ml-1 border-indigo-400 bg-indigo-500 text-indigo-50`}>N</kbd>
          </button>
        )}
      </div>

      {created.length > 0 && (
        <Notice tone="success">
          Version {created.map((n) => `v${n}`).join(", ")} {created.length > 1 ? "are" : "is"} ready.
        </Notice>
      )}

      {cancelled.length > 0 && (
        <Notice tone="info">
          Cancelled the build of {cancelled.map((n) => `“${n}”`).join(", ")}. No version was created and no version number was used.
        </Notice>
      )}
      {cancelError && <Notice>{cancelError}</Notice>}

      {canCreate && formOpen && <NewVersionForm projectId={projectId} labels={props.labels} onQueued={onQueued} onCancel={() => setFormOpen(false)} />}

      <BuildList builds={builds} names={props.names} canManage={canCreate} onDismiss={dismiss} onCancel={cancelRunning} />

      {versions.length === 0 ? (
        builds.some(active) ? null : (
          <EmptyState
            icon={<PlusIcon />}
            title="No versions yet"
            action={
              canCreate && !formOpen ? (
                <button type="button" className={btn.primary} onClick={() => setFormOpen(true)}>
                  <PlusIcon width={16} height={16} /> Create the first version
                </button>
              ) : undefined
            }
          >
            {canCreate
              ? "A version freezes the submitted annotations as they are now, so a training run can always get the exact same data back. Filter by status, label or date and add a seeded split if you need one."
              : "A project manager creates versions. Once one exists you can download it here in COCO, YOLO and other formats."}
          </EmptyState>
        )
      ) : (
        <VersionsTable projectId={projectId} versions={versions} formats={props.formats} names={props.names} onCompare={openCompare} />
      )}

      {versions.length > 0 && (
        <div ref={compareRef}>
          <CompareView projectId={projectId} versions={versions} selection={compare} onSelect={setCompare} />
        </div>
      )}
    </div>
  );
}

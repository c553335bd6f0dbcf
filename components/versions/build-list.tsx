"use client";
// Builds that are queued (Cancel), running (a progress bar and Cancel, which asks first) or failed
// (with their error and Dismiss).
import type { BuildView } from "@/lib/server/version-builds";
import { ProgressBar } from "@/components/ui/progress";
import { btn, card, cx } from "@/components/ui/styles";
import { formatNumber } from "@/components/ui/format";

const PHASE: Record<string, string> = {
  queued: "Waiting for the builder",
  reading: "Reading annotations",
  writing: "Writing the version",
  cancelling: "Cancelling…",
  failed: "Failed",
};

export function BuildList({ builds, names, canManage, onDismiss, onCancel }: {
  builds: BuildView[];
  names: Record<number, string>;
  canManage: boolean;
  /** Removes a failed build's notice, or cancels a queued build (nothing of it exists yet). */
  onDismiss: (b: BuildView) => void;
  /** Stops a running build (the caller confirms first). */
  onCancel: (b: BuildView) => void;
}) {
  if (builds.length === 0) return null;
  return (
    <section aria-label="Version builds" className="space-y-2">
      {builds.map((b) => {
        const failed = b.status === "failed";
        const label = b.name || "Untitled version";
        const stopping = b.phase === "cancelling";
        return (
          <div
            key={b.id}
            data-testid="build"
            data-status={b.status}
            className={cx(card, "px-4 py-3", failed && "border-rose-200 bg-rose-50/40")}
          >
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900">
                  {failed ? "Build failed: " : "Building "}
                  <span className="font-semibold">{label}</span>
                </p>
                <p className="text-xs text-slate-500">
                  Snapshot as of {new Date(b.asOf).toISOString().replace("T", " ").slice(0, 19)} UTC
                  {b.createdBy !== null && names[b.createdBy] ? ` · by ${names[b.createdBy]}` : ""}
                </p>
              </div>
              <div className="flex items-center gap-3">
                {!failed && (
                  <span className="text-xs tabular-nums text-slate-600" aria-live="polite">
                    {PHASE[b.phase] ?? b.phase}
                    {b.phase === "reading" && b.total > 0 && ` · ${formatNumber(b.done)} / ${formatNumber(b.total)} tasks`}
                  </span>
                )}
                {canManage && (failed || b.status === "queued") && (
                  <button type="button" className={failed ? btn.small : btn.smallDanger} onClick={() => onDismiss(b)}>
                    {failed ? "Dismiss" : "Cancel"}
                  </button>
                )}
                {canManage && b.status === "running" && (
                  <button
                    type="button"
                    className={btn.smallDanger}
                    disabled={stopping}
                    aria-label={`Cancel the build of ${label}`}
                    title="Stop this build: no version is created"
                    onClick={() => onCancel(b)}
                  >
                    {stopping ? "Cancelling…" : "Cancel"}
                  </button>
                )}
              </div>
            </div>
            {failed ? (
              <p role="alert" className="mt-2 rounded-md bg-white px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">
                {b.error ?? "The build failed."}
                <span className="mt-0.5 block text-xs text-slate-500">No version was created. Fix the cause and start a new build; Dismiss removes this notice.</span>
              </p>
            ) : b.status === "queued" ? (
              <div className="mt-2 h-2 w-full overflow-hidden rounded-full bg-slate-100" role="progressbar" aria-label={`${label} is waiting`} aria-busy="true">
                <div className="h-full w-1/4 animate-pulse rounded-full bg-indigo-200" />
              </div>
            ) : (
              <ProgressBar
                className={cx("mt-2", stopping && "opacity-50")}
                label={`Progress of ${label}`}
                value={b.phase === "writing" ? 1 : b.done}
                max={b.phase === "writing" ? 1 : Math.max(b.total, 1)}
              />
            )}
          </div>
        );
      })}
    </section>
  );
}

"use client";
import { btn } from "@/components/ui/styles";

export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-white px-6 py-12 text-center">
      <p className="text-xs font-semibold uppercase tracking-wide text-rose-600">Something went wrong</p>
      <h2 className="mt-2 text-lg font-semibold text-slate-900">This page could not be loaded.</h2>
      <p className="mt-1 text-sm text-slate-500">
        The error has been logged{error.digest ? ` (reference ${error.digest})` : ""}. Try again, or go back to your projects.
      </p>
      <div className="mt-5 flex justify-center gap-3">
        <button type="button" className={btn.primary} onClick={reset}>
          Try again
        </button>
        <a className={btn.secondary} href="/projects">
          Projects
        </a>
      </div>
    </div>
  );
}

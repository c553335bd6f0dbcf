import Link from "next/link";

/** What a member sees on a page their role cannot use (the API would answer 403). */
export function Forbidden({ what, backHref }: { what: string; backHref: string }) {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 px-6 py-10 text-center">
      <p className="text-xs font-semibold uppercase tracking-wide text-amber-700">403 · Not allowed</p>
      <h2 className="mt-2 text-lg font-semibold text-slate-900">Your role cannot {what}.</h2>
      <p className="mt-1 text-sm text-slate-600">Ask a project manager to change your role if you need access.</p>
      <Link href={backHref} className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">
        Back to the project overview
      </Link>
    </div>
  );
}

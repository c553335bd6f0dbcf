import Link from "next/link";
import { LoupeLogo } from "./ui/icons";

export function NotFoundView() {
  return (
    <div className="flex min-h-[50vh] flex-col items-center justify-center px-4 text-center">
      <LoupeLogo width={40} height={40} />
      <p className="mt-4 text-xs font-semibold uppercase tracking-wide text-indigo-600">404</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 max-w-md text-sm text-slate-500">
        It may not exist, or you may not be a member of the project it belongs to.
      </p>
      <Link href="/projects" className="mt-6 rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
        Go to projects
      </Link>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/components/server/guards";
import { NewProjectForm } from "@/components/new-project-form";
import { ArrowLeftIcon } from "@/components/ui/icons";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  const actor = await requireActor("/projects/new");
  return (
    <div className="mx-auto max-w-4xl">
      <Link href="/projects" className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeftIcon width={16} height={16} /> Projects
      </Link>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">New project</h1>
      <p className="mb-6 mt-1 text-sm text-slate-500">
        You ({actor.user.email}) become the project’s manager. You can change everything here later in Settings.
      </p>
      <NewProjectForm />
    </div>
  );
}

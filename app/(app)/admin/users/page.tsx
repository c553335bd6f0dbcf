import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { listUsers } from "@/lib/server/users";
import { requireActor } from "@/components/server/guards";
import { UsersAdmin } from "@/components/users-admin";
import { btn } from "@/components/ui/styles";
import { formatNumber } from "@/components/ui/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

const PER_PAGE = 100;

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor("/admin/users");
  // Not a 403: non-admins should not learn that this page exists.
  if (!actor.user.isAdmin) notFound();
  const sp = await searchParams;
  const page = Math.max(1, Math.floor(Number(sp.page)) || 1);
  const { items, total } = listUsers({ page, limit: PER_PAGE });
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  return (
    <div className="mx-auto max-w-5xl">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <p className="mb-6 mt-1 text-sm text-slate-500">
        {formatNumber(total)} account{total === 1 ? "" : "s"}. Disabled users cannot sign in or use their API tokens. Add people to projects from each project’s Members tab.
      </p>
      <UsersAdmin users={items} meId={actor.user.id} />
      {pages > 1 && (
        <nav aria-label="User pages" className="mt-4 flex items-center justify-center gap-3 text-sm">
          {page > 1 && <Link className={btn.secondary} href={`/admin/users?page=${page - 1}`}>Previous</Link>}
          <span className="text-slate-500">
            Page {page} of {pages}
          </span>
          {page < pages && <Link className={btn.secondary} href={`/admin/users?page=${page + 1}`}>Next</Link>}
        </nav>
      )}
    </div>
  );
}

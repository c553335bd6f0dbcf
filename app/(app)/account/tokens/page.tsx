import type { Metadata } from "next";
import { listTokens } from "@/lib/server/tokens";
import { listProjects } from "@/lib/server/projects";
import { requireActor } from "@/components/server/guards";
import { TokensPanel } from "@/components/tokens-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await requireActor("/account/tokens");
  const tokens = listTokens(actor.user.id);
  const projects = listProjects(actor, { page: 1, limit: 500 }).items.map((p) => ({ id: p.id, name: p.name }));
  return (
    <div className="mx-auto max-w-5xl">
      <h1 className="text-2xl font-semibold tracking-tight">API tokens</h1>
      <p className="mb-6 mt-1 text-sm text-slate-500">
        Tokens act as you ({actor.user.email}) on the REST API, limited to the project and access you choose.
      </p>
      <TokensPanel tokens={tokens} projects={projects} />
    </div>
  );
}

import type { Metadata } from "next";
import { projectGate } from "@/components/server/guards";
import { getLabelConfig } from "@/lib/server/projects";
import { BatchPrelabel } from "@/components/prelabel-batch/batch-panel";
import { Forbidden } from "@/components/forbidden";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pre-label the queue" };

export default async function PrelabelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { access } = await projectGate(`/projects/${id}/prelabel`, id);
  if (!access.can("tasks.label")) return <Forbidden what="pre-label tasks" backHref={`/projects/${id}`} />;
  const p = access.project;
  const labels = getLabelConfig(p.id).schema.labels.map((l) => ({ name: l.name, ...(l.kinds ? { kinds: [...l.kinds] } : {}) }));
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">Pre-label the queue</h2>
        <p className="max-w-3xl text-sm text-slate-500">
          Run a model over many tasks in this browser and store its suggestions as predictions. Annotators then accept, fix or reject them in the editor.
        </p>
      </div>
      <BatchPrelabel project={{ id: p.id, dataType: p.dataType, labels }} canManage={access.can("project.update")} />
    </div>
  );
}

import type { Metadata } from "next";
import { getLabelConfig } from "@/lib/server/projects";
import { projectGate } from "@/components/server/guards";
import { Forbidden } from "@/components/forbidden";
import { ProjectForm } from "@/components/settings/project-form";
import { SchemaSettings } from "@/components/settings/schema-settings";
import { DangerZone } from "@/components/settings/danger-zone";
import { DictionarySettings } from "@/components/settings/dictionary-settings";
import { readDictionary } from "@/lib/server/dictionaries";
import { formatDictionary } from "@/lib/annotation/text/matcher";
import { WebhooksSettings } from "@/components/webhooks/webhooks-settings";
import { webhooksOfProject } from "@/lib/server/webhooks";
import { ModelsSettings } from "@/components/models/models-settings";
import { modelsOfProject } from "@/lib/server/models";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const gate = await projectGate(`/projects/${id}/settings`, id, "project.update");
  const p = gate.access.project;
  if (!gate.ok) return <Forbidden what="change this project's settings" backHref={`/projects/${p.id}`} />;
  const cfg = getLabelConfig(p.id);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <ProjectForm projectId={p.id} initial={{ name: p.name, description: p.description, instructions: p.instructions, overlap: p.overlap, taskOrder: p.taskOrder }} />
      <SchemaSettings projectId={p.id} projectName={p.name} dataType={p.dataType} version={cfg.version} schema={cfg.schema} />
      {p.dataType === "text" && <DictionarySettings projectId={p.id} initial={formatDictionary(readDictionary(p.id).entries)} labels={cfg.schema.labels.map((l) => l.name)} />}
      {(p.dataType === "image" || p.dataType === "text") && (
        <ModelsSettings
          projectId={p.id}
          initial={modelsOfProject(p.id)}
          targets={{ labels: cfg.schema.labels.map((l) => l.name), choices: cfg.schema.classifications.flatMap((c) => c.choices.map((ch) => `${c.name}:${ch}`)) }}
        />
      )}
      {gate.access.can("webhooks.manage") && <WebhooksSettings projectId={p.id} initial={webhooksOfProject(p.id)} />}
      {gate.access.can("project.delete") && <DangerZone projectId={p.id} projectName={p.name} />}
    </div>
  );
}

import type { Metadata } from "next";
import { projectGate } from "@/components/server/guards";
import { Forbidden } from "@/components/forbidden";
import { ImportPanel } from "@/components/import/import-panel";
import { UrlImport } from "@/components/import/url-import";
import { card } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Import" };

const MEDIA_HELP: Record<string, string> = {
  image: "Images (JPEG, PNG, WebP, GIF, …): each file becomes one task.",
  audio: "Audio (MP3, WAV, OGG, FLAC, …): each file becomes one task.",
  video: "Video (MP4, WebM, …): each file becomes one task.",
  text: "Plain-text files (.txt): each file becomes one task with its text.",
};

export default async function ImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const gate = await projectGate(`/projects/${id}/import`, id, "tasks.import");
  const p = gate.access.project;
  if (!gate.ok) return <Forbidden what="import data into this project" backHref={`/projects/${p.id}`} />;

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <section aria-labelledby="upload-h">
          <h2 id="upload-h" className="mb-3 text-base font-semibold">
            Upload files
          </h2>
          <ImportPanel projectId={p.id} dataType={p.dataType} />
        </section>
        <section aria-labelledby="urls-h" className={`${card} p-5`}>
          <h2 id="urls-h" className="mb-3 text-base font-semibold">
            Import from URLs
          </h2>
          <UrlImport projectId={p.id} />
        </section>
      </div>
      <aside className={`${card} h-fit p-5 text-sm text-slate-600`} aria-labelledby="formats-h">
        <h2 id="formats-h" className="mb-3 text-sm font-semibold text-slate-900">
          Accepted formats
        </h2>
        <ul className="list-disc space-y-2 pl-4">
          <li>{MEDIA_HELP[p.dataType]} This project takes {p.dataType} files only; other media types are refused.</li>
          <li>
            <strong>.json</strong>: an array of task objects, e.g. <code className="rounded bg-slate-100 px-1 text-xs">{`[{"${p.dataType === "text" ? "text" : p.dataType}": "…"}]`}</code>, or
            Label Studio’s export format{" "}
            <code className="break-all rounded bg-slate-100 px-1 text-xs">{`[{"data": {...}, "predictions": [...]}]`}</code>; predictions are imported too.
          </li>
          <li>
            <strong>.jsonl</strong>: one task object per line.
          </li>
          <li>
            <strong>.csv</strong>: a header row; each following row becomes a task with those columns as fields.
          </li>
          <li>
            <strong>URLs</strong>: http(s) links to {p.dataType} files; the server downloads each one.
          </li>
        </ul>
        <p className="mt-3 text-xs text-slate-500">
          A task list with any bad row imports nothing from that file; every bad row is listed with its line number so you can fix and retry.
        </p>
      </aside>
    </div>
  );
}

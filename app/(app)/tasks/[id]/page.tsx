import type { Metadata } from "next";
import Link from "next/link";
import { getTask } from "@/lib/server/tasks";
import { idFrom, or404, requireActor } from "@/components/server/guards";
import { MediaView, TextBlock, type ViewMedia } from "@/components/task/media-view";
import { TaskActions } from "@/components/task/task-actions";
import { DataTypeBadge, StatusBadge } from "@/components/ui/badges";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { card } from "@/components/ui/styles";
import { firstHttpUrl, formatDateTime, formatDuration, safeUrl } from "@/components/ui/format";
import { can } from "@/lib/auth/permissions";
import { getDraft, listAnnotations } from "@/lib/server/annotations";
import { getLabelConfig, listMembers } from "@/lib/server/projects";
import ImageEditor from "@/components/editor/image/image-editor";
import { toWire, type EditorWireProps } from "@/components/editor/shell/wire";
import TextEditor from "@/components/editor/text/text-editor";
import { MAX_TEXT_BYTES, taskText, utf8Length } from "@/lib/annotation/text/task-text";
import AudioEditor from "@/components/editor/audio/audio-editor";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Task" };

const MAX_JSON = 200_000;

export default async function TaskPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const actor = await requireActor(`/tasks/${id}`);
  const t = or404(() => getTask(actor, idFrom(id)));
  const principal = { isAdmin: actor.user.isAdmin, role: t.role };
  const seesAll = can(principal, "tasks.readAll");
  const data = (t.data ?? {}) as Record<string, unknown>;

  // Every editor gets the same page props: who may do what, the annotations this user may see
  // and their draft (as one JSON string, see components/editor/shell/wire.ts).
  const editorProps = async (width: number | null, height: number | null): Promise<EditorWireProps> => {
    const sp = await searchParams;
    const rawAid = typeof sp.annotation === "string" ? sp.annotation : null;
    const draft = getDraft(actor, t.id);
    const names: Record<number, string> = {};
    for (const m of listMembers(t.project.id)) names[m.userId] = m.name || m.email;
    names[actor.user.id] = "you";
    return {
      task: { id: t.id, projectId: t.project.id, projectName: t.project.name, prevId: t.prevId, nextId: t.nextId, width, height },
      schema: getLabelConfig(t.project.id).schema,
      userId: actor.user.id,
      canLabel: can(principal, "tasks.label"),
      canReview: can(principal, "annotations.review"),
      documents: toWire({
        annotations: listAnnotations(actor, t.id).map((a) => ({
          id: a.id, taskId: a.taskId, userId: a.userId, status: a.status, skipReason: a.skipReason, revision: a.revision, document: a.document, updatedAt: a.updatedAt,
        })),
        serverDraft: draft ? { document: draft.document, annotationId: draft.annotationId, baseRevision: draft.baseRevision, updatedAt: draft.updatedAt } : null,
      }),
      requestedAnnotation: rawAid && /^[1-9][0-9]{0,15}$/.test(rawAid) ? Number(rawAid) : null,
      names,
      backHref: seesAll ? `/projects/${t.project.id}/data` : `/projects/${t.project.id}`,
    };
  };

  // Editors are keyed by task: moving to another task starts a fresh editor, autosave and timers.
  // Image projects get the annotation editor when the task has an image to draw on.
  if (t.project.dataType === "image") {
    const src = safeUrl(t.media?.kind === "image" ? t.media.url : t.media ? null : firstHttpUrl(data)?.url);
    if (src) return <ImageEditor key={t.id} {...await editorProps(t.media?.width ?? null, t.media?.height ?? null)} src={src} />;
  }

  // Text projects get the span editor on the task's text (data.text, else its first string
  // field), byte for byte as stored: offsets are code points into exactly this string.
  if (t.project.dataType === "text" && !t.media) {
    const text = taskText(data);
    if (text !== null) {
      const bytes = utf8Length(text);
      if (bytes > MAX_TEXT_BYTES) {
        return (
          <div className="mx-auto max-w-xl space-y-4 py-10" data-testid="text-too-large">
            <h1 className="text-xl font-semibold">This document is too large to label here</h1>
            <p className="text-sm text-slate-600">
              Task #{t.id} holds {(bytes / 1024 / 1024).toFixed(1)} MB of text; the text editor opens documents up to {MAX_TEXT_BYTES / 1024 / 1024} MB. Split it into smaller
              tasks (for example one per chapter or page) and import those instead.
            </p>
            <TaskActions taskId={t.id} projectId={t.project.id} prevId={t.prevId} nextId={t.nextId} canLabel={can(principal, "tasks.label")} />
          </div>
        );
      }
      return <TextEditor key={t.id} {...await editorProps(null, null)} text={text} />;
    }
  }

  // Audio projects get the waveform editor on the uploaded file (or an http(s) URL in the data).
  if (t.project.dataType === "audio") {
    const src = safeUrl(t.media?.kind === "audio" ? t.media.url : t.media ? null : firstHttpUrl(data)?.url);
    const duration = t.media?.kind === "audio" && t.media.duration ? t.media.duration : null;
    if (src) return <AudioEditor key={t.id} {...await editorProps(null, null)} src={src} duration={duration} />;
  }

  // What to show: uploaded media first; else a text field for text projects; else a URL in the data.
  let media: ViewMedia | null = t.media ? { kind: t.media.kind, url: t.media.url, mime: t.media.mime } : null;
  let text: string | null = null;
  if (!media && t.project.dataType === "text") {
    const v = data.text ?? Object.values(data).find((x) => typeof x === "string");
    if (typeof v === "string") text = v;
  }
  if (!media && text === null) {
    const u = firstHttpUrl(data);
    if (u) media = { kind: t.project.dataType, url: u.url };
  }
  const json = JSON.stringify(data, null, 2);
  const jsonShown = json.length > MAX_JSON ? json.slice(0, MAX_JSON) + "\n…" : json;
  const backHref = seesAll ? `/projects/${t.project.id}/data` : `/projects/${t.project.id}`;
  const facts: Array<[string, string]> = [
    ["Status", ""],
    ["Annotations", String(t.annotationCount)],
    ["Predictions", String(t.predictionCount)],
    ["Created", formatDateTime(t.createdAt)],
  ];
  if (t.fileName) facts.push(["File", t.fileName]);
  if (t.media?.width && t.media.height) facts.push(["Dimensions", `${t.media.width} × ${t.media.height}`]);
  if (t.media?.duration != null) facts.push(["Duration", formatDuration(t.media.duration)]);
  if (t.media) facts.push(["Type", t.media.mime]);

  return (
    <div className="space-y-6">
      <div>
        <Link href={backHref} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
          <ArrowLeftIcon width={16} height={16} /> {seesAll ? "Back to data" : "Back to project"}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            <Link href={`/projects/${t.project.id}`} className="hover:text-indigo-700">
              {t.project.name}
            </Link>
            <span className="text-slate-400"> / </span>
            <span className="font-mono">Task #{t.id}</span>
          </h1>
          <DataTypeBadge dataType={t.project.dataType} />
          <StatusBadge status={t.status} />
        </div>
      </div>

      <div className="rounded-md border border-indigo-200 bg-indigo-50 px-4 py-2 text-sm text-indigo-900">
        {t.project.dataType === "image"
          ? "This task has no image to annotate (no uploaded image and no http(s) image URL in its data). You can skip it or move on to the next one."
          : `The labelling editor for ${t.project.dataType} projects is coming soon. For now you can view the task, skip it, or move on to the next one.`}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-label="Task content" className={`${card} self-start p-4 lg:col-span-2`}>
          {media ? (
            <MediaView media={media} />
          ) : text !== null ? (
            <TextBlock text={text} />
          ) : (
            <pre className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-4 font-mono text-xs text-slate-800">{jsonShown}</pre>
          )}
        </section>

        <aside className="space-y-6">
          <section className={`${card} p-4`} aria-label="Actions">
            <TaskActions taskId={t.id} projectId={t.project.id} prevId={t.prevId} nextId={t.nextId} canLabel={can(principal, "tasks.label")} />
          </section>
          <section className={`${card} p-4`} aria-labelledby="facts-h">
            <h2 id="facts-h" className="mb-2 text-sm font-semibold">
              Details
            </h2>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
              {facts.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-500">{k}</dt>
                  <dd className="min-w-0 break-words text-slate-800">{k === "Status" ? <StatusBadge status={t.status} /> : v}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className={`${card} p-4`} aria-labelledby="data-h">
            <h2 id="data-h" className="mb-2 text-sm font-semibold">
              Task data
            </h2>
            <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-700">{jsonShown}</pre>
          </section>
        </aside>
      </div>
    </div>
  );
}

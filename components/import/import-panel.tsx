"use client";
import { useRef, useState } from "react";
import Link from "next/link";
import type { DataType } from "@/lib/labeling-config/schema";
import { btn, cx } from "../ui/styles";
import { formatBytes, formatNumber } from "../ui/format";
import { ProgressBar } from "../ui/progress";
import { UploadIcon } from "../ui/icons";
import { FailureList } from "./failure-list";
import { useUploadQueue, type UploadItem } from "./upload-queue";

const MEDIA_ACCEPT: Record<DataType, string> = {
  image: "image/*",
  audio: "audio/*",
  video: "video/*",
  text: ".txt,text/plain",
};
const LIST_ACCEPT = ".json,.jsonl,.ndjson,.csv";

function StatusText({ item }: { item: UploadItem }) {
  switch (item.status) {
    case "queued":
      return <span className="text-slate-500">Waiting</span>;
    case "uploading":
      return <span className="text-indigo-700">Uploading {item.file.size ? Math.round((item.loaded / item.file.size) * 100) : 0}%</span>;
    case "processing":
      return <span className="text-indigo-700">Processing…</span>;
    case "cancelled":
      return <span className="text-slate-500">Cancelled</span>;
    case "error":
      return (
        <span className="font-medium text-rose-700">
          Failed{item.result && item.result.failed.length > 1 ? ` (${item.result.failed.length} problems)` : ""}
        </span>
      );
    case "done": {
      const r = item.result!;
      return (
        <span className={r.created > 0 ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>
          {r.created} task{r.created === 1 ? "" : "s"} created
          {r.failed.length > 0 && `, ${r.failed.length} failed`}
        </span>
      );
    }
  }
}

export function ImportPanel({ projectId, dataType }: { projectId: number; dataType: DataType }) {
  const q = useUploadQueue(`/api/v1/projects/${projectId}/import`);
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const finished = q.items.some((i) => i.status === "done" || i.status === "error" || i.status === "cancelled");

  return (
    <div className="space-y-4">
      <div
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer.files.length) q.add(Array.from(e.dataTransfer.files));
        }}
        className={cx(
          "flex flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-10 text-center transition",
          dragging ? "border-indigo-500 bg-indigo-50" : "border-slate-300 bg-white",
        )}
      >
        <div className="mb-3 rounded-full bg-indigo-50 p-3 text-indigo-600">
          <UploadIcon />
        </div>
        <p className="text-sm font-medium text-slate-900">Drop {dataType} files or task lists here</p>
        <p className="mt-1 text-xs text-slate-500">One request per file, two at a time. You can keep working in another tab.</p>
        <button type="button" className={cx(btn.primary, "mt-4")} onClick={() => inputRef.current?.click()}>
          Choose files…
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          aria-label="Choose files to import"
          accept={`${MEDIA_ACCEPT[dataType]},${LIST_ACCEPT}`}
          className="sr-only"
          tabIndex={-1}
          onChange={(e) => {
            if (e.target.files?.length) q.add(Array.from(e.target.files));
            e.target.value = "";
          }}
        />
      </div>

      {q.items.length > 0 && (
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <div className="mb-1.5 flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="font-medium text-slate-900">
              {q.busy ? "Uploading" : "Finished"} · {formatBytes(q.sentBytes)} of {formatBytes(q.totalBytes)}
            </span>
            <span className="text-slate-600">
              {formatNumber(q.created)} task{q.created === 1 ? "" : "s"} created
              {!q.busy && q.created > 0 && (
                <>
                  {" · "}
                  <Link href={`/projects/${projectId}/data`} className="font-medium text-indigo-700 hover:underline">
                    View data
                  </Link>
                </>
              )}
            </span>
          </div>
          <ProgressBar value={q.sentBytes} max={q.totalBytes || 1} label="Overall upload progress" />
          <ul className="mt-4 divide-y divide-slate-100" aria-label="Files" aria-live="polite">
            {q.items.map((item) => (
              <li key={item.key} className="py-2 text-sm">
                <div className="flex items-center gap-3">
                  <span className="min-w-0 flex-1 truncate text-slate-800" title={item.file.name}>
                    {item.file.name}
                  </span>
                  <span className="shrink-0 text-xs text-slate-400 tabular-nums">{formatBytes(item.file.size)}</span>
                  <span className="w-44 shrink-0 text-right text-xs">
                    <StatusText item={item} />
                  </span>
                  {(item.status === "queued" || item.status === "uploading") && (
                    <button type="button" className={btn.small} onClick={() => q.cancel(item.key)} aria-label={`Cancel upload of ${item.file.name}`}>
                      Cancel
                    </button>
                  )}
                </div>
                {item.status === "uploading" && <ProgressBar value={item.loaded} max={item.file.size || 1} label={`Upload of ${item.file.name}`} className="mt-1.5 h-1" />}
                {item.error && !item.result && (
                  <p className="mt-1 text-xs text-rose-700" role="alert">
                    {item.error.message}
                  </p>
                )}
                {item.result && <FailureList failures={item.result.failed} />}
              </li>
            ))}
          </ul>
          {finished && !q.busy && (
            <button type="button" className={cx(btn.ghost, "mt-2")} onClick={q.clearFinished}>
              Clear list
            </button>
          )}
        </div>
      )}
    </div>
  );
}

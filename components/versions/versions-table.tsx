"use client";
// The table of ready versions: counts, media size, split, labels, hash, and per row a Download menu (format
// and media choice -> a plain link to the export URL, so the browser downloads it) and Compare.
import { useEffect, useRef, useState } from "react";
import type { VersionSummary } from "@/lib/server/datasets";
import { DataTable } from "@/components/ui/table";
import { Pill } from "@/components/ui/badges";
import { btn, cx, labelText, select } from "@/components/ui/styles";
import { formatBytes, formatDateTime, formatNumber, isoTitle } from "@/components/ui/format";

export interface FormatOption {
  name: string;
  description: string;
}

const FORMAT_TITLES: Record<string, string> = {
  native: "Native JSON", coco: "COCO", yolo: "YOLO (Ultralytics)", voc: "Pascal VOC", conll: "CoNLL 2003", spacy: "spaCy JSONL", segments: "Segments CSV/JSON", asr: "ASR manifest",
};
const formatTitle = (n: string) => FORMAT_TITLES[n] ?? n;

export function VersionsTable({
  projectId, versions, formats, names, onCompare,
}: {
  projectId: number;
  versions: VersionSummary[];
  formats: FormatOption[];
  names: Record<number, string>;
  onCompare: (to: number, from: number | null) => void;
}) {
  return (
    <DataTable caption="Dataset versions" columns={["Version", "Created", "Tasks", "Annotations", "Media", "Train / val / test", "Labels", "SHA-256", "Status", null]}>
      {versions.map((v) => {
        const labels = Object.entries(v.labelCounts).sort((a, b) => b[1] - a[1]);
        return (
          <tr key={v.id} data-testid="version-row" data-number={v.number} className="align-top hover:bg-slate-50/60">
            <td className="px-4 py-3">
              <div className="flex items-baseline gap-2">
                <span className="font-mono text-xs font-semibold text-indigo-700">v{v.number}</span>
                <span className="font-medium text-slate-900">{v.name}</span>
              </div>
              {v.notes && <p className="mt-0.5 line-clamp-2 max-w-xs text-xs text-slate-500" title={v.notes}>{v.notes}</p>}
              <p className="mt-0.5 text-xs text-slate-400">
                {v.parent ? `from v${v.parent}` : "first version"} · {v.filter.status === "reviewed" ? "reviewed only" : "all submitted"}
                {v.filter.labels ? ` · ${v.filter.labels.join(", ")}` : ""}
                {v.filter.to ? ` · as of ${v.filter.to.slice(0, 10)}` : ""}
              </p>
            </td>
            <td className="whitespace-nowrap px-4 py-3 text-slate-600">
              <span title={isoTitle(Date.parse(v.createdAt))}>{formatDateTime(Date.parse(v.createdAt))}</span>
              <div className="text-xs text-slate-400">{v.createdBy !== null ? (names[v.createdBy] ?? `user ${v.createdBy}`) : "deleted user"}</div>
            </td>
            <td className="px-4 py-3 tabular-nums text-slate-900">{formatNumber(v.counts.tasks)}</td>
            <td className="px-4 py-3 tabular-nums text-slate-900">{formatNumber(v.counts.annotations)}</td>
            <td className="whitespace-nowrap px-4 py-3 tabular-nums text-slate-600" data-testid="version-media-bytes" title={`${formatNumber(v.mediaBytes)} bytes of stored media (each file once)`}>
              {v.mediaBytes > 0 ? formatBytes(v.mediaBytes) : <span className="text-slate-400">—</span>}
            </td>
            <td className="whitespace-nowrap px-4 py-3 text-xs tabular-nums text-slate-600">
              {v.split ? (
                <span title={`seed ${String(v.split.seed)}, ${v.split.train * 100}/${v.split.val * 100}/${v.split.test * 100} %`}>
                  {formatNumber(v.counts.train ?? 0)} / {formatNumber(v.counts.val ?? 0)} / {formatNumber(v.counts.test ?? 0)}
                </span>
              ) : (
                <span className="text-slate-400">no split</span>
              )}
            </td>
            <td className="px-4 py-3 text-xs text-slate-600" title={labels.map(([l, n]) => `${l}: ${n}`).join("\n")}>
              <span className="tabular-nums">{labels.length === 1 ? "1 label" : `${labels.length} labels`}</span>
              <div className="text-slate-400">
                {labels.slice(0, 2).map(([l, n]) => `${l} ${formatNumber(n)}`).join(" · ")}
                {labels.length > 2 ? " …" : ""}
              </div>
            </td>
            <td className="px-4 py-3">
              <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700" title={v.sha256}>
                {v.sha256.slice(0, 10)}
              </code>
            </td>
            <td className="px-4 py-3">
              <Pill tone="emerald">Ready</Pill>
            </td>
            <td className="whitespace-nowrap px-4 py-3 text-right">
              <div className="flex justify-end gap-2">
                <DownloadMenu projectId={projectId} version={v.number} formats={formats} />
                <button type="button" className={btn.small} onClick={() => onCompare(v.number, v.parent)} disabled={versions.length < 2}>
                  Compare
                </button>
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function DownloadMenu({ projectId, version, formats }: { projectId: number; version: number; formats: FormatOption[] }) {
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState(formats.find((f) => f.name === "coco")?.name ?? formats[0]?.name ?? "native");
  const [media, setMedia] = useState<"url" | "include">("url");
  const [predictions, setPredictions] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  // The table scrolls sideways (overflow), which would clip an absolutely placed menu: the menu is
  // fixed to the viewport under its button instead, and follows it on scroll or resize.
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const place = () => {
    const b = ref.current?.getBoundingClientRect();
    if (b) setAt({ top: b.bottom + 4, right: Math.max(8, window.innerWidth - b.right) });
  };
  useEffect(() => {
    if (!open) return;
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  const href = `/api/v1/projects/${projectId}/versions/${version}/export?format=${encodeURIComponent(format)}&media=${media}${predictions && format !== "native" ? "&predictions=include" : ""}`;
  const desc = formats.find((f) => f.name === format)?.description;
  return (
    <div ref={ref} className="relative text-left">
      <button type="button" className={btn.small} aria-expanded={open} aria-haspopup="dialog" onClick={() => { place(); setOpen((o) => !o); }}>
        Download ▾
      </button>
      {open && (
        <div role="dialog" aria-label={`Download v${version}`} style={at ? { top: at.top, right: at.right } : undefined} className="fixed z-30 w-72 rounded-lg border border-slate-200 bg-white p-3 text-left shadow-lg">
          <label htmlFor={`fmt-${version}`} className={labelText}>
            Format
          </label>
          <select id={`fmt-${version}`} className={cx(select, "mt-1 w-full")} value={format} onChange={(e) => setFormat(e.target.value)}>
            {formats.map((f) => (
              <option key={f.name} value={f.name}>
                {formatTitle(f.name)}
              </option>
            ))}
          </select>
          {desc && <p className="mt-1 whitespace-normal text-xs text-slate-500">{desc}</p>}
          <fieldset className="mt-3">
            <legend className={labelText}>Media</legend>
            <div className="mt-1 space-y-1 text-sm text-slate-700">
              <label className="flex items-center gap-2">
                <input type="radio" name={`media-${version}`} checked={media === "url"} onChange={() => setMedia("url")} /> Reference by URL (small archive)
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name={`media-${version}`} checked={media === "include"} onChange={() => setMedia("include")} /> Include stored files
              </label>
            </div>
          </fieldset>
          {format !== "native" && (
            <label className="mt-3 flex items-start gap-2 whitespace-normal text-sm text-slate-700">
              <input type="checkbox" className="mt-0.5" checked={predictions} onChange={(e) => setPredictions(e.target.checked)} data-testid="download-predictions" />
              <span>
                Include unaccepted predictions
                <span className="block text-xs text-slate-500">Off: only regions people made or accepted (native always keeps everything).</span>
              </span>
            </label>
          )}
          <a href={href} download className={cx(btn.primary, "mt-3 w-full")} data-testid="download-link" onClick={() => setOpen(false)}>
            Download {formatTitle(format)} .zip
          </a>
        </div>
      )}
    </div>
  );
}

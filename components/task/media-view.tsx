"use client";
// Shows a task's media by kind. Every URL passes safeUrl (http(s) or same-origin only) and
// text is rendered as text, never as HTML: task data is user-supplied.
import { useEffect, useRef, useState } from "react";
import { formatBytes, safeUrl } from "../ui/format";

export interface ViewMedia {
  kind: string;
  url: string;
  mime?: string;
  width?: number | null;
  height?: number | null;
}

function ImageView({ src }: { src: string }) {
  const ref = useRef<HTMLImageElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const read = () => {
    const img = ref.current;
    if (img && img.naturalWidth) setSize({ w: img.naturalWidth, h: img.naturalHeight });
  };
  // The image may finish loading before hydration attaches onLoad.
  useEffect(() => {
    if (ref.current?.complete) read();
  }, []);
  return (
    <figure>
      <div className="flex justify-center rounded-md bg-[repeating-conic-gradient(#f1f5f9_0%_25%,#fff_0%_50%)] bg-[length:16px_16px] p-2">
        {failed ? (
          <p className="py-16 text-sm text-slate-500">The image could not be loaded.</p>
        ) : (
          // eslint-disable-next-line @next/next/no-img-element
          <img ref={ref} src={src} alt="Task image" onLoad={read} onError={() => setFailed(true)} className="max-h-[70vh] max-w-full object-contain" />
        )}
      </div>
      <figcaption className="mt-2 text-xs text-slate-500">
        {size ? `Natural size ${size.w} × ${size.h} px` : failed ? "" : "Loading…"}
      </figcaption>
    </figure>
  );
}

const MAX_TEXT = 2 * 1024 * 1024;

function RemoteText({ src }: { src: string }) {
  const [state, setState] = useState<{ text?: string; error?: string; truncated?: boolean }>({});
  useEffect(() => {
    const ctl = new AbortController();
    fetch(src, { signal: ctl.signal, credentials: "same-origin" })
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const t = await r.text();
        setState({ text: t.slice(0, MAX_TEXT), truncated: t.length > MAX_TEXT });
      })
      .catch((e: Error) => {
        if (e.name !== "AbortError") setState({ error: e.message });
      });
    return () => ctl.abort();
  }, [src]);
  if (state.error) return <p className="text-sm text-rose-700">Could not load the text ({state.error}).</p>;
  if (state.text === undefined) return <p className="text-sm text-slate-500">Loading text…</p>;
  return (
    <>
      <TextBlock text={state.text} />
      {state.truncated && <p className="mt-1 text-xs text-slate-500">Showing the first {formatBytes(MAX_TEXT)}.</p>}
    </>
  );
}

export function TextBlock({ text }: { text: string }) {
  return <div className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-words rounded-md border border-slate-200 bg-white p-4 text-[15px] leading-relaxed text-slate-800">{text}</div>;
}

export function MediaView({ media }: { media: ViewMedia }) {
  const src = safeUrl(media.url);
  if (!src) return <p className="text-sm text-slate-500">This task’s media URL is not an http(s) link, so it is not shown.</p>;
  switch (media.kind) {
    case "image":
      return <ImageView src={src} />;
    case "audio":
      return <audio controls preload="metadata" src={src} className="w-full" aria-label="Task audio" />;
    case "video":
      return <video controls preload="metadata" src={src} className="max-h-[70vh] w-full rounded-md bg-black" aria-label="Task video" />;
    case "text":
      return <RemoteText src={src} />;
    default:
      return (
        <a href={src} className="text-sm text-indigo-700 hover:underline" rel="noopener noreferrer" target="_blank">
          Open media
        </a>
      );
  }
}

"use client";
// Uploads one file per request, two at a time, with XMLHttpRequest (fetch has no upload
// progress). The queue lives in a ref and a version counter re-renders the list.
import { useCallback, useRef, useState } from "react";
import { parseResponse, type ApiErrorBody } from "../ui/api";

export interface ImportFailure {
  file?: string;
  line?: number;
  message: string;
}
export interface ImportResponse {
  created: number;
  failed: ImportFailure[];
}

/** A 4xx from import still carries every failure (file + line) beside the summary error. */
export function failuresIn(body: unknown): ImportResponse | undefined {
  const b = body as Partial<ImportResponse> | null;
  return b && Array.isArray(b.failed) && b.failed.length ? { created: Number(b.created) || 0, failed: b.failed } : undefined;
}

export interface UploadItem {
  key: number;
  file: File;
  status: "queued" | "uploading" | "processing" | "done" | "error" | "cancelled";
  /** Bytes of the file sent so far (scaled from the multipart body's progress). */
  loaded: number;
  result?: ImportResponse;
  error?: ApiErrorBody;
}

const PARALLEL = 2;

export function useUploadQueue(url: string) {
  const items = useRef<UploadItem[]>([]);
  const xhrs = useRef(new Map<number, XMLHttpRequest>());
  const seq = useRef(0);
  const [, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);

  const pump = useCallback(() => {
    let active = items.current.filter((i) => i.status === "uploading" || i.status === "processing").length;
    for (const item of items.current) {
      if (active >= PARALLEL) break;
      if (item.status !== "queued") continue;
      active++;
      start(item);
    }
    bump();

    function start(item: UploadItem) {
      item.status = "uploading";
      const xhr = new XMLHttpRequest();
      xhrs.current.set(item.key, xhr);
      xhr.open("POST", url);
      xhr.upload.onprogress = (e) => {
        if (!e.lengthComputable || e.total === 0) return;
        item.loaded = Math.min(item.file.size, Math.round((e.loaded / e.total) * item.file.size));
        bump();
      };
      xhr.upload.onload = () => {
        // Bytes are sent; the server is now sniffing, probing and thumbnailing.
        item.loaded = item.file.size;
        item.status = "processing";
        bump();
      };
      const finish = (patch: Partial<UploadItem>) => {
        xhrs.current.delete(item.key);
        Object.assign(item, patch);
        pump();
      };
      xhr.onload = () => {
        const r = parseResponse<ImportResponse>(xhr.status, xhr.responseText);
        if (r.ok) {
          const data = r.data ?? { created: 0, failed: [] };
          finish({ status: "done", loaded: item.file.size, result: { created: data.created ?? 0, failed: data.failed ?? [] } });
        } else finish({ status: "error", error: r.error, result: failuresIn(r.body) });
      };
      xhr.onerror = () => finish({ status: "error", error: { code: "network", message: "Upload failed: the connection was lost." } });
      xhr.onabort = () => finish({ status: "cancelled" });
      const form = new FormData();
      form.append("files", item.file, item.file.name);
      xhr.send(form);
    }
  }, [url, bump]);

  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) items.current.push({ key: ++seq.current, file, status: "queued", loaded: 0 });
      pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (key: number) => {
      const item = items.current.find((i) => i.key === key);
      if (!item) return;
      if (item.status === "queued") {
        item.status = "cancelled";
        bump();
      } else xhrs.current.get(key)?.abort();
    },
    [bump],
  );

  const clearFinished = useCallback(() => {
    items.current = items.current.filter((i) => i.status === "queued" || i.status === "uploading" || i.status === "processing");
    bump();
  }, [bump]);

  const list = items.current;
  const counted = list.filter((i) => i.status !== "cancelled");
  const totalBytes = counted.reduce((s, i) => s + i.file.size, 0);
  const sentBytes = counted.reduce((s, i) => s + (i.status === "done" || i.status === "error" ? i.file.size : i.loaded), 0);
  const busy = list.some((i) => i.status === "queued" || i.status === "uploading" || i.status === "processing");
  const created = list.reduce((s, i) => s + (i.result?.created ?? 0), 0);
  return { items: list, add, cancel, clearFinished, totalBytes, sentBytes, busy, created };
}

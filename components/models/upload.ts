"use client";
// One raw-body upload with XMLHttpRequest (fetch has no upload progress): the file is the body,
// so the server streams it to disk without multipart parsing.
import { parseResponse, type ApiResult } from "../ui/api";

export function uploadRaw<T>(url: string, file: Blob, onProgress: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<ApiResult<T>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => resolve(parseResponse<T>(xhr.status, xhr.responseText));
    xhr.onerror = () => resolve(parseResponse<T>(0, ""));
    xhr.onabort = () => resolve({ ok: false, status: 0, body: null, error: { code: "aborted", message: "Upload cancelled." } });
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

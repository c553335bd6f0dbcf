"use client";
// The batch's server side in the browser: the task list API page by page, each task's
// predictions, its media (same-origin URL) or text, and POST predictions.
import { apiFetch } from "@/components/ui/api";
import { taskText } from "@/lib/annotation/text/task-text";
import type { BatchSource } from "@/lib/prelabel/batch/runner";
import type { BatchTask } from "@/lib/prelabel/batch/types";

async function getJson<T>(url: string): Promise<T> {
  const r = await apiFetch<T>(url);
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

export function httpSource(projectId: number): BatchSource {
  return {
    async listPage(page, limit, status) {
      const q = new URLSearchParams({ page: String(page), limit: String(limit), sort: "id", order: "asc" });
      if (status) q.set("status", status);
      return getJson<{ items: BatchTask[]; total: number }>(`/api/v1/projects/${projectId}/tasks?${q}`);
    },
    async hasPrediction(taskId, model, modelVersion) {
      const r = await getJson<{ items: Array<{ model: string; modelVersion: string | null }> }>(`/api/v1/tasks/${taskId}/predictions`);
      return r.items.some((p) => p.model === model && (p.modelVersion ?? "") === modelVersion);
    },
    async loadInput(task, kind, signal) {
      if (kind === "text") {
        const t = await getJson<{ data: unknown }>(`/api/v1/tasks/${task.id}`);
        return { media: null, text: taskText(t.data) };
      }
      if (!task.media) throw new Error("the task has no media file");
      const res = await fetch(task.media.url, { credentials: "same-origin", signal });
      if (!res.ok) throw new Error(`could not fetch the media file (HTTP ${res.status})`);
      return { media: await res.blob(), text: null };
    },
    async savePrediction(taskId, body) {
      const r = await apiFetch(`/api/v1/tasks/${taskId}/predictions`, { method: "POST", body });
      if (!r.ok) throw new Error(`the server refused the predictions: ${r.error.message}`);
    },
  };
}

export { getJson };

"use client";
// The editors' bring-your-own-model runs share this: one pre-labelling worker per editor page,
// one initialised session per model version (a failed init is retried next time), and the
// project's models of a data type from GET /api/v1/projects/:id/models.
import type { ModelInfo } from "@/lib/prelabel/byom/descriptor";
import { byomModelSource, byomSessionName, byomWarmup, modelsFor } from "@/lib/prelabel/byom/session";
import type { Backend } from "@/lib/prelabel/runtime/protocol";
import { readPreference, spawnPrelabelWorker, type SpawnedWorker } from "./worker";

export interface ByomWorker extends SpawnedWorker {
  ready: Map<string, Promise<Backend>>;
}

/** A worker whose crash calls `onCrash` (a lower-case sentence) once; drop it then. */
export function spawnByomWorker(onCrash: (message: string) => void): ByomWorker {
  return { ...spawnPrelabelWorker(onCrash), ready: new Map() };
}

/** The model's latest version as a ready session in `w`; resolves to the backend it runs on. */
export function ensureByomSession(w: ByomWorker, m: ModelInfo, o: { signal: AbortSignal; onDownload?: (share: number) => void }): { session: string; ready: Promise<Backend> } {
  const v = m.latest;
  const session = byomSessionName(m, v);
  let ready = w.ready.get(session);
  if (!ready) {
    ready = w.client
      .init(session, byomModelSource(v), {
        backend: readPreference(),
        warmup: byomWarmup(v.descriptor),
        signal: o.signal,
        onProgress: (p) => {
          if (p.phase === "download" && p.total) o.onDownload?.(p.loaded / p.total);
        },
      })
      .then((r) => r.backend);
    w.ready.set(session, ready);
    ready.catch(() => w.ready.delete(session));
  }
  return { session, ready };
}

/** The project's models for this data type; [] when there are none or the list cannot be read. */
export async function fetchProjectModels(projectId: number, dataType: "image" | "text"): Promise<ModelInfo[]> {
  try {
    const r = await fetch(`/api/v1/projects/${projectId}/models`, { credentials: "same-origin" });
    if (!r.ok) return [];
    return modelsFor(((await r.json()) as { items?: ModelInfo[] }).items ?? [], dataType);
  } catch {
    return [];
  }
}

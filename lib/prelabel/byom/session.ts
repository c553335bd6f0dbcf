// How the page side starts a bring-your-own model in the pre-labelling worker: the session name,
// the model source (same-origin file URL + sha256 checked in the worker) and a warm-up input of
// the descriptor's shape for the backend measurement. Framework-free; shared by the editors and
// the batch pre-labeller.
import type { Feeds } from "../tensor";
import type { ModelSource } from "../runtime/protocol";
import { TASK_DATA_TYPE, type Descriptor, type ModelInfo, type ModelVersionInfo } from "./descriptor";

/** One worker session per model version (a new version is a new session). */
export const byomSessionName = (m: Pick<ModelInfo, "id">, v: Pick<ModelVersionInfo, "version">) => `byom-${m.id}-v${v.version}`;

/** The key (the backend choice is remembered per file) and the checked same-origin URL. */
export function byomModelSource(v: Pick<ModelVersionInfo, "sha256" | "files">): ModelSource {
  return { key: `byom:${v.sha256}`, url: v.files.model, sha256: v.sha256 };
}

/** A zero input of the descriptor's shape: what the backend measurement times. */
export function byomWarmup(d: Descriptor): Feeds {
  if (d.task === "ner") {
    const n = 16;
    const feeds: Feeds = {
      input_ids: { type: "int64", data: new BigInt64Array(n), dims: [1, n] },
      attention_mask: { type: "int64", data: new BigInt64Array(n).fill(1n), dims: [1, n] },
    };
    if (d.text?.tokenTypeIds) feeds.token_type_ids = { type: "int64", data: new BigInt64Array(n), dims: [1, n] };
    return feeds;
  }
  const [h, w] = d.input!.size;
  const dims = d.input!.layout === "NHWC" ? [1, h, w, 3] : [1, 3, h, w];
  return { [d.input!.name]: { type: "float32", data: new Float32Array(h * w * 3), dims } };
}

/** The models of a project that run on this data type, newest first as the server lists them. */
export function modelsFor(items: readonly ModelInfo[], dataType: string): ModelInfo[] {
  return items.filter((m) => TASK_DATA_TYPE[m.task] === dataType);
}

export const TASK_NAMES: Record<ModelInfo["task"], string> = { detect: "boxes", segment: "masks", classify: "class", ner: "entities" };

// A bring-your-own model (ADR 0015/0016) as a batch pre-labeller: one module, made per model from
// GET /api/v1/projects/:id/models. Detect/segment -> rect/polygon predictions, classify -> a
// document classification, ner -> spans. The model names its labels (through the label map), so
// the batch's label choice does not apply. Runs the model's latest version.
import { modelTag, TASK_DATA_TYPE, type ModelInfo } from "../../byom/descriptor";
import { byomModelSource, byomSessionName, byomWarmup } from "../../byom/session";
import type { Prelabeller, PrelabelOutput } from "../types";

const WHAT: Record<ModelInfo["task"], string> = {
  detect: "Boxes from your detection model",
  segment: "Polygons from your segmentation model",
  classify: "A class for each image from your classifier",
  ner: "Entity spans from your token classifier",
};

export function byomPrelabeller(m: ModelInfo): Prelabeller<null> {
  const v = m.latest;
  const tag = modelTag(m, v);
  const session = byomSessionName(m, v);
  const dataType = TASK_DATA_TYPE[m.task];
  return {
    id: `byom-${m.id}`,
    label: `${m.name} (v${v.version}, ${m.task})`,
    description: `${WHAT[m.task]}, labels through the model's label map. Uploaded in Settings → Models.`,
    dataType,
    model: m.name,
    modelVersion: String(v.version),
    input: dataType === "image" ? "media" : "text",
    labelKind: null,
    async prepare(env, o) {
      await env.client.init(session, byomModelSource(v), { backend: env.backend, warmup: byomWarmup(v.descriptor), signal: o.signal });
      return null;
    },
    async run(input, _p, env, o): Promise<PrelabelOutput> {
      if (dataType === "image") {
        if (!input.media) throw new Error("the task has no image file");
        const image = await env.decodeImage(input.media);
        const r = await env.client.task({ kind: "byom-image", session, descriptor: v.descriptor, labelMap: v.labelMap, image, model: tag }, { signal: o.signal, onProgress: o.onProgress });
        const c = r.classification;
        if (c?.kind === "classification") return { regions: [], classifications: { [c.name]: [c.choice] }, score: c.score };
        return { regions: r.regions, classifications: {} };
      }
      if (input.text === null) throw new Error("the task has no text");
      if (!v.files.tokenizer) throw new Error(`model ${tag} has no tokenizer.json`);
      const r = await env.client.task(
        { kind: "byom-ner", session, descriptor: v.descriptor, labelMap: v.labelMap, tokenizer: { url: v.files.tokenizer }, ...(v.files.config ? { config: { url: v.files.config } } : {}), text: input.text, model: tag },
        { signal: o.signal, onProgress: o.onProgress },
      );
      return { regions: r.regions, classifications: {} };
    },
  };
}

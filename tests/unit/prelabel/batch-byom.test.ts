// Bring-your-own models as batch pre-labellers and the page-side session helpers: one module per
// model from GET /projects/:id/models, the right worker task and session per version, warm-up
// feeds of the descriptor's shape, classifier answers stored as classifications through the
// runner, and ner needing its tokenizer.
import { describe, expect, it } from "vitest";
import { byomPrelabeller } from "@/lib/prelabel/batch/prelabellers/byom";
import { prelabellersFor } from "@/lib/prelabel/batch/registry";
import { BatchRunner, type BatchSource } from "@/lib/prelabel/batch/runner";
import type { BatchTask, PrelabelEnv, WorkerClient } from "@/lib/prelabel/batch/types";
import { descriptorSchema, type ModelInfo } from "@/lib/prelabel/byom/descriptor";
import { byomModelSource, byomSessionName, byomWarmup, modelsFor } from "@/lib/prelabel/byom/session";

const version = (descriptor: unknown, files: ModelInfo["latest"]["files"] = { model: "/api/v1/projects/7/models/3/versions/2/files/model" }) => ({
  id: 30, version: 2, sha256: "ab".repeat(32), size: 100, descriptor: descriptorSchema.parse(descriptor), labelMap: { cat: "Cat", dog: "animal:dog" }, files, createdAt: 0,
});
const detector: ModelInfo = {
  id: 3, projectId: 7, name: "pets", task: "detect", versionCount: 2, createdAt: 0,
  latest: version({ task: "detect", input: { name: "images", size: [64, 96] }, output: { names: ["output0"], format: "yolov8" }, labels: ["cat", "dog"] }),
};
const classifier: ModelInfo = { ...detector, id: 4, name: "kind", task: "classify", latest: version({ task: "classify", input: { name: "x", size: [32, 32], layout: "NHWC" }, output: { names: ["probs"], format: "probs" }, labels: ["cat", "dog"] }) };
const tagger: ModelInfo = {
  ...detector, id: 5, name: "ner", task: "ner",
  latest: version({ task: "ner", text: { maxLength: 128, tokenTypeIds: true }, output: { names: ["logits"], format: "token-logits" }, labels: ["O", "B-PER"] }, { model: "/m", tokenizer: "/t", config: "/c" }),
};

function recorder(result: unknown) {
  const calls: Array<{ op: string; session: string; spec?: Record<string, unknown>; opts?: Record<string, unknown> }> = [];
  const client = {
    init: async (session: string, source: unknown, opts: Record<string, unknown>) => (calls.push({ op: "init", session, spec: source as Record<string, unknown>, opts }), { backend: "wasm" }) as never,
    task: async (spec: Record<string, unknown>) => (calls.push({ op: "task", session: String(spec.session), spec }), result) as never,
  } as unknown as WorkerClient;
  return { client, calls };
}
const env = (client: WorkerClient, dataType: "image" | "text" = "image"): PrelabelEnv => ({
  client, backend: "auto", project: { id: 7, dataType, labels: [{ name: "Cat" }] },
  getJson: async () => { throw new Error("unused"); },
  decodeAudio16k: async () => new Float32Array(0),
  decodeImage: async () => ({ width: 2, height: 2, data: new Uint8ClampedArray(16) }),
});
const signal = new AbortController().signal;
const task: BatchTask = { id: 9, status: "new", predictionCount: 0, media: { url: "/m/9", width: 2, height: 2, duration: null } };

describe("BYOM page-side helpers", () => {
  it("one session per version, a checked same-origin source, warm-up feeds of the descriptor's shape", () => {
    expect(byomSessionName(detector, detector.latest)).toBe("byom-3-v2");
    expect(byomModelSource(detector.latest)).toEqual({ key: `byom:${"ab".repeat(32)}`, url: detector.latest.files.model, sha256: "ab".repeat(32) });
    expect(byomWarmup(detector.latest.descriptor).images!.dims).toEqual([1, 3, 64, 96]);
    expect(byomWarmup(classifier.latest.descriptor).x!.dims).toEqual([1, 32, 32, 3]);
    expect(Object.keys(byomWarmup(tagger.latest.descriptor)).sort()).toEqual(["attention_mask", "input_ids", "token_type_ids"]);
    expect(modelsFor([detector, tagger, classifier], "image").map((m) => m.name)).toEqual(["pets", "kind"]);
    expect(modelsFor([detector, tagger], "text").map((m) => m.name)).toEqual(["ner"]);
  });
});

describe("BYOM batch pre-labellers", () => {
  it("detect: one module per model, listed with the built-ins of its data type, runs byom-image on the decoded image", async () => {
    const p = byomPrelabeller(detector);
    expect(p).toMatchObject({ id: "byom-3", dataType: "image", model: "pets", modelVersion: "2", input: "media", labelKind: null });
    expect(prelabellersFor("image", [p]).map((x) => x.id)).toEqual(["ppocr-v4", "byom-3"]);
    const rect = { id: "pets@2-0", kind: "rect", label: "Cat", x: 0, y: 0, width: 1, height: 1, rotation: 0, origin: "prediction", model: "pets@2", score: 0.8 };
    const { client, calls } = recorder({ regions: [rect], classification: null, detections: 1 });
    await p.prepare(env(client), { signal });
    const out = await p.run({ task, media: new Blob([]), text: null, label: null }, null, env(client), { signal });
    expect(out).toEqual({ regions: [rect], classifications: {} });
    expect(calls.map((c) => [c.op, c.session])).toEqual([["init", "byom-3-v2"], ["task", "byom-3-v2"]]);
    expect(calls[1]!.spec).toMatchObject({ kind: "byom-image", model: "pets@2", labelMap: { cat: "Cat" } });
    await expect(p.run({ task, media: null, text: null, label: null }, null, env(client), { signal })).rejects.toThrow(/no image/);
  });

  it("classify: the runner stores the answer as a document classification with its score", async () => {
    const p = byomPrelabeller(classifier);
    const { client } = recorder({ regions: [], classification: { kind: "classification", name: "animal", choice: "dog", score: 0.7, modelLabel: "dog", model: "kind@2" }, detections: 1 });
    const saved: Array<{ taskId: number; body: unknown }> = [];
    const source: BatchSource = {
      listPage: async () => ({ items: [task], total: 1 }),
      hasPrediction: async () => false,
      loadInput: async () => ({ media: new Blob([]), text: null }),
      savePrediction: async (taskId, body) => void saved.push({ taskId, body }),
    };
    const r = new BatchRunner({ prelabeller: p, env: env(client), source, scope: { mode: "all" }, store: { load: () => null, save: () => undefined, clear: () => undefined }, label: null });
    await r.start();
    expect(saved).toEqual([{ taskId: 9, body: { model: "kind", modelVersion: "2", score: 0.7, document: { version: 1, regions: [], classifications: { animal: ["dog"] }, relations: [] } } }]);
  });

  it("ner: runs byom-ner with the version's tokenizer and config URLs; a model without a tokenizer is a clear error", async () => {
    const p = byomPrelabeller(tagger);
    expect(p).toMatchObject({ dataType: "text", input: "text" });
    const { client, calls } = recorder({ regions: [], entities: [] });
    await p.run({ task, media: null, text: "Hi John", label: null }, null, env(client, "text"), { signal });
    expect(calls[0]!.spec).toMatchObject({ kind: "byom-ner", tokenizer: { url: "/t" }, config: { url: "/c" }, text: "Hi John", model: "ner@2" });
    const bare = byomPrelabeller({ ...tagger, latest: { ...tagger.latest, files: { model: "/m" } } });
    await expect(bare.run({ task, media: null, text: "x", label: null }, null, env(client, "text"), { signal })).rejects.toThrow(/tokenizer/);
  });
});

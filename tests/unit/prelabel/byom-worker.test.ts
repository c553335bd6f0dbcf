// The BYOM worker tasks ("byom-image", "byom-ner") end to end: PrelabelClient <-> worker host over
// a structured-clone port, onnxruntime-web (wasm) in Node: the browser's code path.
import { describe, expect, it } from "vitest";
import { PrelabelClient, type PortLike } from "@/lib/prelabel/runtime/client";
import { createWorkerHost, type OrtWebLike } from "@/lib/prelabel/runtime/host";
import { storageMemory } from "@/lib/prelabel/runtime/backend";
import type { WorkerResponse } from "@/lib/prelabel/runtime/protocol";
import type { DescriptorInput } from "@/lib/prelabel/byom/descriptor";
import { constantOutputsModel, gatherNerModel } from "./tiny-onnx";
import { CONFIG_JSON, nerTable, TAGS, TEXT, TOKENIZER_JSON, VOCAB } from "./byom-fixtures";

async function pair() {
  const ort = (await import("onnxruntime-web")) as unknown as OrtWebLike;
  ort.env.wasm.numThreads = 1;
  const host = createWorkerHost({ ort, env: async () => ({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: 2 }) });
  const listeners: ((e: { data: WorkerResponse }) => void)[] = [];
  const port: PortLike = {
    postMessage: (msg) => void host.handle(structuredClone(msg), (res) => setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(res) })), 0)),
    addEventListener: (_t, fn) => listeners.push(fn),
  };
  const store = new Map<string, string>();
  return new PrelabelClient(port, storageMemory({ getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) }));
}

const DETECT: DescriptorInput = { task: "detect", input: { name: "images", size: [64, 64] }, output: { names: ["output0"], format: "yolov8" }, labels: ["cat", "dog"] };
// [1, 6, 3]: a cat, its duplicate, a dog; columns are candidates.
const V8 = new Float32Array([
  20, 21, 40, // cx
  30, 30, 30, // cy
  10, 10, 10, // w
  10, 10, 10, // h
  0.9, 0.8, 0.0, // cat
  0.0, 0.1, 0.7, // dog
]);

describe("BYOM worker tasks (onnxruntime-web wasm in Node)", () => {
  it("byom-image: a YOLOv8 model in the worker returns prediction rects in natural pixels", async () => {
    const client = await pair();
    await client.init("m", { key: "pets@1", bytes: constantOutputsModel({ name: "images", dims: [1, 3, 64, 64] }, [{ name: "output0", dims: [1, 6, 3], data: V8 }]) });
    const image = { width: 128, height: 64, data: new Uint8ClampedArray(128 * 64 * 4) };
    const progress: number[] = [];
    const res = await client.task({ kind: "byom-image", session: "m", descriptor: DETECT, labelMap: { cat: "Cat", dog: "Dog" }, image, model: "pets@1" }, { onProgress: (d) => progress.push(d) });
    expect(res.regions.map((r) => r.kind === "rect" && [r.label, r.x, r.y, r.width, r.height, r.score, r.origin, r.model])).toEqual([
      ["Cat", 30, 18, 20, 20, 0.9, "prediction", "pets@1"],
      ["Dog", 70, 18, 20, 20, 0.7, "prediction", "pets@1"],
    ]);
    expect(progress.at(-1)).toBe(1);
  });

  it("byom-ner: tokenizer.json and config.json inline, spans at code points", async () => {
    const client = await pair();
    await client.init("ner", { key: "ner@1", bytes: gatherNerModel(nerTable(), VOCAB.length, TAGS.length) });
    const descriptor: DescriptorInput = { task: "ner", text: { maxLength: 16 }, output: { names: ["logits"], format: "token-logits" }, labels: ["x"] }; // labels come from config.json
    const res = await client.task({ kind: "byom-ner", session: "ner", descriptor, labelMap: { PER: "Person", LOC: "Place" }, tokenizer: { json: TOKENIZER_JSON }, config: { json: CONFIG_JSON }, text: TEXT, model: "ner@1" });
    expect(res.regions.map((r) => [r.label, r.start, r.end, r.text])).toEqual([
      ["Person", 5, 15, "John Smith"],
      ["Place", 22, 28, "Zürich"],
      ["Person", 34, 37, "Ann"],
      ["Place", 41, 49, "New York"],
    ]);
  });

  it("bad input is a bad_request: an invalid descriptor, an unsupported tokenizer", async () => {
    const client = await pair();
    await client.init("ner", { key: "ner@1", bytes: gatherNerModel(nerTable(), VOCAB.length, TAGS.length) });
    const bad = { ...DETECT, output: { names: ["output0"], format: "token-logits" } } as DescriptorInput;
    const image = { width: 8, height: 8, data: new Uint8ClampedArray(256) };
    await expect(client.task({ kind: "byom-image", session: "ner", descriptor: bad, labelMap: {}, image, model: "x@1" })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("does not fit task") });
    const descriptor: DescriptorInput = { task: "ner", text: { maxLength: 16 }, output: { names: ["logits"], format: "token-logits" }, labels: TAGS };
    const unigram = JSON.stringify({ model: { type: "Unigram", vocab: [] } });
    await expect(client.task({ kind: "byom-ner", session: "ner", descriptor, labelMap: {}, tokenizer: { json: unigram }, text: "hi", model: "x@1" })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("only WordPiece") });
  });
});

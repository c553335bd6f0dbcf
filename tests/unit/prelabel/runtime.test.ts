// The worker protocol end to end in Node: PrelabelClient <-> createWorkerHost over a fake port
// (structuredClone, like postMessage), hosting onnxruntime-web (wasm, one thread): the browser path.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { PrelabelClient, type PortLike } from "@/lib/prelabel/runtime/client";
import { createWorkerHost, type OrtWebLike } from "@/lib/prelabel/runtime/host";
import { chooseBackend, fastest, storageMemory, wasmThreads, type BackendEnv } from "@/lib/prelabel/runtime/backend";
import type { Backend, ProgressMessage, WorkerRequest, WorkerResponse } from "@/lib/prelabel/runtime/protocol";
import { detectSpeech } from "@/lib/prelabel/silero-vad/vad";
import { f32 } from "@/lib/prelabel/tensor";
import { fixture, modelPath, readWav } from "./helpers";

async function pair(env: Partial<BackendEnv> = {}) {
  const ort = (await import("onnxruntime-web")) as unknown as OrtWebLike;
  const host = createWorkerHost({ ort, env: async () => ({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: 2, ...env }) });
  const listeners: ((e: { data: WorkerResponse }) => void)[] = [];
  const seen: WorkerRequest[] = [];
  const port: PortLike = {
    postMessage: (msg) => {
      const copy = structuredClone(msg);
      seen.push(copy);
      void host.handle(copy, (res) => setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(res) })), 0));
    },
    addEventListener: (_t, fn) => listeners.push(fn),
  };
  const store = new Map<string, string>();
  const client = new PrelabelClient(port, storageMemory({ getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) }));
  return { client, host, seen, store };
}

const sileroWarmup = () => ({
  input: f32(new Float32Array(576), [1, 576]),
  state: f32(new Float32Array(256), [2, 1, 128]),
  sr: { type: "int64" as const, data: BigInt64Array.of(16000n), dims: [] },
});

describe("worker protocol (client <-> host, onnxruntime-web wasm in Node)", () => {
  it("inits a model from bytes, runs the VAD pipeline through it, and releases it", async () => {
    const { client, host } = await pair();
    const ready = await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) }, { warmup: sileroWarmup() });
    expect(ready).toMatchObject({ backend: "wasm", chosenBy: "only-option", wasmThreads: 1, inputNames: ["input", "state", "sr"] });
    const wav = readWav(fixture("audio/meeting.wav"));
    // The first utterance only (1.2-4.96 s): every frame is a round trip, keep the suite quick.
    const res = await detectSpeech(client.runner("vad"), wav.samples.subarray(0, 5.5 * wav.sampleRate), wav.sampleRate);
    expect(res.segments).toHaveLength(1);
    expect(Math.abs(res.segments[0]!.start - 1.2)).toBeLessThanOrEqual(0.3);
    await client.release("vad");
    expect(host.sessions()).toEqual([]);
  }, 60000);

  it("answers bad input with typed errors and keeps working", async () => {
    const { client } = await pair();
    await expect(client.init("bad", { key: "junk", bytes: new TextEncoder().encode("not an onnx file") })).rejects.toMatchObject({ code: "invalid_model" });
    await expect(client.run("nope", {})).rejects.toMatchObject({ code: "unknown_session" });
    await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) });
    await expect(client.run("vad", { input: f32(new Float32Array(4), [1, 4]) })).rejects.toMatchObject({ code: "input_mismatch", message: expect.stringContaining("state") });
    const wrong = { ...sileroWarmup(), state: f32(new Float32Array(3), [3]) };
    await expect(client.run("vad", wrong)).rejects.toMatchObject({ code: expect.stringMatching(/input_mismatch|run_failed/) });
    const ok = await client.run("vad", sileroWarmup());
    expect(ok.output?.dims).toEqual([1, 1]);
  });

  it("cancels queued runs: the promise rejects and the worker never runs them", async () => {
    const { client } = await pair();
    await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) });
    const ac = new AbortController();
    const runs = Array.from({ length: 5 }, () => client.run("vad", sileroWarmup(), { signal: ac.signal }));
    ac.abort();
    const settled = await Promise.allSettled(runs);
    expect(settled.every((s) => s.status === "rejected" && (s.reason as { code: string }).code === "cancelled")).toBe(true);
    expect((await client.run("vad", sileroWarmup())).output).toBeDefined(); // still usable
  });

  it("reports download progress and a missing model file clearly", async () => {
    const ort = (await import("onnxruntime-web")) as unknown as OrtWebLike;
    const bytes = new Uint8Array(fs.readFileSync(modelPath.silero));
    const host = createWorkerHost({
      ort,
      env: async () => ({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: 2 }),
      fetch: async (url) => (url.endsWith("missing.onnx") ? new Response("no", { status: 404 }) : new Response(bytes, { headers: { "content-length": String(bytes.length) } })),
    });
    const out: WorkerResponse[] = [];
    await host.handle({ type: "init", id: 1, session: "vad", model: { key: "v", url: "/models/silero_vad_v5.onnx" }, backend: "auto" }, (m) => out.push(m));
    const progress = out.filter((m): m is ProgressMessage => m.type === "progress" && m.phase === "download");
    expect(progress.at(-1)).toMatchObject({ loaded: bytes.length, total: bytes.length });
    expect(out.at(-1)!.type).toBe("ready");
    await host.handle({ type: "init", id: 2, session: "x", model: { key: "x", url: "/models/missing.onnx" }, backend: "auto" }, (m) => out.push(m));
    expect(out.at(-1)).toMatchObject({ type: "error", id: 2, error: { code: "download_failed", message: expect.stringContaining("404") } });
  });
});

describe("backend choice", () => {
  const gpuEnv: BackendEnv = { webgpu: true, crossOriginIsolated: true, hardwareConcurrency: 8 };

  it("measures both when WebGPU exists and keeps the faster (a software adapter loses)", async () => {
    const times: Record<Backend, number> = { webgpu: 40, wasm: 12 };
    const c = await chooseBackend({ env: gpuEnv, preference: "auto", measure: async (b) => times[b] });
    expect(c).toMatchObject({ backend: "wasm", chosenBy: "measured" });
    expect(c.measurements.map((m) => m.backend)).toEqual(["webgpu", "wasm"]);
    times.webgpu = 3;
    expect((await chooseBackend({ env: gpuEnv, preference: "auto", measure: async (b) => times[b] })).backend).toBe("webgpu");
  });

  it("a backend that fails to run the model loses; override and remembered skip measuring", async () => {
    const c = await chooseBackend({ env: gpuEnv, preference: "auto", measure: async (b) => { if (b === "webgpu") throw new Error("no kernel for op X"); return 50; } });
    expect(c.backend).toBe("wasm");
    expect(c.measurements[0]).toMatchObject({ backend: "webgpu", ms: null, error: "no kernel for op X" });
    const never = async (): Promise<number> => { throw new Error("must not measure"); };
    expect(await chooseBackend({ env: gpuEnv, preference: "webgpu", measure: never })).toMatchObject({ backend: "webgpu", chosenBy: "override" });
    expect(await chooseBackend({ env: gpuEnv, preference: "auto", remembered: "wasm", measure: never })).toMatchObject({ backend: "wasm", chosenBy: "remembered" });
    // An override of an unavailable backend falls back rather than failing.
    expect(await chooseBackend({ env: { ...gpuEnv, webgpu: false }, preference: "webgpu", measure: never })).toMatchObject({ backend: "wasm", chosenBy: "only-option" });
    expect(fastest([])).toBe("wasm");
  });

  it("makes each backend's sessions with that backend's onnxruntime build and runs them with its tensors", async () => {
    const web = (await import("onnxruntime-web")) as unknown as OrtWebLike & { Tensor: new (...a: unknown[]) => unknown };
    const log: string[] = [];
    // Two stand-in builds over the same wasm runtime, each counting sessions made and tensors built.
    const build = (name: "wasm" | "webgpu"): OrtWebLike => {
      const Tensor = function (this: unknown, ...a: unknown[]) {
        log.push(`${name}:tensor`);
        return new web.Tensor(...a);
      } as unknown as OrtWebLike["Tensor"];
      return {
        ...web,
        Tensor,
        env: web.env,
        InferenceSession: {
          create: async (bytes: Uint8Array, o?: Record<string, unknown>) => {
            log.push(`${name}:create:${(o?.executionProviders as string[])[0]}`);
            return web.InferenceSession.create(bytes, { ...o, executionProviders: ["wasm"] });
          },
        },
      } as OrtWebLike;
    };
    const builds = { wasm: build("wasm"), webgpu: build("webgpu") };
    const host = createWorkerHost({ ort: builds.wasm, ortFor: async (b) => builds[b], env: async () => ({ webgpu: true, crossOriginIsolated: false, hardwareConcurrency: 2 }) });
    const answers: WorkerResponse[] = [];
    const bytes = new Uint8Array(fs.readFileSync(modelPath.silero));
    await host.handle({ type: "init", id: 1, session: "g", model: { key: "g", bytes }, backend: "webgpu" }, (m) => answers.push(m));
    await host.handle({ type: "init", id: 2, session: "w", model: { key: "w", bytes }, backend: "wasm" }, (m) => answers.push(m));
    expect(answers.filter((a) => a.type !== "progress").map((a) => a.type)).toEqual(["ready", "ready"]);
    expect(log).toEqual(["webgpu:create:webgpu", "wasm:create:wasm"]);
    log.length = 0;
    await host.handle({ type: "run", id: 3, session: "g", feeds: sileroWarmup() }, (m) => answers.push(m));
    expect(answers.at(-1)?.type).toBe("result");
    expect(new Set(log)).toEqual(new Set(["webgpu:tensor"]));
    log.length = 0;
    await host.handle({ type: "run", id: 4, session: "w", feeds: sileroWarmup() }, (m) => answers.push(m));
    expect(answers.at(-1)?.type).toBe("result");
    expect(new Set(log)).toEqual(new Set(["wasm:tensor"]));
  });

  it("uses wasm threads only when cross-origin isolated", () => {
    expect(wasmThreads({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: 8 })).toBe(1);
    expect(wasmThreads({ webgpu: false, crossOriginIsolated: true, hardwareConcurrency: 8 })).toBe(4);
    expect(wasmThreads({ webgpu: false, crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(2);
    expect(wasmThreads({ webgpu: false, crossOriginIsolated: true, hardwareConcurrency: 4 })).toBe(3);
    expect(wasmThreads({ webgpu: false, crossOriginIsolated: true, hardwareConcurrency: 1 })).toBe(1);
  });

  it("the client remembers a measured choice per model", async () => {
    const { client, store, seen } = await pair();
    await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) });
    expect(store.size).toBe(0); // only-option is not a measurement worth remembering
    store.set("loupe.prelabel.backend.silero-vad-v5", "wasm");
    await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) });
    expect(seen.at(-1)).toMatchObject({ type: "init", remembered: "wasm" });
  });
});

describe("pipeline tasks inside the worker", () => {
  it("runs VAD on the whole file in one request through onnxruntime-web, with progress", async () => {
    const { client } = await pair();
    await client.init("vad", { key: "silero-vad-v5", bytes: new Uint8Array(fs.readFileSync(modelPath.silero)) });
    const wav = readWav(fixture("audio/meeting.wav"));
    const progress: number[] = [];
    const res = await client.task({ kind: "vad", session: "vad", audio: wav.samples, sampleRate: wav.sampleRate }, { onProgress: (p) => progress.push(p) });
    expect(res.segments).toHaveLength(3);
    expect(progress.at(-1)).toBe(1);

    const ac = new AbortController();
    const cancelled = client.task({ kind: "vad", session: "vad", audio: wav.samples, sampleRate: wav.sampleRate }, { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(cancelled).rejects.toMatchObject({ code: "cancelled" });
    await expect(client.task({ kind: "vad", session: "nope", audio: wav.samples, sampleRate: 16000 })).rejects.toMatchObject({ code: "unknown_session" });
    await expect(client.task({ kind: "vad", session: "vad", audio: wav.samples, sampleRate: 0 })).rejects.toMatchObject({ code: "bad_request" });
  }, 60000);

  it("runs OCR and cached SAM tasks (host on onnxruntime-node for speed)", async () => {
    const mod = await import("onnxruntime-node");
    const node = mod.InferenceSession ? mod : mod.default;
    const ort: OrtWebLike = {
      Tensor: node.Tensor as unknown as OrtWebLike["Tensor"],
      env: { wasm: {} },
      InferenceSession: { create: (b: Uint8Array) => node.InferenceSession.create(b, { intraOpNumThreads: 1 }) as unknown as ReturnType<OrtWebLike["InferenceSession"]["create"]> },
    };
    const host = createWorkerHost({ ort, env: async () => ({ webgpu: false, crossOriginIsolated: false, hardwareConcurrency: 2 }) });
    const listeners: ((e: { data: WorkerResponse }) => void)[] = [];
    const client = new PrelabelClient({
      postMessage: (msg) => void host.handle(structuredClone(msg), (res) => setTimeout(() => listeners.forEach((l) => l({ data: structuredClone(res) })), 0)),
      addEventListener: (_t, fn) => listeners.push(fn),
    });
    const bytes = (p: string) => new Uint8Array(fs.readFileSync(p));
    await client.init("det", { key: "det", bytes: bytes(modelPath.ocrDet) });
    await client.init("rec", { key: "rec", bytes: bytes(modelPath.ocrRec) });
    const sharp = (await import("sharp")).default;
    const { data, info } = await sharp(fixture("images/page.png")).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { width: info.width, height: info.height, data: new Uint8ClampedArray(data) };
    const lines = await client.task({ kind: "ocr", det: "det", rec: "rec", keys: { text: fs.readFileSync(modelPath.ocrKeys, "utf8") }, image });
    expect(lines).toHaveLength(7);
    expect(lines[0]!.text).toBe("Region-based segmentation");

    await client.init("enc", { key: "enc", bytes: bytes(modelPath.samEncoder) });
    await client.init("dec", { key: "dec", bytes: bytes(modelPath.samDecoder) });
    await expect(client.task({ kind: "sam", encoder: "enc", decoder: "dec", imageId: "page", prompt: { clicks: [{ x: 10, y: 10, positive: true }] } })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("send the image") });
    expect(await client.task({ kind: "sam", encoder: "enc", decoder: "dec", imageId: "page", image })).toBeNull(); // embedding only
    // Later clicks need no image: the worker has the embedding.
    const res = await client.task({ kind: "sam", encoder: "enc", decoder: "dec", imageId: "page", prompt: { box: { x0: 0, y0: 0, x1: 384, y1: 191 } } });
    expect(res!.width).toBe(384);
    expect(res!.polygons.length).toBeGreaterThan(0);
  }, 60000);
});

describe("models that fail (tiny ONNX built with onnx-proto)", () => {
  it("a model that throws at run time or gets the wrong shape answers a typed error; the worker keeps working", async () => {
    const { reshapeTo7Model, fixedShapeModel } = await import("./tiny-onnx");
    const { client } = await pair();
    await client.init("r7", { key: "r7", bytes: reshapeTo7Model() });
    expect(Array.from((await client.run("r7", { x: f32(Float32Array.of(1, 2, 3, 4, 5, 6, 7), [7]) })).y!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await expect(client.run("r7", { x: f32(new Float32Array(5), [5]) })).rejects.toMatchObject({ code: "run_failed", message: expect.stringContaining("Reshape") });

    await client.init("fixed", { key: "fixed", bytes: fixedShapeModel() });
    await expect(client.run("fixed", { x: f32(new Float32Array(6), [1, 6]) })).rejects.toMatchObject({ code: "input_mismatch" });
    const ok = await client.run("fixed", { x: f32(Float32Array.of(1, 2, 3, 4), [1, 4]) });
    expect(Array.from(ok.y!.data as Float32Array)).toEqual([2, 4, 6, 8]);
  });
});

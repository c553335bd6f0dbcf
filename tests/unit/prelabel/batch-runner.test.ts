// The batch runner's state machine with a fake worker client and a fake server: pause / resume /
// cancel, a failing task recorded and skipped, resume after a reload from the saved cursor, the
// "missing" scope, the registry.
import { describe, it, expect } from "vitest";
import { BatchRunner, storageCursor, type BatchSource, type BatchSnapshot, type CursorStore } from "@/lib/prelabel/batch/runner";
import { BUILTIN_PRELABELLERS, prelabellersFor, findPrelabeller, labelsFor, defaultLabel } from "@/lib/prelabel/batch/registry";
import { dictionarySpans, textDictionary } from "@/lib/prelabel/batch/prelabellers/text-dictionary";
import { audioVad } from "@/lib/prelabel/batch/prelabellers/audio-vad";
import type { BatchTask, PrelabelEnv, Prelabeller, WorkerClient } from "@/lib/prelabel/batch/types";
import type { Region } from "@/lib/annotation/regions";

/** A Storage in memory (what localStorage would keep across a reload). */
function memStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface FakeServer extends BatchSource {
  tasks: BatchTask[];
  saved: Map<number, { model: string; document: { regions: Region[] } }[]>;
  lists: number;
}

function fakeServer(n: number, o: { bad?: number[] } = {}): FakeServer {
  const tasks: BatchTask[] = Array.from({ length: n }, (_, i) => ({ id: 10 + i, status: "new", predictionCount: 0, media: { url: `/m/${10 + i}`, width: 10, height: 10, duration: 3 } }));
  const saved = new Map<number, { model: string; document: { regions: Region[] } }[]>();
  const srv: FakeServer = {
    tasks,
    saved,
    lists: 0,
    async listPage(page, limit, status) {
      srv.lists++;
      const all = tasks.filter((t) => !status || t.status === status).map((t) => ({ ...t, predictionCount: saved.get(t.id)?.length ?? 0 }));
      return { items: all.slice((page - 1) * limit, page * limit), total: all.length };
    },
    async hasPrediction(id, model, modelVersion) {
      return (saved.get(id) ?? []).some((p) => p.model === model && (p as { modelVersion?: string }).modelVersion === modelVersion);
    },
    async loadInput(task) {
      if (o.bad?.includes(task.id)) throw new Error("could not decode the media file");
      return { media: new Blob([String(task.id)]), text: null };
    },
    async savePrediction(id, body) {
      saved.set(id, [...(saved.get(id) ?? []), body as { model: string; document: { regions: Region[] } }]);
    },
  };
  return srv;
}

/** A pre-labeller whose run waits for a gate per task when `gated`, so tests can act mid-task. */
function fakePrelabeller(o: { gate?: () => Promise<void>; prepareFails?: boolean } = {}) {
  const runs: number[] = [];
  const p: Prelabeller<string> = {
    id: "fake",
    label: "Fake",
    description: "",
    dataType: "audio",
    model: "fake-model",
    modelVersion: "1",
    input: "media",
    labelKind: "segment",
    async prepare() {
      if (o.prepareFails) throw new Error("model file missing (404)");
      return "ready";
    },
    async run(input, prepared, _env, ro) {
      expect(prepared).toBe("ready");
      runs.push(input.task.id);
      ro.onProgress?.(0.5);
      if (o.gate) {
        await Promise.race([o.gate(), new Promise((_, rej) => ro.signal.addEventListener("abort", () => rej(Object.assign(new Error("cancelled"), { code: "cancelled" }))))]);
      }
      return [{ id: "s0", kind: "segment", label: input.label!, start: 0, end: 1, origin: "prediction", model: "fake-model", score: (input.task.id % 10) / 10 + 0.05 } as Region];
    },
  };
  return { p, runs };
}

const fakeClient: WorkerClient = { init: async () => { throw new Error("unused"); }, task: async () => { throw new Error("unused"); } };
const env = (): PrelabelEnv => ({
  client: fakeClient,
  backend: "auto",
  project: { id: 7, dataType: "audio", labels: [{ name: "speech", kinds: ["segment"] }] },
  getJson: async () => { throw new Error("unused"); },
  decodeAudio16k: async () => new Float32Array(0),
  decodeImage: async () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }),
});

function runner(srv: BatchSource, p: Prelabeller<unknown>, store: CursorStore, mode: "missing" | "all" = "missing") {
  let t = 0;
  return new BatchRunner({ prelabeller: p, env: env(), source: srv, scope: { mode }, store, label: "speech", pageSize: 2, now: () => (t += 1000) });
}

describe("BatchRunner", () => {
  it("walks every page, stores each task's predictions, ends done with a summary", async () => {
    const srv = fakeServer(5);
    const { p } = fakePrelabeller();
    const r = runner(srv, p, storageCursor(memStorage()));
    const phases: string[] = [];
    r.subscribe((s) => phases.push(s.phase));
    await r.start();
    const s = r.snapshot();
    expect(s.phase).toBe("done");
    expect([s.total, s.done, s.failed, s.skipped, s.regions]).toEqual([5, 5, 0, 0, 5]);
    expect([...srv.saved.keys()]).toEqual([10, 11, 12, 13, 14]);
    const doc = srv.saved.get(10)![0]!;
    expect(doc.model).toBe("fake-model");
    expect(doc.document.regions[0]!.label).toBe("speech");
    expect(phases).toContain("preparing");
    expect(phases).toContain("running");
    expect(s.etaSeconds).toBe(0);
  });

  it("records a failing task with its reason and carries on", async () => {
    const srv = fakeServer(4, { bad: [11] });
    const { p, runs } = fakePrelabeller();
    const r = runner(srv, p, storageCursor(memStorage()));
    await r.start();
    const s = r.snapshot();
    expect(s.phase).toBe("done");
    expect(s.done).toBe(3);
    expect(s.failed).toBe(1);
    expect(s.failures).toEqual([expect.objectContaining({ taskId: 11, status: "failed", reason: "could not decode the media file" })]);
    expect(runs).toEqual([10, 12, 13]);
    expect(srv.saved.has(11)).toBe(false);
  });

  it("a pre-labeller that cannot prepare stops with a message and stores nothing", async () => {
    const srv = fakeServer(3);
    const { p } = fakePrelabeller({ prepareFails: true });
    const r = runner(srv, p, storageCursor(memStorage()));
    await r.start();
    expect(r.snapshot().phase).toBe("error");
    expect(r.snapshot().message).toMatch(/model file missing/);
    expect(srv.saved.size).toBe(0);
  });

  it("pause stops after the current task; resume continues where it stopped", async () => {
    const srv = fakeServer(4);
    let gate = deferred();
    const { p, runs } = fakePrelabeller({ gate: () => gate.promise });
    const r = runner(srv, p, storageCursor(memStorage()));
    const seen: BatchSnapshot[] = [];
    r.subscribe((s) => seen.push(s));
    const loop = r.start();
    await until(() => runs.length === 1);
    r.pause();
    expect(r.snapshot().phase).toBe("pausing");
    gate.resolve(); // the current task finishes and is stored
    await loop;
    expect(r.snapshot().phase).toBe("paused");
    expect([...srv.saved.keys()]).toEqual([10]);
    expect(r.snapshot().cursor).toBe(10);
    expect(seen.some((s) => s.current?.progress === 0.5)).toBe(true);
    gate = deferred();
    gate.resolve();
    await r.resume();
    expect(r.snapshot().phase).toBe("done");
    expect(runs).toEqual([10, 11, 12, 13]);
    expect(r.snapshot().done).toBe(4);
  });

  it("resume after a reload: a new runner on the same storage continues after the cursor", async () => {
    const storage = memStorage();
    const srv = fakeServer(5);
    let gate = deferred();
    // Task 10 runs straight through; task 11 waits until the test paused.
    const first = fakePrelabeller({ gate: () => (first.runs.length < 2 ? Promise.resolve() : gate.promise) });
    const r1 = runner(srv, first.p, storageCursor(storage), "all");
    const loop = r1.start();
    await until(() => first.runs.length === 2);
    r1.pause();
    gate.resolve();
    await loop;
    expect(first.runs).toEqual([10, 11]);
    // "Reload": a new runner, a new pre-labeller instance, the same localStorage.
    gate = deferred();
    gate.resolve();
    const second = fakePrelabeller();
    const r2 = runner(srv, second.p, storageCursor(storage), "all");
    expect(r2.snapshot().phase).toBe("paused");
    expect(r2.snapshot().done).toBe(2);
    expect(r2.snapshot().recent.map((o) => o.taskId)).toEqual([11, 10]);
    await r2.resume();
    expect(second.runs).toEqual([12, 13, 14]);
    expect(r2.snapshot()).toMatchObject({ phase: "done", done: 5, total: 5 });
    // Done clears the cursor: the next runner starts fresh.
    expect(runner(srv, second.p, storageCursor(storage), "all").snapshot().phase).toBe("idle");
    // Scope "all" ran each task once; nothing was stored twice.
    expect([...srv.saved.values()].every((v) => v.length === 1)).toBe(true);
  });

  it("scope 'missing' skips tasks that already have this model's predictions (the server knows after a lost cursor)", async () => {
    const srv = fakeServer(4);
    await srv.savePrediction(11, { model: "fake-model", modelVersion: "1", document: { regions: [] } });
    await srv.savePrediction(12, { model: "another", modelVersion: "1", document: { regions: [] } });
    const { p, runs } = fakePrelabeller();
    const r = runner(srv, p, storageCursor(null));
    await r.start();
    expect(runs).toEqual([10, 12, 13]);
    expect(r.snapshot()).toMatchObject({ done: 3, skipped: 1, failed: 0 });
    expect(r.snapshot().recent.find((o) => o.taskId === 11)?.reason).toMatch(/already/);
  });

  it("scope 'missing' runs a new model version again on tasks with the old version's predictions", async () => {
    const srv = fakeServer(2);
    await srv.savePrediction(10, { model: "fake-model", modelVersion: "0", document: { regions: [] } });
    await srv.savePrediction(11, { model: "fake-model", modelVersion: "1", document: { regions: [] } });
    const { p, runs } = fakePrelabeller();
    const r = runner(srv, p, storageCursor(null));
    await r.start();
    expect(runs).toEqual([10]);
    expect(r.snapshot()).toMatchObject({ done: 1, skipped: 1 });
  });

  it("cancel aborts the current task, stores nothing of it and drops the cursor", async () => {
    const storage = memStorage();
    const srv = fakeServer(3);
    const gate = deferred();
    const { p, runs } = fakePrelabeller({ gate: () => gate.promise });
    const r = runner(srv, p, storageCursor(storage));
    const loop = r.start();
    await until(() => runs.length === 1);
    r.cancel();
    await loop;
    expect(r.snapshot().phase).toBe("cancelled");
    expect(srv.saved.size).toBe(0);
    expect(r.snapshot().failed).toBe(0);
    expect(storage.m.size).toBe(0);
  });

  it("halt (the worker crashed) stops with the message, keeps the cursor, and resume prepares again", async () => {
    const srv = fakeServer(3);
    let gate = deferred();
    let prepares = 0;
    const fake = fakePrelabeller({ gate: () => (fake.runs.length < 2 ? Promise.resolve() : gate.promise) });
    const p = { ...fake.p, prepare: async () => (prepares++, "ready") };
    const r = runner(srv, p, storageCursor(memStorage()));
    const loop = r.start();
    await until(() => fake.runs.length === 2);
    r.halt("the pre-labelling worker crashed: out of memory");
    await loop;
    expect(r.snapshot()).toMatchObject({ phase: "error", message: "the pre-labelling worker crashed: out of memory", done: 1, failed: 0, cursor: 10 });
    gate = deferred();
    gate.resolve();
    await r.resume();
    expect(prepares).toBe(2);
    expect(fake.runs).toEqual([10, 11, 11, 12]);
    expect(r.snapshot()).toMatchObject({ phase: "done", done: 3 });
  });

  it("computes an ETA from the pace of the tasks that ran", async () => {
    const srv = fakeServer(4);
    let gate = deferred();
    const { p, runs } = fakePrelabeller({ gate: () => gate.promise });
    const r = runner(srv, p, storageCursor(memStorage()));
    const loop = r.start();
    await until(() => runs.length === 1);
    expect(r.snapshot().etaSeconds).toBeNull();
    r.pause();
    gate.resolve();
    await loop;
    // The fake clock advances 1 s per reading; one task ran, three are left.
    const s = r.snapshot();
    expect(s.etaSeconds).toBeGreaterThan(0);
    expect(s.etaSeconds! % 3).toBe(0);
    gate = deferred();
    gate.resolve();
    await r.resume();
  });
});

describe("the pre-labeller registry", () => {
  it("offers the built-ins by data type, one module each, unique ids", () => {
    expect(prelabellersFor("audio").map((p) => p.id)).toEqual(["silero-vad"]);
    expect(prelabellersFor("image").map((p) => p.id)).toEqual(["ppocr-v4"]);
    expect(prelabellersFor("text").map((p) => p.id)).toEqual(["dictionary"]);
    expect(prelabellersFor("video")).toEqual([]);
    expect(new Set(BUILTIN_PRELABELLERS.map((p) => p.id)).size).toBe(BUILTIN_PRELABELLERS.length);
    expect(findPrelabeller("ppocr-v4")?.model).toBe("ppocr-v4");
  });

  it("takes extra modules (bring your own) and refuses a duplicate id", () => {
    const byom = { ...audioVad, id: "yolo-cars", dataType: "image" as const, model: "cars", label: "cars@3" };
    expect(prelabellersFor("image", [byom]).map((p) => p.id)).toEqual(["ppocr-v4", "yolo-cars"]);
    expect(() => prelabellersFor("image", [{ ...byom, id: "ppocr-v4" }])).toThrow(/share the id/);
  });

  it("labels a pre-labeller may use: those allowing its kind; a fitting name by default", () => {
    const labels = [{ name: "car", kinds: ["rect"] }, { name: "noise", kinds: ["segment"] }, { name: "Speech" }];
    expect(labelsFor(audioVad, labels)).toEqual(["noise", "Speech"]);
    expect(defaultLabel(audioVad, labels)).toBe("Speech");
    expect(labelsFor(textDictionary, labels)).toEqual([]);
  });

  it("the dictionary pre-labeller: code-point spans, only labels allowing spans, scores by match kind", async () => {
    const spans = dictionarySpans("😀 Acme met acme in Paris.", [{ pattern: "Acme", label: "ORG" }, { pattern: "Paris", label: "LOC" }], (l) => l === "ORG");
    expect(spans.map((s) => [s.kind === "span" && s.start, s.kind === "span" && s.end, s.label, s.score])).toEqual([[2, 6, "ORG", 0.9], [11, 15, "ORG", 0.8]]);
    const e = { ...env(), project: { id: 7, dataType: "text" as const, labels: [{ name: "ORG" }] }, getJson: async <T,>() => ({ entries: [] }) as T };
    await expect(textDictionary.prepare(e, { signal: new AbortController().signal })).rejects.toThrow(/no dictionary/);
  });
});

async function until(cond: () => boolean) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(cond()).toBe(true);
}

describe("the built-in pre-labeller modules with a fake worker client", () => {
  const signal = new AbortController().signal;
  function recordingClient(result: unknown) {
    const calls: Array<{ op: string; arg: unknown }> = [];
    const client = {
      init: async (session: string) => {
        calls.push({ op: "init", arg: session });
        return {} as never;
      },
      task: async (spec: { kind: string }) => {
        calls.push({ op: "task", arg: spec.kind });
        return result as never;
      },
    } as unknown as WorkerClient;
    return { client, calls };
  }
  const task: BatchTask = { id: 3, status: "new", predictionCount: 0, media: { url: "/m/3", width: 100, height: 50, duration: 10 } };

  it("VAD: loads its session once, decodes to 16 kHz, clamps segments to the duration", async () => {
    const { client, calls } = recordingClient({ segments: [{ start: -0.2, end: 2, score: 0.9 }, { start: 9.5, end: 12, score: 0.7 }], duration: 12 });
    const e = { ...env(), client, decodeAudio16k: async (b: ArrayBuffer) => new Float32Array(b.byteLength) };
    await audioVad.prepare(e, { signal });
    const regions = (await audioVad.run({ task, media: new Blob([new Uint8Array(8)]), text: null, label: "speech" }, null, e, { signal })) as Region[];
    expect(calls).toEqual([{ op: "init", arg: "vad" }, { op: "task", arg: "vad" }]);
    expect(regions.map((r) => r.kind === "segment" && [r.start, r.end, r.label, r.origin, r.model])).toEqual([[0, 2, "speech", "prediction", "silero-vad-v5"], [9.5, 10, "speech", "prediction", "silero-vad-v5"]]);
    await expect(audioVad.run({ task, media: null, text: null, label: "speech" }, null, e, { signal })).rejects.toThrow(/no audio/);
  });

  it("OCR: two sessions, polygons with the text, clamped to the image", async () => {
    const { imageOcr } = await import("@/lib/prelabel/batch/prelabellers/image-ocr");
    const line = { points: [[-5, 1], [120, 1], [120, 20], [-5, 20]], score: 0.9, text: "Hello", confidence: 0.5 };
    const { client, calls } = recordingClient([line]);
    const e = { ...env(), client, decodeImage: async () => ({ width: 100, height: 50, data: new Uint8ClampedArray(100 * 50 * 4) }) };
    await imageOcr.prepare(e, { signal });
    const [r] = (await imageOcr.run({ task, media: new Blob([]), text: null, label: "text" }, null, e, { signal })) as Region[];
    expect(calls.map((c) => c.arg)).toEqual(["ocr-det", "ocr-rec", "ocr"]);
    expect(r).toMatchObject({ kind: "polygon", label: "text", origin: "prediction", model: "ppocr-v4", attributes: { text: "Hello" }, score: 0.45 });
    expect(r!.kind === "polygon" && r!.points).toEqual([[0, 1], [100, 1], [100, 20], [0, 20]]);
  });
});

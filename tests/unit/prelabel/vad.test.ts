import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { detectSpeech } from "@/lib/prelabel/silero-vad/vad";
import { resample } from "@/lib/prelabel/silero-vad/resample";
import { fixture, modelPath, nodeSession, readWav, webSession } from "./helpers";

const truth = JSON.parse(fs.readFileSync(fixture("audio/meeting.wav.json"), "utf8")) as { start: number; end: number }[];

function expectUtterances(segments: { start: number; end: number }[]) {
  expect(segments).toHaveLength(truth.length);
  truth.forEach((t, i) => {
    expect(Math.abs(segments[i]!.start - t.start)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(segments[i]!.end - t.end)).toBeLessThanOrEqual(0.3);
  });
}

describe("Silero VAD v5 on meeting.wav", () => {
  const wav = readWav(fixture("audio/meeting.wav"));

  it("finds the three utterances, each boundary within 0.3 s (onnxruntime-node)", async () => {
    const run = await nodeSession(modelPath.silero);
    const progress: number[] = [];
    const res = await detectSpeech(run, wav.samples, wav.sampleRate, { onProgress: (p) => progress.push(p) });
    expectUtterances(res.segments);
    expect(progress.at(-1)).toBe(1);
    for (const s of res.segments) expect(s.score).toBeGreaterThan(0.5);
  });

  it("gives the same segments from 44.1 kHz audio (resampled to 16 kHz)", async () => {
    const run = await nodeSession(modelPath.silero);
    const up = resample(wav.samples, wav.sampleRate, 44100);
    const res = await detectSpeech(run, up, 44100);
    expectUtterances(res.segments);
  });

  it("runs the same code through onnxruntime-web (wasm, one thread): the browser path", async () => {
    const run = await webSession(modelPath.silero);
    const res = await detectSpeech(run, wav.samples, wav.sampleRate);
    expectUtterances(res.segments);
  });

  it("stops when aborted", async () => {
    const run = await nodeSession(modelPath.silero);
    const ac = new AbortController();
    ac.abort(new Error("cancelled by user"));
    await expect(detectSpeech(run, wav.samples, wav.sampleRate, { signal: ac.signal })).rejects.toThrow("cancelled by user");
  });
});

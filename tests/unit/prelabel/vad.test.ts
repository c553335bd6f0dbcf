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
  }, 60000);

  it("finds the same utterance in 44.1 kHz audio (resampled to 16 kHz inside)", async () => {
    const run = await nodeSession(modelPath.silero);
    const up = resample(wav.samples.subarray(0, 5.5 * wav.sampleRate), wav.sampleRate, 44100);
    const res = await detectSpeech(run, up, 44100);
    expect(res.segments).toHaveLength(1);
    expect(Math.abs(res.segments[0]!.start - truth[0]!.start)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(res.segments[0]!.end - truth[0]!.end)).toBeLessThanOrEqual(0.3);
  }, 60000);

  it("runs the same code through onnxruntime-web (wasm, one thread): the browser path", async () => {
    const run = await webSession(modelPath.silero);
    const res = await detectSpeech(run, wav.samples, wav.sampleRate);
    expectUtterances(res.segments);
  }, 60000);

  it("stops when aborted", async () => {
    const run = await nodeSession(modelPath.silero);
    const ac = new AbortController();
    ac.abort(new Error("cancelled by user"));
    await expect(detectSpeech(run, wav.samples, wav.sampleRate, { signal: ac.signal })).rejects.toThrow("cancelled by user");
  });
});

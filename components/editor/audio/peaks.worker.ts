/// <reference lib="webworker" />
// Computes waveform peaks off the main thread. WAV is streamed: the header is parsed from the
// first bytes, then every chunk is folded into min/max buckets as it arrives and posted ~8 times
// a second, so the waveform fills in from the left while the rest downloads. If the user looks
// at a part the stream has not reached, that part is fetched first with an HTTP Range request.
// Other formats arrive as decoded samples from the main thread (the decoder lives there).
import { PeakBuilder, baseBucketFrames } from "@/lib/annotation/audio/peaks";
import { WavError, parseWavHeader, readFrames, type WavInfo } from "@/lib/annotation/audio/wav";
import { spectrogram } from "@/lib/annotation/audio/spectrogram";
import { SPECTROGRAM_MAX_SECONDS, type FromWorker, type ToWorker } from "./peaks-protocol";

const ctx = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => ctx.postMessage(m, transfer);
const POST_EVERY_MS = 120;

let builder: PeakBuilder | null = null;
let wav: WavInfo | null = null;
let url = "";
/** Frames the sequential stream has reached. */
let streamed = 0;
/** Frame ranges fetched out of order (viewport first), so neither path redoes the other's work. */
const fetched: Array<[number, number]> = [];
let lastPost = 0;
/** A viewport fetch in progress: the stream pauses (TCP backpressure) so it gets the bandwidth. */
let focusing: Promise<void> | null = null;
/** Decoded mono samples (compressed formats), kept for the spectrogram. */
let decoded: { sampleRate: number; samples: Float32Array } | null = null;

function flush(force = false): void {
  if (!builder) return;
  const now = performance.now();
  if (!force && now - lastPost < POST_EVERY_MS) return;
  lastPost = now;
  const d = builder.take();
  if (d) post({ type: "peaks", from: d.from, min: d.min, max: d.max, framesDone: builder.framesAdded }, [d.min.buffer, d.max.buffer]);
}

const covered = (f0: number, f1: number) => f1 <= streamed || fetched.some(([a, b]) => a <= f0 && b >= f1);

async function streamWav(u: string): Promise<void> {
  const t0 = performance.now();
  url = u;
  // no-store: the bytes are folded into peaks as they pass; caching 600 MB would only cost memory.
  const res = await fetch(u, { credentials: "same-origin", cache: "no-store" });
  if (!res.ok || !res.body) return post({ type: "error", message: `The audio file could not be downloaded (HTTP ${res.status}).` });
  const size = Number(res.headers.get("content-length")) || undefined;
  const reader = res.body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let rest: Uint8Array = new Uint8Array(0); // bytes of a frame split across chunks
  for (;;) {
    if (focusing) await focusing;
    const { value, done } = await reader.read();
    if (done) break;
    if (!wav) {
      head = concat(head, value);
      let info: WavInfo | null;
      try {
        info = parseWavHeader(head, size);
      } catch (e) {
        await reader.cancel();
        return post({ type: "unsupported", reason: e instanceof WavError ? e.message : String(e) });
      }
      if (!info) {
        if (head.length > 1 << 20) return void (await reader.cancel(), post({ type: "unsupported", reason: "no WAV data chunk in the first MB" }));
        continue;
      }
      wav = info;
      builder = new PeakBuilder(info.frames, baseBucketFrames(info.frames, info.sampleRate));
      post({ type: "info", sampleRate: info.sampleRate, frames: info.frames, spb: builder.spb, channels: info.channels, source: "wav-stream" });
      rest = head.slice(info.dataOffset);
    } else {
      rest = rest.length ? concat(rest, value) : copyAligned(value);
    }
    const usable = Math.min(rest.length - (rest.length % wav.blockAlign), (wav.frames - streamed) * wav.blockAlign);
    if (usable > 0) {
      const first = streamed;
      if (!covered(first, first + usable / wav.blockAlign)) builder!.addWav(wav, rest.subarray(0, usable), first);
      streamed += usable / wav.blockAlign;
      rest = rest.slice(usable);
    }
    flush();
    if (streamed >= wav.frames) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  if (!wav) return post({ type: "unsupported", reason: "the file ended before its WAV header" });
  flush(true);
  post({ type: "done", ms: performance.now() - t0 });
}

/** Fetch the viewport's bytes with a Range request when the stream is still behind it. */
async function focus(t0: number, t1: number): Promise<void> {
  if (!wav || !builder) return;
  const f0 = Math.max(streamed, Math.floor(t0 * wav.sampleRate));
  const f1 = Math.min(wav.frames, Math.ceil(t1 * wav.sampleRate));
  // Close enough that the stream gets there soon anyway, or already done: nothing to do.
  if (f1 <= f0 || covered(f0, f1) || f0 - streamed < wav.sampleRate * 30) return;
  fetched.push([f0, f1]);
  const from = wav.dataOffset + f0 * wav.blockAlign;
  const to = wav.dataOffset + f1 * wav.blockAlign - 1;
  const res = await fetch(url, { headers: { range: `bytes=${from}-${to}` }, credentials: "same-origin", cache: "no-store" });
  if (res.status !== 206) return; // no Range support: the stream will get there
  builder.addWav(wav, new Uint8Array(await res.arrayBuffer()), f0);
  flush(true);
}

function fromSamples(sampleRate: number, samples: Float32Array): void {
  const t0 = performance.now();
  decoded = { sampleRate, samples };
  builder = new PeakBuilder(samples.length, baseBucketFrames(samples.length, sampleRate));
  post({ type: "info", sampleRate, frames: samples.length, spb: builder.spb, channels: 1, source: "decoded" });
  const step = sampleRate * 60; // a minute at a time, posting as it goes
  for (let f = 0; f < samples.length; f += step) {
    builder.addSamples(f, samples.subarray(f, Math.min(samples.length, f + step)));
    flush();
  }
  flush(true);
  post({ type: "done", ms: performance.now() - t0 });
}

/** The viewport's mono samples: from the decoded buffer, or a Range request into the WAV. */
async function samplesFor(t0: number, t1: number): Promise<{ sampleRate: number; samples: Float32Array } | string> {
  if (t1 - t0 > SPECTROGRAM_MAX_SECONDS) return `Zoom in to ${SPECTROGRAM_MAX_SECONDS / 60} minutes or less to see the spectrogram.`;
  if (decoded) {
    const sr = decoded.sampleRate;
    return { sampleRate: sr, samples: decoded.samples.subarray(Math.max(0, Math.floor(t0 * sr)), Math.min(decoded.samples.length, Math.ceil(t1 * sr))) };
  }
  if (!wav) return "The spectrogram needs the audio's samples, which are not loaded yet.";
  const f0 = Math.max(0, Math.floor(t0 * wav.sampleRate));
  const f1 = Math.min(wav.frames, Math.ceil(t1 * wav.sampleRate));
  if (f1 <= f0) return "Nothing to show here.";
  const res = await fetch(url, { headers: { range: `bytes=${wav.dataOffset + f0 * wav.blockAlign}-${wav.dataOffset + f1 * wav.blockAlign - 1}` }, credentials: "same-origin", cache: "no-store" });
  if (res.status !== 206) return `The server did not answer the range request (HTTP ${res.status}).`;
  const bytes = copyAligned(new Uint8Array(await res.arrayBuffer()));
  const out = new Float32Array(Math.floor(bytes.length / wav.blockAlign));
  readFrames(wav, bytes.subarray(0, out.length * wav.blockAlign), (i, v) => (out[i] = v));
  return { sampleRate: wav.sampleRate, samples: out };
}

async function spectrogramFor(id: number, t0: number, t1: number, columns: number): Promise<void> {
  const got = await samplesFor(t0, t1);
  if (typeof got === "string") return post({ type: "spectrogram-unavailable", id, reason: got });
  const size = got.sampleRate >= 32_000 ? 1024 : 512; // ~23-32 ms windows
  const { bins, data } = spectrogram(got.samples, Math.max(1, Math.min(4096, columns)), size);
  post({ type: "spectrogram", id, t0, t1, columns, bins, sampleRate: got.sampleRate, data }, [data.buffer]);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
/** A copy at offset 0 so typed-array views over it are aligned (fast path in readFrames). */
function copyAligned(b: Uint8Array): Uint8Array {
  return b.byteOffset % 4 === 0 ? b : b.slice();
}

ctx.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const fail = (err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) });
  if (m.type === "wav") {
    streamWav(m.url).catch((err: unknown) =>
      // fetch() rejects with a TypeError for network and CORS failures (a URL task on another site).
      err instanceof TypeError
        ? post({ type: "error", message: `The audio could not be downloaded for the waveform (${err.message}); the server may not allow it.` })
        : fail(err),
    );
  }
  else if (m.type === "samples") {
    try {
      fromSamples(m.sampleRate, m.samples);
    } catch (err) {
      fail(err);
    }
  } else if (m.type === "focus") focus(m.t0, m.t1).catch(() => undefined);
  else if (m.type === "spectrogram") spectrogramFor(m.id, m.t0, m.t1, m.columns).catch((err) => post({ type: "spectrogram-unavailable", id: m.id, reason: String(err) }));
};

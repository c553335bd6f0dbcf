// Synthetic long recordings for the audio bench: "utterances" (a few harmonics with a syllable
// envelope) separated by pauses and low noise, so the waveform has the structure of speech.
// Written a second at a time, so an hour of 44.1 kHz stereo never sits in memory.
import fs from "node:fs";
import { wavHeader } from "../../lib/annotation/audio/wav";

export function writeSpeechLikeWav(file: string, opts: { seconds: number; sampleRate: number; channels: 1 | 2 }): number {
  const { seconds, sampleRate: sr, channels } = opts;
  const frames = seconds * sr;
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, wavHeader({ sampleRate: sr, channels, bitsPerSample: 16, frames }));
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const buf = Buffer.alloc(sr * channels * 2);
  let phase = 0;
  for (let s = 0; s < seconds; s++) {
    // 4 s cycle: ~3 s of "speech" with a random pitch and loudness, then ~1 s pause.
    const cyc = s % 4;
    const loud = cyc < 3 ? 0.25 + 0.5 * rnd() : 0;
    const f0 = 110 + 120 * rnd();
    for (let i = 0; i < sr; i++) {
      const t = (s * sr + i) / sr;
      const env = loud * Math.max(0, Math.sin(Math.PI * 4 * t)) ** 2; // ~4 syllables a second
      phase += (2 * Math.PI * f0) / sr;
      const v = env * (0.6 * Math.sin(phase) + 0.3 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase)) + 0.01 * (rnd() - 0.5);
      const q = Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
      for (let c = 0; c < channels; c++) buf.writeInt16LE(c === 1 ? q >> 1 : q, (i * channels + c) * 2);
    }
    fs.writeSync(fd, buf);
  }
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

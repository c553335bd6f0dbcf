// Audio to what Silero wants: mono, 16 kHz. Pure, Float32Array in/out.
import { mixToMono } from "../../annotation/audio/peaks";

/** Average the channels (each a Float32Array of the same length) into one. */
export function toMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  return mixToMono(channels);
}

/**
 * Resample with a Hann-windowed sinc (band-limited, so downsampling 44.1/48 kHz does not fold
 * high-frequency noise into the speech band). Any rate to any rate; the same rate returns the input.
 * `halfTaps` input-rate zero crossings each side when upsampling (scaled by the ratio when down).
 */
export function resample(input: Float32Array, fromRate: number, toRate: number, halfTaps = 16): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError(`bad sample rates ${fromRate} -> ${toRate}`);
  if (fromRate === toRate) return input;
  const ratio = fromRate / toRate; // input samples per output sample
  const outLen = Math.floor((input.length * toRate) / fromRate);
  const out = new Float32Array(outLen);
  const cutoff = Math.min(1, 1 / ratio) * 0.95; // relative to the input Nyquist
  const half = Math.ceil(halfTaps * Math.max(1, ratio)); // input samples each side
  const n = input.length;
  for (let i = 0; i < outLen; i++) {
    const t = i * ratio; // position in input samples
    const k0 = Math.max(0, Math.ceil(t - half));
    const k1 = Math.min(n - 1, Math.floor(t + half));
    let acc = 0;
    let wsum = 0;
    for (let k = k0; k <= k1; k++) {
      const x = k - t;
      const arg = Math.PI * x * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(arg) / arg;
      const win = 0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 1));
      const w = sinc * win;
      acc += input[k]! * w;
      wsum += w;
    }
    out[i] = wsum !== 0 ? acc / wsum : 0;
  }
  return out;
}

// A small short-time Fourier transform for the optional spectrogram: a radix-2 FFT, a Hann
// window, and one magnitude column per screen column, scaled to 0..255 in dB. Pure; the peaks
// worker runs it on the viewport's samples.

/** In-place radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float32Array, im: Float32Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/**
 * Magnitudes of `columns` windows centred evenly across `samples`, `size / 2` bins each
 * (row-major: column c, bin b at c * bins + b; bin 0 = 0 Hz), in dB mapped from
 * [floorDb, 0] to 0..255.
 */
export function spectrogram(samples: Float32Array, columns: number, size = 512, floorDb = -90): { bins: number; data: Uint8Array } {
  const bins = size / 2;
  const data = new Uint8Array(columns * bins);
  const re = new Float32Array(size);
  const im = new Float32Array(size);
  const hann = new Float32Array(size);
  for (let i = 0; i < size; i++) hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
  const norm = 2 / size / 0.5; // a full-scale sine reads ~0 dB (Hann's coherent gain is 0.5)
  for (let c = 0; c < columns; c++) {
    const centre = Math.floor(((c + 0.5) / columns) * samples.length);
    const from = centre - size / 2;
    for (let i = 0; i < size; i++) {
      const s = from + i;
      re[i] = s >= 0 && s < samples.length ? samples[s]! * hann[i]! : 0;
      im[i] = 0;
    }
    fft(re, im);
    for (let b = 0; b < bins; b++) {
      const mag = Math.hypot(re[b]!, im[b]!) * norm;
      const db = 20 * Math.log10(mag + 1e-12);
      data[c * bins + b] = Math.max(0, Math.min(255, Math.round(((db - floorDb) / -floorDb) * 255)));
    }
  }
  return { bins, data };
}

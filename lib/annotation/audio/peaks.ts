// Waveform peaks: min/max of the (channel-averaged) signal per bucket of frames, at a base
// resolution, plus coarser levels (each halves the previous) so drawing an hour on 1,000 pixels
// reads ~1,000 buckets, not millions. Buckets fill in any order (streamed, or a range fetched
// first for the viewport); an unfilled bucket has min = +Infinity, max = -Infinity.
// Pure and DOM-free: the peaks worker and the canvas both use it.
import { readFrames, type WavInfo } from "./wav";

/** Base bucket size: fine enough to zoom to ~1/100 s, coarse enough that an hour stays ~10 MB. */
export function baseBucketFrames(totalFrames: number, sampleRate: number): number {
  const target = Math.max(16, Math.round(sampleRate / 400)); // ~2.5 ms buckets
  // Cap the base level at ~2M buckets (16 MB of Float32 min+max) for very long files.
  let spb = target;
  while (totalFrames / spb > 2_000_000) spb *= 2;
  return spb;
}

/** Accumulates frames into base buckets (the worker side). */
export class PeakBuilder {
  readonly min: Float32Array;
  readonly max: Float32Array;
  /** Base buckets touched since the last take(), as [lo, hi). */
  private dirtyLo = Infinity;
  private dirtyHi = -Infinity;
  framesAdded = 0;

  constructor(
    readonly totalFrames: number,
    readonly spb: number,
  ) {
    const n = Math.max(1, Math.ceil(totalFrames / spb));
    this.min = new Float32Array(n).fill(Infinity);
    this.max = new Float32Array(n).fill(-Infinity);
  }

  get buckets(): number {
    return this.min.length;
  }

  /** Add one frame's value at absolute frame index f. */
  add(f: number, v: number): void {
    const b = Math.floor(f / this.spb);
    if (b < 0 || b >= this.min.length) return;
    if (v < this.min[b]!) this.min[b] = v;
    if (v > this.max[b]!) this.max[b] = v;
  }

  /** Mark frames [first, first + n) added (for progress and the dirty range). */
  touched(first: number, n: number): void {
    if (n <= 0) return;
    this.framesAdded += n;
    this.dirtyLo = Math.min(this.dirtyLo, Math.floor(first / this.spb));
    this.dirtyHi = Math.max(this.dirtyHi, Math.min(this.min.length, Math.floor((first + n - 1) / this.spb) + 1));
  }

  /** Add mono samples starting at frame `first`. */
  addSamples(first: number, samples: ArrayLike<number>): void {
    for (let i = 0; i < samples.length; i++) this.add(first + i, samples[i]!);
    this.touched(first, samples.length);
  }

  /**
   * Fold whole WAV frames starting at frame `first` (the worker's hot loop). 16-bit PCM and
   * 32-bit float run bucket by bucket over a typed array with no per-sample call; other sample
   * formats go through readFrames.
   */
  addWav(info: WavInfo, bytes: Uint8Array, first: number): void {
    const n = Math.floor(bytes.length / info.blockAlign);
    const ch = info.channels;
    const int16 = info.format === 1 && info.bitsPerSample === 16 && bytes.byteOffset % 2 === 0;
    const f32 = info.format === 3 && info.bitsPerSample === 32 && bytes.byteOffset % 4 === 0;
    if (!int16 && !f32) {
      readFrames(info, bytes.subarray(0, n * info.blockAlign), (i, v) => this.add(first + i, v));
      this.touched(first, n);
      return;
    }
    const a = int16 ? new Int16Array(bytes.buffer, bytes.byteOffset, n * ch) : new Float32Array(bytes.buffer, bytes.byteOffset, n * ch);
    const scale = (int16 ? 1 / 32768 : 1) / ch;
    const { min, max, spb } = this;
    let i = 0; // frame index within the chunk
    let k = 0; // sample index
    while (i < n) {
      const b = Math.floor((first + i) / spb);
      if (b >= min.length) break;
      const end = Math.min(n, (b + 1) * spb - first);
      let mn = min[b]!;
      let mx = max[b]!;
      for (; i < end; i++) {
        let s = 0;
        for (let c = 0; c < ch; c++) s += a[k++]!;
        const v = s * scale;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      min[b] = mn;
      max[b] = mx;
    }
    this.touched(first, n);
  }

  /** The changed buckets since the last call (copies, ready to transfer), or null. */
  take(): { from: number; min: Float32Array; max: Float32Array } | null {
    if (this.dirtyHi <= this.dirtyLo) return null;
    const from = this.dirtyLo;
    const out = { from, min: this.min.slice(from, this.dirtyHi), max: this.max.slice(from, this.dirtyHi) };
    this.dirtyLo = Infinity;
    this.dirtyHi = -Infinity;
    return out;
  }
}

/** Mix channels to mono (what the waveform shows). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i]! += c[i]!;
  const inv = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i]! *= inv;
  return out;
}

/** Base buckets plus halving levels; the main thread keeps one and draws from it. */
export class PeakPyramid {
  /** levels[0] is the base; levels[k] buckets span spb * 2^k frames. */
  readonly levels: Array<{ min: Float32Array; max: Float32Array }> = [];
  private covered = 0;

  constructor(
    readonly totalFrames: number,
    readonly spb: number,
    readonly sampleRate: number,
  ) {
    let n = Math.max(1, Math.ceil(totalFrames / spb));
    for (;;) {
      this.levels.push({ min: new Float32Array(n).fill(Infinity), max: new Float32Array(n).fill(-Infinity) });
      if (n <= 1) break;
      n = Math.ceil(n / 2);
    }
  }

  get baseBuckets(): number {
    return this.levels[0]!.min.length;
  }
  /** Buckets filled at the base level (progress), counted as updates arrive. */
  get coveredBuckets(): number {
    return this.covered;
  }

  /** Write base buckets [from, from + min.length) and refresh the levels above them. */
  set(from: number, min: Float32Array, max: Float32Array): void {
    const base = this.levels[0]!;
    const n = Math.min(min.length, base.min.length - from);
    for (let i = 0; i < n; i++) {
      if (base.max[from + i]! < base.min[from + i]! && max[i]! >= min[i]!) this.covered++;
      base.min[from + i] = min[i]!;
      base.max[from + i] = max[i]!;
    }
    let lo = from;
    let hi = from + n;
    for (let k = 1; k < this.levels.length; k++) {
      const src = this.levels[k - 1]!;
      const dst = this.levels[k]!;
      lo = Math.floor(lo / 2);
      hi = Math.ceil(hi / 2);
      for (let j = lo; j < hi && j < dst.min.length; j++) {
        const a = 2 * j;
        const b = Math.min(a + 1, src.min.length - 1);
        dst.min[j] = Math.min(src.min[a]!, src.min[b]!);
        dst.max[j] = Math.max(src.max[a]!, src.max[b]!);
      }
    }
  }

  /**
   * Min/max for each of `columns` screen columns covering [t0, t0 + columns * secPerCol), from the
   * coarsest level still finer than a column. NaN where nothing is known yet.
   */
  columns(t0: number, secPerCol: number, columns: number): { min: Float32Array; max: Float32Array } {
    const framesPerCol = secPerCol * this.sampleRate;
    let k = 0;
    // A level with >= 8 buckets per column: each bucket goes to the column its start falls in,
    // so a peak lands at most 1/8 of a column away from where it is, and is never drawn twice.
    while (k + 1 < this.levels.length && this.spb * 2 ** (k + 1) * 8 <= framesPerCol) k++;
    const lvl = this.levels[k]!;
    const bf = this.spb * 2 ** k; // frames per bucket at this level
    const outMin = new Float32Array(columns).fill(NaN);
    const outMax = new Float32Array(columns).fill(NaN);
    for (let c = 0; c < columns; c++) {
      const f0 = (t0 + c * secPerCol) * this.sampleRate;
      const f1 = f0 + framesPerCol;
      if (f1 <= 0 || f0 >= this.totalFrames) continue;
      let b0 = Math.ceil(f0 / bf);
      let b1 = Math.ceil(f1 / bf);
      if (b1 <= b0) (b0 = Math.floor(f0 / bf)), (b1 = b0 + 1); // zoomed in past the base buckets
      b0 = Math.max(0, b0);
      b1 = Math.min(lvl.min.length, b1);
      let mn = Infinity;
      let mx = -Infinity;
      for (; b0 < b1; b0++) {
        if (lvl.min[b0]! < mn) mn = lvl.min[b0]!;
        if (lvl.max[b0]! > mx) mx = lvl.max[b0]!;
      }
      if (mx >= mn) {
        outMin[c] = mn;
        outMax[c] = mx;
      }
    }
    return { min: outMin, max: outMax };
  }

  /** Whether every base bucket in [t0, t1) seconds is filled (the viewport is drawable). */
  isCovered(t0: number, t1: number): boolean {
    const base = this.levels[0]!;
    const b0 = Math.max(0, Math.floor((t0 * this.sampleRate) / this.spb));
    const b1 = Math.min(base.min.length, Math.ceil((t1 * this.sampleRate) / this.spb));
    for (let b = b0; b < b1; b++) if (!(base.max[b]! >= base.min[b]!)) return false;
    return true;
  }
}

// Speech probabilities per frame -> speech segments in seconds. Pure, no model: hysteresis
// (start at >= threshold, end after the probability stays < negThreshold for minSilence), drop
// segments shorter than minSpeech, then pad each side without overlapping its neighbours.

export interface VadSettings {
  /** Probability that starts speech. */
  threshold: number;
  /** Probability below which silence counts (hysteresis). Default threshold - 0.15. */
  negThreshold: number;
  /** Segments shorter than this are dropped, seconds. */
  minSpeech: number;
  /** Silence must last this long to end a segment, seconds. */
  minSilence: number;
  /** Added before and after each segment (clamped to the neighbours and the clip), seconds. */
  padding: number;
}

export const DEFAULT_VAD_SETTINGS: VadSettings = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeech: 0.25,
  minSilence: 0.3,
  // 0.1 s, not Silero's 30 ms: a labeller would rather trim a segment than miss a soft word ending.
  padding: 0.1,
};

export interface SpeechSegment {
  /** Seconds from the start of the clip. */
  start: number;
  end: number;
  /** Mean speech probability of the frames inside (before padding), in [0, 1]. */
  score: number;
}

export function resolveVadSettings(s: Partial<VadSettings> = {}): VadSettings {
  const threshold = s.threshold ?? DEFAULT_VAD_SETTINGS.threshold;
  const out: VadSettings = {
    threshold,
    negThreshold: s.negThreshold ?? Math.max(0.01, threshold - 0.15),
    minSpeech: s.minSpeech ?? DEFAULT_VAD_SETTINGS.minSpeech,
    minSilence: s.minSilence ?? DEFAULT_VAD_SETTINGS.minSilence,
    padding: s.padding ?? DEFAULT_VAD_SETTINGS.padding,
  };
  if (!(out.threshold > 0 && out.threshold < 1)) throw new RangeError("threshold must be in (0, 1)");
  if (!(out.negThreshold > 0 && out.negThreshold <= out.threshold)) throw new RangeError("negThreshold must be in (0, threshold]");
  for (const k of ["minSpeech", "minSilence", "padding"] as const) {
    if (!(out[k] >= 0 && Number.isFinite(out[k]))) throw new RangeError(`${k} must be a non-negative number of seconds`);
  }
  return out;
}

/**
 * @param probs speech probability per frame
 * @param frameSeconds duration of one frame (512 / 16000 for Silero v5)
 * @param duration clip length in seconds (segments are clamped to it)
 */
export function segmentSpeech(probs: ArrayLike<number>, frameSeconds: number, duration: number, settings: Partial<VadSettings> = {}): SpeechSegment[] {
  const s = resolveVadSettings(settings);
  const raw: { a: number; b: number }[] = []; // frame index ranges [a, b)
  let inSpeech = false;
  let start = 0;
  let silentSince = -1; // first frame of the current run below negThreshold
  const minSilenceFrames = s.minSilence / frameSeconds;
  const minSpeechFrames = s.minSpeech / frameSeconds;
  const close = (end: number) => {
    if (end - start >= minSpeechFrames) raw.push({ a: start, b: end });
    inSpeech = false;
    silentSince = -1;
  };
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!inSpeech) {
      if (p >= s.threshold) {
        inSpeech = true;
        start = i;
        silentSince = -1;
      }
      continue;
    }
    if (p >= s.threshold) silentSince = -1;
    else if (p < s.negThreshold) {
      if (silentSince < 0) silentSince = i;
      if (i + 1 - silentSince >= minSilenceFrames) close(silentSince);
    }
    // Between the thresholds: neither starts nor ends anything (hysteresis).
  }
  if (inSpeech) close(silentSince >= 0 ? silentSince : probs.length);

  const segs: SpeechSegment[] = raw.map(({ a, b }) => {
    let sum = 0;
    for (let i = a; i < b; i++) sum += probs[i]!;
    return { start: a * frameSeconds, end: Math.min(duration, b * frameSeconds), score: sum / Math.max(1, b - a) };
  });
  // Padding: never past the clip, never into the neighbour (split the gap when it is too small).
  for (let i = 0; i < segs.length; i++) {
    const cur = segs[i]!;
    const prevEnd = i > 0 ? raw[i - 1]!.b * frameSeconds : 0;
    const nextStart = i + 1 < segs.length ? raw[i + 1]!.a * frameSeconds : duration;
    const gapBefore = cur.start - prevEnd;
    const gapAfter = nextStart - cur.end;
    cur.start = Math.max(0, cur.start - (i > 0 ? Math.min(s.padding, gapBefore / 2) : s.padding));
    cur.end = Math.min(duration, cur.end + (i + 1 < segs.length ? Math.min(s.padding, gapAfter / 2) : s.padding));
  }
  return segs.map((g) => ({ start: round(g.start), end: round(g.end), score: round(g.score) }));
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

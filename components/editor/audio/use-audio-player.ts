"use client";
// Playback through an <audio> element: the browser streams it with HTTP Range requests, so
// playing and seeking work at once on an hour-long file, long before its peaks are complete.
// Time is read every animation frame while playing (timeupdate is only ~4 Hz); a loop segment
// wraps playback back to its start.
import { useCallback, useEffect, useRef, useState } from "react";

export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

export interface Player {
  ready: boolean;
  playing: boolean;
  time: number;
  rate: number;
  /** Duration the browser reports (may differ slightly from the server's). */
  duration: number | null;
  error: string | null;
  /** Loop this interval while playing (the selected segment), or null. */
  loop: { start: number; end: number } | null;
  toggle(): void;
  play(): void;
  pause(): void;
  seek(t: number): void;
  setRate(r: number): void;
  setLoop(l: { start: number; end: number } | null): void;
  /** The element's current time, read now (for Enter while playing). */
  now(): number;
}

const MEDIA_ERRORS: Record<number, string> = {
  1: "Loading the audio was aborted.",
  2: "A network error stopped the audio from loading.",
  3: "Your browser could not decode this audio (the file may be damaged).",
  4: "Your browser cannot play this audio format, or the file is not audio.",
};

export function useAudioPlayer(src: string): Player & { ref: (el: HTMLAudioElement | null) => void } {
  const el = useRef<HTMLAudioElement | null>(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [rate, setRateState] = useState(1);
  const [duration, setDuration] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loop, setLoopState] = useState<{ start: number; end: number } | null>(null);
  const loopRef = useRef(loop);
  loopRef.current = loop;

  const ref = useCallback((a: HTMLAudioElement | null) => {
    el.current = a;
  }, []);

  useEffect(() => {
    const a = el.current;
    if (!a) return;
    const onMeta = () => {
      setReady(true);
      if (Number.isFinite(a.duration)) setDuration(a.duration);
    };
    const onErr = () => setError(MEDIA_ERRORS[a.error?.code ?? 0] ?? "The audio could not be played.");
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    const onTime = () => setTime(a.currentTime);
    a.addEventListener("loadedmetadata", onMeta);
    a.addEventListener("error", onErr);
    a.addEventListener("play", onPlay);
    a.addEventListener("pause", onPause);
    a.addEventListener("ended", onPause);
    a.addEventListener("seeked", onTime);
    a.addEventListener("timeupdate", onTime);
    if (a.readyState >= 1) onMeta();
    if (a.error) onErr();
    return () => {
      a.removeEventListener("loadedmetadata", onMeta);
      a.removeEventListener("error", onErr);
      a.removeEventListener("play", onPlay);
      a.removeEventListener("pause", onPause);
      a.removeEventListener("ended", onPause);
      a.removeEventListener("seeked", onTime);
      a.removeEventListener("timeupdate", onTime);
    };
  }, [src]);

  // While playing: a smooth playhead, and the loop.
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    const tick = () => {
      const a = el.current;
      if (a) {
        const l = loopRef.current;
        if (l && (a.currentTime >= l.end || a.currentTime < l.start - 0.25)) a.currentTime = l.start;
        setTime(a.currentTime);
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  const play = useCallback(() => {
    const a = el.current;
    if (!a) return;
    const l = loopRef.current;
    if (l && (a.currentTime < l.start || a.currentTime >= l.end)) a.currentTime = l.start;
    a.play().catch((e: unknown) => {
      // A pause() racing play() rejects with AbortError: not an error worth showing.
      if (e instanceof DOMException && e.name === "AbortError") return;
      setError(e instanceof Error ? `Playback failed: ${e.message}` : "Playback failed.");
    });
  }, []);
  const pause = useCallback(() => el.current?.pause(), []);
  const toggle = useCallback(() => (el.current && !el.current.paused ? pause() : play()), [play, pause]);
  const seek = useCallback((t: number) => {
    const a = el.current;
    if (!a) return;
    const max = Number.isFinite(a.duration) ? a.duration : Infinity;
    a.currentTime = Math.max(0, Math.min(max, t));
    setTime(a.currentTime);
  }, []);
  const setRate = useCallback((r: number) => {
    if (el.current) el.current.playbackRate = r;
    setRateState(r);
  }, []);
  const setLoop = useCallback((l: { start: number; end: number } | null) => setLoopState(l), []);
  const now = useCallback(() => el.current?.currentTime ?? 0, []);

  return { ref, ready, playing, time, rate, duration, error, loop, toggle, play, pause, seek, setRate, setLoop, now };
}

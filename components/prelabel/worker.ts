"use client";
// The page side of pre-labelling, shared by the editors' pre-label buttons and the batch page:
// one place that spawns the worker (lib/prelabel/runtime/worker.ts) with the remembered backend
// choice, reports a crash once, and decodes media the way the models want it.
import { PrelabelClient } from "@/lib/prelabel/runtime/client";
import { storageMemory } from "@/lib/prelabel/runtime/backend";
import { mixToMono } from "@/lib/annotation/audio/peaks";
import type { RgbaImage } from "@/lib/prelabel/image";
import type { BackendPreference } from "@/lib/prelabel/runtime/protocol";

/** The user's backend override ("Runs on" in the pre-label popovers), one for all pre-labellers. */
export const PREFERENCE_KEY = "loupe.prelabel.preference";

export function readPreference(): BackendPreference {
  try {
    const v = window.localStorage.getItem(PREFERENCE_KEY);
    return v === "webgpu" || v === "wasm" ? v : "auto";
  } catch {
    return "auto";
  }
}

export function writePreference(p: BackendPreference): void {
  try {
    window.localStorage.setItem(PREFERENCE_KEY, p);
  } catch {
    // private mode: the choice lasts this page
  }
}

export interface SpawnedWorker {
  worker: Worker;
  client: PrelabelClient;
}

/**
 * A new pre-labelling worker and its client. `onCrash` gets a lower-case sentence ("the
 * pre-labelling worker crashed: …") when the worker dies or sends garbage; the worker is
 * terminated by then, so the caller only drops it and says so.
 */
export function spawnPrelabelWorker(onCrash: (message: string) => void): SpawnedWorker {
  const worker = new Worker(new URL("../../lib/prelabel/runtime/worker.ts", import.meta.url), { type: "module" });
  let memory;
  try {
    memory = storageMemory(window.localStorage);
  } catch {
    memory = undefined; // private mode: the backend is measured again next time
  }
  const client = new PrelabelClient(worker, memory);
  let dead = false;
  const die = (msg: string) => {
    if (dead) return;
    dead = true;
    worker.terminate();
    onCrash(msg);
  };
  worker.addEventListener("error", (ev) => {
    ev.preventDefault();
    die(`the pre-labelling worker crashed${ev.message ? `: ${ev.message}` : ""}`);
  });
  worker.addEventListener("messageerror", () => die("the pre-labelling worker sent an unreadable message"));
  return { worker, client };
}

export const VAD_RATE = 16000;

/** Decode audio bytes straight to 16 kHz mono (an OfflineAudioContext at 16 kHz resamples while decoding). */
export async function decodeAudio16k(bytes: ArrayBuffer): Promise<Float32Array> {
  const ctx = new OfflineAudioContext(1, 1, VAD_RATE);
  let buf: AudioBuffer;
  try {
    buf = await ctx.decodeAudioData(bytes);
  } catch {
    throw new Error("this browser cannot decode the audio file");
  }
  const chans = Array.from({ length: buf.numberOfChannels }, (_, i) => buf.getChannelData(i));
  return mixToMono(chans);
}

/** Fetch a same-origin audio file and decode it to 16 kHz mono. */
export async function fetchAudio16k(src: string, signal: AbortSignal): Promise<Float32Array> {
  const res = await fetch(src, { signal, credentials: "same-origin" });
  if (!res.ok) throw new Error(`could not fetch the audio (HTTP ${res.status})`);
  return decodeAudio16k(await res.arrayBuffer());
}

/** Decode an image file to RGBA pixels (off-thread decode, then one OffscreenCanvas read). */
export async function decodeImage(blob: Blob): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error("this browser cannot decode the image file");
  }
  try {
    const { width, height } = bitmap;
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height) : Object.assign(document.createElement("canvas"), { width, height });
    const ctx = canvas.getContext("2d") as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!ctx) throw new Error("This browser cannot read image pixels (no 2D canvas).");
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    return { width, height, data };
  } finally {
    bitmap.close();
  }
}

/** Fetch a same-origin image and decode it to RGBA pixels. */
export async function fetchImagePixels(src: string): Promise<RgbaImage> {
  const res = await fetch(src, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`Could not fetch the image (HTTP ${res.status}).`);
  return decodeImage(await res.blob());
}

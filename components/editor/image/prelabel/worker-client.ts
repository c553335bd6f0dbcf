"use client";
// What the image editor's pre-labellers (OCR, SAM click-to-mask) share: the pre-labelling Web
// Worker with its client and crash handling, the user's backend preference, and reading an
// image's RGBA pixels for the worker.
import { PrelabelClient } from "@/lib/prelabel/runtime/client";
import { storageMemory } from "@/lib/prelabel/runtime/backend";
import type { BackendPreference } from "@/lib/prelabel/runtime/protocol";
import type { RgbaImage } from "@/lib/prelabel/image";

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

export interface PrelabelWorker {
  worker: Worker;
  client: PrelabelClient;
}

/**
 * A new pre-labelling worker. `onCrash` runs once if the worker dies (an uncaught error or a
 * failed load): it is terminated already and answers nothing more, so drop it and make a new one.
 */
export function startPrelabelWorker(onCrash: (message: string) => void): PrelabelWorker {
  const worker = new Worker(new URL("../../../../lib/prelabel/runtime/worker.ts", import.meta.url), { type: "module" });
  let memory;
  try {
    memory = storageMemory(window.localStorage);
  } catch {
    memory = undefined;
  }
  let crashed = false;
  worker.addEventListener("error", (ev) => {
    ev.preventDefault();
    worker.terminate();
    if (crashed) return;
    crashed = true;
    onCrash(`The pre-labelling worker crashed${ev.message ? `: ${ev.message}` : ""}. The editor still works; try again.`);
  });
  return { worker, client: new PrelabelClient(worker, memory) };
}

/** Decode the image file to RGBA pixels (off-thread decode, then one OffscreenCanvas read). */
export async function imagePixels(src: string): Promise<RgbaImage> {
  const res = await fetch(src, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`Could not fetch the image (HTTP ${res.status}).`);
  const bitmap = await createImageBitmap(await res.blob());
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

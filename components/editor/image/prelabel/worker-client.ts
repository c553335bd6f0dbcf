"use client";
// What the image editor's pre-labellers (OCR, SAM click-to-mask, bring-your-own models) use from
// the shared page side of pre-labelling (components/prelabel/worker.ts): the worker with crash
// handling (messages as full sentences for the editor's status line), the backend preference,
// and an image's RGBA pixels.
import type { PrelabelClient } from "@/lib/prelabel/runtime/client";
import { fetchImagePixels, spawnPrelabelWorker } from "@/components/prelabel/worker";

export { PREFERENCE_KEY, readPreference, writePreference } from "@/components/prelabel/worker";

export interface PrelabelWorker {
  worker: Worker;
  client: PrelabelClient;
}

/**
 * A new pre-labelling worker. `onCrash` runs once if the worker dies (an uncaught error or a
 * failed load): it is terminated already and answers nothing more, so drop it and make a new one.
 */
export function startPrelabelWorker(onCrash: (message: string) => void): PrelabelWorker {
  return spawnPrelabelWorker((msg) => onCrash(`${msg[0]!.toUpperCase()}${msg.slice(1)}. The editor still works; try again.`));
}

/** Decode the image file to RGBA pixels (off-thread decode, then one OffscreenCanvas read). */
export const imagePixels = fetchImagePixels;

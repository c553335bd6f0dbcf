// The batch pre-labeller's contracts (ADR 0017): a pre-labeller module, the environment it runs
// in (the worker client, decoders, fetch), and the task it is given. Framework-free: the browser
// supplies decoders and fetch, tests supply fakes.
import type { Region } from "../../annotation/regions";
import type { RgbaImage } from "../image";
import type { PrelabelClient } from "../runtime/client";
import type { BackendPreference } from "../runtime/protocol";

export type BatchDataType = "image" | "audio" | "text";

/** What the batch needs of a task (one row of GET /projects/:id/tasks, plus data for text). */
export interface BatchTask {
  id: number;
  status: string;
  predictionCount: number;
  media: { url: string; mime?: string; width: number | null; height: number | null; duration: number | null } | null;
}

/** The subset of PrelabelClient the pre-labellers use (fakes implement this in tests). */
export type WorkerClient = Pick<PrelabelClient, "init" | "task">;

export interface ProjectInfo {
  id: number;
  dataType: BatchDataType | "video";
  /** Label names with the region kinds each allows (undefined: every kind of the data type). */
  labels: ReadonlyArray<{ name: string; kinds?: readonly string[] }>;
}

export interface PrelabelEnv {
  client: WorkerClient;
  backend: BackendPreference;
  project: ProjectInfo;
  /** Same-origin JSON GET (session cookie); throws an Error with the server's message. */
  getJson<T>(url: string, signal?: AbortSignal): Promise<T>;
  decodeAudio16k(bytes: ArrayBuffer, signal: AbortSignal): Promise<Float32Array>;
  decodeImage(blob: Blob): Promise<RgbaImage>;
}

/** What one task's run gets: its media bytes or text, the label chosen for the run. */
export interface PrelabelInput {
  task: BatchTask;
  media: Blob | null;
  text: string | null;
  /** The label picked for the run (pre-labellers whose model names labels ignore it). */
  label: string | null;
}

/** A run's output when it is more than regions: a whole-image classification (classify models). */
export interface PrelabelOutput {
  regions: Region[];
  /** Native-document classifications, e.g. {"animal": ["cat"]}. */
  classifications: Record<string, string[]>;
  /** The classification's score (the prediction's score when there are no region scores). */
  score?: number;
}

export interface RunOptions {
  signal: AbortSignal;
  onProgress?: (share: number) => void;
}

/**
 * One pre-labeller: one module each (lib/prelabel/batch/prelabellers/*). `prepare` runs once per
 * batch (load models, fetch a dictionary) and returns what `run` needs; `run` turns one task's
 * input into prediction regions (origin "prediction", model, score). A bring-your-own model is
 * one more module: prepare = init its session from GET /projects/:id/models, run = its pipeline.
 */
export interface Prelabeller<P = unknown> {
  id: string;
  label: string;
  description: string;
  dataType: BatchDataType;
  /** Stored as the prediction's model / modelVersion (POST /tasks/:id/predictions). */
  model: string;
  modelVersion: string;
  /** What a task must bring: its media file or its text. */
  input: "media" | "text";
  /** Region kind of the output when the user picks the label (null: the model names the labels). */
  labelKind: string | null;
  prepare(env: PrelabelEnv, o: RunOptions): Promise<P>;
  run(input: PrelabelInput, prepared: P, env: PrelabelEnv, o: RunOptions): Promise<Region[] | PrelabelOutput>;
}

// Bring-your-own models: uploads (step 1: a raw body streamed to disk, sniffed, stored
// content-addressed under <data>/models), models and their immutable versions (step 2: JSON
// naming the upload, the descriptor and the label map, validated against the model's graph and
// the project's schema). Every descriptor or label-map edit is a new version, so a prediction's
// "name@version" always names exactly what ran. docs/adr/0015-byom-models.md, docs/api.md "Models".
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { and, desc, eq, inArray, lt, count } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "../db/client";
import { modelUploads, modelVersions, models, type Model, type ModelUpload, type ModelVersion, type Project } from "../db/schema";
import { config } from "../config";
import type { Actor } from "../auth/actor";
import { parseOr422, safeName } from "../validation";
import { LocalMediaStore, type ByteSource } from "../storage/media-store";
import {
  TASK_DATA_TYPE, descriptorSchema, labelMapSchema, type ByomTask, type Descriptor, type LabelMap, type ModelInfo, type ModelVersionInfo,
} from "../prelabel/byom/descriptor";
import { OnnxParseError, type OnnxInfo } from "../prelabel/byom/onnx-info";
import { checkAgainstModel, labelsFromHfConfig, prefillDescriptor, type ModelSignature, type Prefill } from "../prelabel/byom/prefill";
import type { LabelConfig } from "../labeling-config/schema";
import { accessProject } from "./access";
import { audit } from "./audit";
import { ApiError, conflict, invalid, notFound, tooLarge } from "./errors";
import { getLabelConfig } from "./projects";
import { onnxInfoOfFile } from "./model-files";

export const UPLOAD_KINDS = ["model", "tokenizer", "config"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** tokenizer.json files of real vocabularies are a few MB; config.json a few KB. */
const TOKENIZER_MAX_BYTES = 50 * 1024 * 1024;
const CONFIG_MAX_BYTES = 1024 * 1024;
/** Uploads not used by a model within this long are removed (on the next upload). */
const UPLOAD_TTL_MS = 24 * 3600 * 1000;
const MAX_MODELS_PER_PROJECT = 50;

const MANAGE = "project.update" as const;
const READ = "project.read" as const;

export const modelFiles = () => new LocalMediaStore(config.modelsDir);

export function maxBytesFor(kind: UploadKind): number {
  if (kind === "model") return config.modelMaxBytes;
  return Math.min(config.modelMaxBytes, kind === "tokenizer" ? TOKENIZER_MAX_BYTES : CONFIG_MAX_BYTES);
}

const mib = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : `${n} bytes`);

export interface UploadOut {
  uploadId: string;
  kind: UploadKind;
  sha256: string;
  size: number;
  /** kind "model": the graph signature read from the file, and a descriptor guess. */
  signature?: ModelSignature & Pick<OnnxInfo, "irVersion" | "opset" | "producer" | "producerVersion">;
  prefill?: Prefill;
  /** kind "config": labels from id2label, if any. */
  labels?: string[] | null;
}

function signatureOf(info: OnnxInfo): NonNullable<UploadOut["signature"]> {
  return { irVersion: info.irVersion, opset: info.opset, producer: info.producer, producerVersion: info.producerVersion, inputs: info.inputs, outputs: info.outputs, metadata: info.metadata };
}

/** Removes store files that no version or upload refers to any more. */
async function removeUnreferenced(shas: Array<string | null>): Promise<void> {
  const db = getDb();
  const store = modelFiles();
  for (const sha of new Set(shas.filter((s): s is string => !!s))) {
    const used =
      db.select({ n: count() }).from(modelVersions).where(eq(modelVersions.sha256, sha)).get()!.n +
      db.select({ n: count() }).from(modelVersions).where(eq(modelVersions.tokenizerSha256, sha)).get()!.n +
      db.select({ n: count() }).from(modelVersions).where(eq(modelVersions.configSha256, sha)).get()!.n +
      db.select({ n: count() }).from(modelUploads).where(eq(modelUploads.sha256, sha)).get()!.n;
    if (!used) await store.discard({ path: store.pathOf(sha), sha256: sha, size: 0, head: new Uint8Array() });
  }
}

async function expireUploads(): Promise<void> {
  const db = getDb();
  const old = db.select().from(modelUploads).where(lt(modelUploads.createdAt, Date.now() - UPLOAD_TTL_MS)).all();
  if (!old.length) return;
  db.delete(modelUploads).where(inArray(modelUploads.id, old.map((u) => u.id))).run();
  await removeUnreferenced(old.map((u) => u.sha256));
}

/**
 * Step 1: a raw body (application/octet-stream) streamed to a temp file under the cap, checked
 * (ONNX ModelProto / JSON), then stored. On any failure the temp file is removed: nothing is kept.
 */
export async function uploadModelFile(actor: Actor, projectId: number, kindRaw: string | null, body: ByteSource | null, contentLength: number | null): Promise<UploadOut> {
  const { project } = accessProject(actor, projectId, MANAGE);
  const kind = (kindRaw ?? "model") as UploadKind;
  if (!UPLOAD_KINDS.includes(kind)) throw invalid(`kind must be one of ${UPLOAD_KINDS.join(", ")}`, "kind");
  const cap = maxBytesFor(kind);
  const tooBig = () => tooLarge(`The ${kind} file is larger than the limit of ${mib(cap)}${kind === "model" ? " (LOUPE_MODEL_MAX_BYTES)" : ""}.`, "file");
  if (contentLength !== null && contentLength > cap) throw tooBig();
  if (!body) throw invalid("Send the file as the request body (Content-Type: application/octet-stream).", "file", "empty_file");
  await expireUploads().catch(() => undefined);
  const store = modelFiles();
  let staged;
  try {
    staged = await store.stage(body, { maxBytes: cap, field: "file" });
  } catch (e) {
    if (e instanceof ApiError && e.status === 413) throw tooBig();
    throw e;
  }
  let out: Omit<UploadOut, "uploadId" | "sha256" | "size" | "kind"> = {};
  let info: unknown = null;
  try {
    if (staged.size === 0) throw invalid("The file is empty.", "file", "empty_file");
    if (kind === "model") {
      let onnx: OnnxInfo;
      try {
        onnx = await onnxInfoOfFile(staged.path);
      } catch (e) {
        if (e instanceof OnnxParseError) throw invalid(`This is not a valid ONNX model: ${e.message}.`, "file", "invalid_onnx");
        throw e;
      }
      if (onnx.externalData) {
        throw invalid(
          "This model keeps its weights in separate files (ONNX external data), which a browser cannot load. Save it with the weights inside the .onnx file (onnx.save(model, path, save_as_external_data=False)); models up to 2 GB fit.",
          "file",
          "external_data",
        );
      }
      const signature = signatureOf(onnx);
      info = signature;
      out = { signature, prefill: prefillDescriptor(signature) };
    } else {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(staged.path, "utf8"));
      } catch (e) {
        throw invalid(`${kind}.json is not valid JSON: ${(e as Error).message}`, "file", "invalid_json");
      }
      if (!json || typeof json !== "object" || Array.isArray(json)) throw invalid(`${kind}.json must be a JSON object.`, "file", "invalid_json");
      if (kind === "tokenizer" && !("model" in json)) throw invalid("tokenizer.json has no \"model\": export it with a Hugging Face fast tokenizer (tokenizer.save_pretrained).", "file", "invalid_json");
      if (kind === "config") {
        const labels = labelsFromHfConfig(json);
        info = { id2label: (json as { id2label?: unknown }).id2label ?? null };
        out = { labels };
      }
    }
  } catch (e) {
    await store.discard(staged);
    throw e;
  }
  const stored = await store.commit(staged);
  const id = randomUUID();
  getDb().insert(modelUploads).values({ id, projectId: project.id, kind, sha256: stored.sha256, size: stored.size, info, createdBy: actor.user.id }).run();
  return { uploadId: id, kind, sha256: stored.sha256, size: stored.size, ...out };
}

function uploadOf(projectId: number, id: string | undefined, kind: UploadKind, field: string): ModelUpload {
  const u = id ? getDb().select().from(modelUploads).where(and(eq(modelUploads.id, id), eq(modelUploads.projectId, projectId))).get() : undefined;
  if (!u) throw invalid(`${field}: no such upload in this project (upload the file first; uploads expire after 24 hours).`, field, "unknown_upload");
  if (u.kind !== kind) throw invalid(`${field}: that upload is a ${u.kind} file, not a ${kind} file.`, field, "unknown_upload");
  return u;
}

function labelMapIssues(map: LabelMap, d: Descriptor, schema: LabelConfig): { field: string; message: string } | null {
  const modelLabels = new Set(d.labels);
  const projectLabels = new Set(schema.labels.map((l) => l.name));
  const choices = new Set(schema.classifications.flatMap((c) => c.choices.map((ch) => `${c.name}:${ch}`)));
  for (const [k, v] of Object.entries(map)) {
    const field = `labelMap.${k}`;
    if (!modelLabels.has(k)) return { field, message: `"${k}" is not one of the model's labels` };
    if (v === null) continue;
    if (d.task === "classify") {
      if (!choices.has(v)) {
        const hint = choices.size ? ` (e.g. "${[...choices][0]}")` : " (the project has no classifications)";
        return { field, message: `"${v}" is not a classification choice of this project; write "classification:choice"${hint}` };
      }
    } else if (!projectLabels.has(v)) {
      return { field, message: `"${v}" is not a label of this project (labels: ${[...projectLabels].slice(0, 20).join(", ") || "none"})` };
    }
  }
  return null;
}

interface VersionInput {
  descriptor: unknown;
  labelMap: unknown;
  signature: ModelSignature;
  tokenizer: ModelUpload | null;
  config: ModelUpload | null;
}

function validateVersion(project: Project, v: VersionInput, task?: ByomTask): { descriptor: Descriptor; labelMap: LabelMap } {
  const descriptor = parseOr422(descriptorSchema, v.descriptor, "descriptor");
  if (task && descriptor.task !== task) throw invalid(`descriptor.task: this model is a ${task} model; create a new model for a ${descriptor.task} model`, "descriptor.task");
  const dataType = TASK_DATA_TYPE[descriptor.task];
  if (dataType !== project.dataType) throw invalid(`descriptor.task: a ${descriptor.task} model runs on ${dataType} tasks but this is a ${project.dataType} project`, "descriptor.task");
  const issue = checkAgainstModel(descriptor, v.signature)[0];
  if (issue) throw invalid(`${issue.field}: ${issue.message}`, issue.field, "model_mismatch");
  if (descriptor.task === "ner") {
    if (!v.tokenizer) throw invalid("tokenizerUploadId: a ner model needs its tokenizer.json", "tokenizerUploadId");
    if (!v.config) throw invalid("configUploadId: a ner model needs its config.json", "configUploadId");
  }
  const labelMap = parseOr422(labelMapSchema, v.labelMap ?? {}, "labelMap");
  const bad = labelMapIssues(labelMap, descriptor, getLabelConfig(project.id).schema);
  if (bad) throw invalid(`${bad.field}: ${bad.message}`, bad.field, "invalid_label_map");
  return { descriptor, labelMap };
}

const uploadIdSchema = z.string().min(1).max(100);
const createSchema = z.object({
  name: safeName,
  uploadId: uploadIdSchema,
  descriptor: z.unknown(),
  labelMap: z.unknown().optional(),
  tokenizerUploadId: uploadIdSchema.optional(),
  configUploadId: uploadIdSchema.optional(),
});
const versionSchema = z.object({
  uploadId: uploadIdSchema.optional(),
  descriptor: z.unknown().optional(),
  labelMap: z.unknown().optional(),
  tokenizerUploadId: uploadIdSchema.optional(),
  configUploadId: uploadIdSchema.optional(),
});
const patchSchema = versionSchema.pick({ descriptor: true, labelMap: true }).extend({ name: safeName.optional() }).strict();

const fileUrl = (projectId: number, modelId: number, version: number, kind: UploadKind) =>
  `/api/v1/projects/${projectId}/models/${modelId}/versions/${version}/files/${kind}`;

function versionInfo(m: Model, v: ModelVersion): ModelVersionInfo & { createdBy: number | null } {
  const files: ModelVersionInfo["files"] = { model: fileUrl(m.projectId, m.id, v.version, "model") };
  if (v.tokenizerSha256) files.tokenizer = fileUrl(m.projectId, m.id, v.version, "tokenizer");
  if (v.configSha256) files.config = fileUrl(m.projectId, m.id, v.version, "config");
  return {
    id: v.id, version: v.version, sha256: v.sha256, size: v.size,
    descriptor: v.descriptor as Descriptor, labelMap: v.labelMap as LabelMap, files, createdAt: v.createdAt, createdBy: v.createdBy,
  };
}

function versionsOf(modelId: number): ModelVersion[] {
  return getDb().select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version)).all();
}

function infoOf(m: Model, versions = versionsOf(m.id)): ModelInfo & { createdBy: number | null } {
  return { id: m.id, projectId: m.projectId, name: m.name, task: m.task, latest: versionInfo(m, versions[0]!), versionCount: versions.length, createdAt: m.createdAt, createdBy: m.createdBy };
}

export type ModelDetail = ModelInfo & { versions: ModelVersionInfo[] };

/** For server-rendered pages (the caller has already checked access). */
export function modelsOfProject(projectId: number): ModelInfo[] {
  return getDb().select().from(models).where(eq(models.projectId, projectId)).orderBy(models.name).all().map((m) => infoOf(m));
}

export function listModels(actor: Actor, projectId: number): ModelInfo[] {
  accessProject(actor, projectId, READ);
  return modelsOfProject(projectId);
}

function modelIn(projectId: number, modelId: number): Model {
  const m = getDb().select().from(models).where(and(eq(models.id, modelId), eq(models.projectId, projectId))).get();
  if (!m) throw notFound("Model");
  return m;
}

function detail(m: Model): ModelDetail {
  const vs = versionsOf(m.id);
  return { ...infoOf(m, vs), versions: vs.map((v) => versionInfo(m, v)) };
}

export function getModel(actor: Actor, projectId: number, modelId: number): ModelDetail {
  accessProject(actor, projectId, READ);
  return detail(modelIn(projectId, modelId));
}

const isUniqueViolation = (e: unknown) => /UNIQUE constraint failed/.test(String((e as Error)?.message));

export function createModel(actor: Actor, projectId: number, raw: unknown): ModelDetail {
  const { project } = accessProject(actor, projectId, MANAGE);
  const b = parseOr422(createSchema, raw);
  const db = getDb();
  if (db.select({ n: count() }).from(models).where(eq(models.projectId, project.id)).get()!.n >= MAX_MODELS_PER_PROJECT) {
    throw invalid(`A project can have at most ${MAX_MODELS_PER_PROJECT} models; delete one first.`, "name", "too_many");
  }
  if (db.select({ id: models.id }).from(models).where(and(eq(models.projectId, project.id), eq(models.name, b.name))).get()) {
    throw conflict(`A model named "${b.name}" already exists in this project; upload a new version of it instead.`, { field: "name" });
  }
  const up = uploadOf(project.id, b.uploadId, "model", "uploadId");
  const tok = b.tokenizerUploadId ? uploadOf(project.id, b.tokenizerUploadId, "tokenizer", "tokenizerUploadId") : null;
  const cfg = b.configUploadId ? uploadOf(project.id, b.configUploadId, "config", "configUploadId") : null;
  const v = validateVersion(project, { descriptor: b.descriptor, labelMap: b.labelMap, signature: up.info as ModelSignature, tokenizer: tok, config: cfg });
  let m: Model;
  try {
    m = db.transaction((tx) => {
      const row = tx.insert(models).values({ projectId: project.id, name: b.name, task: v.descriptor.task, createdBy: actor.user.id }).returning().get();
      tx.insert(modelVersions)
        .values({
          modelId: row.id, version: 1, sha256: up.sha256, size: up.size, descriptor: v.descriptor, labelMap: v.labelMap, signature: up.info,
          tokenizerSha256: tok?.sha256 ?? null, configSha256: cfg?.sha256 ?? null, createdBy: actor.user.id,
        })
        .run();
      tx.delete(modelUploads).where(inArray(modelUploads.id, [up.id, tok?.id, cfg?.id].filter((x): x is string => !!x))).run();
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(`A model named "${b.name}" already exists in this project.`, { field: "name" });
    throw e;
  }
  audit({ userId: actor.user.id, projectId: project.id, action: "model.create", targetType: "model", targetId: m.id, details: { name: m.name, sha256: up.sha256 } });
  return detail(m);
}

const stable = (x: unknown): string => JSON.stringify(x, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** A new version: a new file (uploadId) and/or a new descriptor / label map; the rest is carried over. */
function addVersion(actor: Actor, project: Project, m: Model, b: z.output<typeof versionSchema>, opts: { skipIfSame?: boolean } = {}): { model: Model; created: boolean } {
  const db = getDb();
  const latest = versionsOf(m.id)[0]!;
  const up = b.uploadId ? uploadOf(project.id, b.uploadId, "model", "uploadId") : null;
  const tok = b.tokenizerUploadId ? uploadOf(project.id, b.tokenizerUploadId, "tokenizer", "tokenizerUploadId") : null;
  const cfg = b.configUploadId ? uploadOf(project.id, b.configUploadId, "config", "configUploadId") : null;
  const signature = (up ? up.info : latest.signature) as ModelSignature;
  const tokenizerSha = tok?.sha256 ?? latest.tokenizerSha256;
  const configSha = cfg?.sha256 ?? latest.configSha256;
  const v = validateVersion(
    project,
    {
      descriptor: b.descriptor ?? latest.descriptor,
      labelMap: b.labelMap ?? latest.labelMap,
      signature,
      tokenizer: tokenizerSha ? ({ sha256: tokenizerSha } as ModelUpload) : null,
      config: configSha ? ({ sha256: configSha } as ModelUpload) : null,
    },
    m.task,
  );
  const sha = up?.sha256 ?? latest.sha256;
  if (
    opts.skipIfSame && sha === latest.sha256 && tokenizerSha === latest.tokenizerSha256 && configSha === latest.configSha256 &&
    stable(v.descriptor) === stable(latest.descriptor) && stable(v.labelMap) === stable(latest.labelMap)
  ) {
    return { model: m, created: false };
  }
  let version = 0;
  try {
    version = db.transaction((tx) => {
      const n = latest.version + 1;
      tx.insert(modelVersions)
        .values({
          modelId: m.id, version: n, sha256: sha, size: up?.size ?? latest.size, descriptor: v.descriptor, labelMap: v.labelMap, signature,
          tokenizerSha256: tokenizerSha, configSha256: configSha, createdBy: actor.user.id,
        })
        .run();
      const used = [up?.id, tok?.id, cfg?.id].filter((x): x is string => !!x);
      if (used.length) tx.delete(modelUploads).where(inArray(modelUploads.id, used)).run();
      return n;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("Someone else saved a new version of this model at the same time; reload and try again.");
    throw e;
  }
  audit({ userId: actor.user.id, projectId: project.id, action: "model.version", targetType: "model", targetId: m.id, details: { version, sha256: sha } });
  return { model: m, created: true };
}

export function createVersion(actor: Actor, projectId: number, modelId: number, raw: unknown): ModelDetail {
  const { project } = accessProject(actor, projectId, MANAGE);
  const m = modelIn(project.id, modelId);
  const b = parseOr422(versionSchema, raw);
  if (!b.uploadId && b.descriptor === undefined && b.labelMap === undefined && !b.tokenizerUploadId && !b.configUploadId) {
    throw invalid("Send a new file (uploadId) and/or a descriptor or label map.", "uploadId");
  }
  addVersion(actor, project, m, b);
  return detail(m);
}

/** Rename, and/or edit descriptor / label map (a new version when they differ from the latest). */
export function updateModel(actor: Actor, projectId: number, modelId: number, raw: unknown): ModelDetail {
  const { project } = accessProject(actor, projectId, MANAGE);
  let m = modelIn(project.id, modelId);
  const b = parseOr422(patchSchema, raw);
  if (b.descriptor !== undefined || b.labelMap !== undefined) addVersion(actor, project, m, { descriptor: b.descriptor, labelMap: b.labelMap }, { skipIfSame: true });
  if (b.name && b.name !== m.name) {
    try {
      getDb().update(models).set({ name: b.name }).where(eq(models.id, m.id)).run();
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`A model named "${b.name}" already exists in this project.`, { field: "name" });
      throw e;
    }
    audit({ userId: actor.user.id, projectId: project.id, action: "model.rename", targetType: "model", targetId: m.id, details: { from: m.name, to: b.name } });
    m = { ...m, name: b.name };
  }
  return detail(m);
}

export async function deleteModel(actor: Actor, projectId: number, modelId: number): Promise<void> {
  const { project } = accessProject(actor, projectId, MANAGE);
  const m = modelIn(project.id, modelId);
  const vs = versionsOf(m.id);
  getDb().delete(models).where(eq(models.id, m.id)).run();
  audit({ userId: actor.user.id, projectId: project.id, action: "model.delete", targetType: "model", targetId: m.id, details: { name: m.name, versions: vs.length } });
  await removeUnreferenced(vs.flatMap((v) => [v.sha256, v.tokenizerSha256, v.configSha256])).catch(() => undefined);
}

/** A version's file for download: the path, its sha256 (ETag) and a file name. */
export function modelFile(actor: Actor, projectId: number, modelId: number, version: number, kind: string): { path: string; sha256: string; name: string } {
  accessProject(actor, projectId, READ);
  const m = modelIn(projectId, modelId);
  const v = getDb().select().from(modelVersions).where(and(eq(modelVersions.modelId, m.id), eq(modelVersions.version, version))).get();
  if (!v) throw notFound("Model version");
  const sha = kind === "model" ? v.sha256 : kind === "tokenizer" ? v.tokenizerSha256 : kind === "config" ? v.configSha256 : null;
  if (!sha) throw notFound("Model file");
  const base = m.name.replace(/[^\w.-]+/g, "_").slice(0, 80) || "model";
  const name = kind === "model" ? `${base}-v${v.version}.onnx` : `${base}-v${v.version}-${kind}.json`;
  return { path: modelFiles().pathOf(sha), sha256: sha, name };
}

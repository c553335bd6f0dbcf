// Runs inside headless chromium (a module Web Worker, like the app's pre-label worker): one
// onnxruntime-web session per model, a warm-up run, then N timed runs; medians back to the page.
const q = new URLSearchParams(self.location.search);
const bundle = q.get("bundle") || "ort.bundle.min.mjs";
// Imported inside the handler: a message posted before a top-level await settles would be lost.
const ortReady = import(`/ort/${bundle}`).then((ort) => {
  ort.env.wasm.wasmPaths = "/ort/";
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = Number(q.get("threads") || "1");
  return ort;
});
let ort;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const json = async (u) => (await fetch(u)).json();
async function tensor(t) {
  if (t.type === "int64") return new ort.Tensor("int64", BigInt64Array.from(t.values.map(BigInt)), t.dims);
  const buf = await (await fetch(`/inputs/${t.file}`)).arrayBuffer();
  return new ort.Tensor("float32", new Float32Array(buf), t.dims);
}

self.onmessage = async (e) => {
  const out = [];
  try {
    ort = await ortReady;
    const cases = await json("/inputs/cases.json");
    for (const c of cases) {
      if (e.data.only && !e.data.only.includes(c.model)) continue;
      const bytes = new Uint8Array(await (await fetch(`/models/${c.file}`)).arrayBuffer());
      const t0 = performance.now();
      const s = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
      const createMs = performance.now() - t0;
      const feeds = {};
      for (const [k, t] of Object.entries(c.feeds)) feeds[k] = await tensor(t);
      await s.run(feeds);
      const ts = [];
      for (let i = 0; i < c.runs; i++) {
        const a = performance.now();
        await s.run(feeds);
        ts.push(performance.now() - a);
      }
      out.push({ model: c.model, ms: median(ts), createMs, runs: c.runs });
      await s.release();
    }
    self.postMessage({ ok: true, out, isolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err && err.stack || err), out });
  }
};

// In-page instrumentation for the editor bench, injected with page.addInitScript before Loupe's
// scripts run. Kept as a plain JavaScript string on purpose: tsx/esbuild wraps named functions in
// `__name(...)` helpers, which do not exist in the page, so TypeScript callbacks passed to
// page.evaluate break as soon as they declare a named function.
//
// window.__bench:
//   state()                   what the canvas exposes right now (for readiness polling/errors)
//   startFrames()/stopFrames() rAF timestamps plus the view (image rect on screen) per frame
//   probe(eventType, cond)    latency from the next `eventType` input event to the end of the
//                             first frame that painted (a Konva layer drew) once cond() held
//   view()                    image rect on the stage: [x, y, width] in CSS px
export const PROBE_SCRIPT = String.raw`
(() => {
  const B = (window.__bench = {});
  B.wheels = 0;
  window.addEventListener("wheel", () => { B.wheels++; }, { capture: true, passive: true });

  B.canvas = () => window.__loupeCanvas || null;
  B.container = () => document.querySelector("[data-ready]");
  B.stage = () => {
    const K = window.Konva;
    if (!K || !K.stages || !K.stages.length) return null;
    const c = B.container();
    return K.stages.find((s) => c && c.contains(s.container())) || K.stages[0];
  };
  B.view = () => {
    const st = B.stage();
    const img = st && st.findOne("Image");
    if (img) {
      const r = img.getClientRect();
      return [r.x, r.y, r.width];
    }
    const c = B.canvas();
    return c && c.handle ? [NaN, NaN, c.handle.getScale() * 4000] : null;
  };
  B.state = () => {
    const c = B.canvas();
    const el = B.container();
    let regions = null;
    try { regions = c ? c.editor.getRegions().length : null; } catch (e) { regions = "error: " + e; }
    return {
      hasCanvas: !!c,
      readyAt: c && c.metrics ? c.metrics.readyAt : null,
      dataReady: el ? el.getAttribute("data-ready") : null,
      regions,
      metrics: c && c.metrics ? Object.assign({}, c.metrics) : null,
      konva: !!window.Konva,
      title: document.title,
      h1: (document.querySelector("h1") || {}).textContent || null,
    };
  };

  // ---- frame recorder (the same measure as the LS bench: rAF callback intervals) ----
  B.startFrames = () => {
    B.frames = []; B.views = []; B.wheels = 0; B.stopRec = false;
    const loop = () => {
      B.frames.push(performance.now());
      B.views.push(B.view());
      if (!B.stopRec) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
  B.stopFrames = () => {
    B.stopRec = true;
    const c = B.canvas();
    return { frames: B.frames, views: B.views, wheels: B.wheels, metrics: c ? Object.assign({}, c.metrics) : null };
  };

  // ---- "painted" detection ----
  // A frame is over (painted on the main thread) when a message posted from inside its rAF phase
  // runs. rafPhase is true from our rAF callback until that message: a layer drawing inside it
  // is painted at the end of this frame; a layer drawing outside it (in an input handler) is
  // painted by the next frame, so we wait one rAF first. Chrome dispatches pointermove/wheel
  // aligned to rAF, just before the callbacks, so that "next frame" is usually the same one.
  B.rafPhase = false;
  const mc = new MessageChannel();
  const pending = [];
  mc.port1.onmessage = () => { const f = pending.shift(); if (f) f(performance.now()); };
  const afterPaint = (cb) => { pending.push(cb); mc.port2.postMessage(0); };
  const tick = () => {
    B.rafPhase = true;
    afterPaint(() => { B.rafPhase = false; });
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  B.hookLayers = () => {
    const st = B.stage();
    if (!st) return false;
    for (const layer of st.getLayers()) {
      if (layer.__benchHooked) continue;
      layer.__benchHooked = true;
      layer.on("draw.bench", () => { if (B.onDraw) B.onDraw(performance.now()); });
    }
    return true;
  };

  // One latency probe at a time. cond is a JS expression string evaluated with c = __loupeCanvas.
  B.probe = (eventType, condSrc, timeoutMs) => {
    const cond = new Function("c", "return (" + condSrc + ");");
    const hooked = B.hookLayers();
    const r = { eventType, t0: null, tHandled: null, tState: null, tDraw: null, tPainted: null, via: hooked ? "konva layer draw" : "rAF (no Konva global)" };
    B.probeResult = null;
    let done = false;
    const finish = (t) => {
      if (done) return;
      done = true;
      r.tPainted = t;
      r.ms = r.t0 == null ? null : t - r.t0;
      B.onDraw = null;
      B.probeResult = r;
    };
    const onInput = (e) => {
      if (r.t0 != null) return;
      // e.timeStamp shares performance.now()'s origin: when the browser received the input.
      r.t0 = e.timeStamp || performance.now();
      window.removeEventListener(eventType, onInput, true);
      if (!hooked) {
        const poll = () => {
          if (done) return;
          if (cond(B.canvas())) { r.tState = performance.now(); afterPaint(finish); return; }
          requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }
    };
    // Bubble phase on window: runs after the canvas's own listeners (unless they stop it).
    const onHandled = () => {
      if (r.t0 != null && r.tHandled == null) r.tHandled = performance.now();
      window.removeEventListener(eventType, onHandled, false);
    };
    window.addEventListener(eventType, onInput, true);
    window.addEventListener(eventType, onHandled, false);
    B.onDraw = (t) => {
      if (r.t0 == null || done || r.tDraw != null) return;
      let ok = false;
      try { ok = !!cond(B.canvas()); } catch (e) { ok = false; }
      if (!ok) return;
      r.tState = r.tState || t;
      r.tDraw = t;
      if (B.rafPhase) afterPaint(finish);
      else requestAnimationFrame(() => afterPaint(finish));
    };
    setTimeout(() => { if (!done) { done = true; B.onDraw = null; window.removeEventListener(eventType, onInput, true); r.timeout = true; r.ms = null; B.probeResult = r; } }, timeoutMs);
    return true;
  };
})();
`;

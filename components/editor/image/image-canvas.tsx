"use client";
// The image canvas: react-konva declares the stage and its three layers once; CanvasEngine
// (engine/) draws them and handles input imperatively, so pointer moves never re-render React.
import { useEffect, useImperativeHandle, useRef, useState } from "react";
import type Konva from "konva";
import { Image as KImage, Layer, Shape, Stage } from "react-konva";
import type { CanvasMetrics, ImageCanvasHandle, ImageCanvasProps } from "./canvas-api";
import { CanvasEngine } from "./engine/canvas-engine";
import { takeImage } from "./engine/load-image";

declare global {
  interface Window {
    __loupeCanvas?: { editor: unknown; controller: unknown; handle: ImageCanvasHandle; metrics: CanvasMetrics; view(): { scale: number; x: number; y: number } };
  }
}

type Load = { state: "loading" } | { state: "loaded"; w: number; h: number } | { state: "error"; message: string };

export default function ImageCanvas(props: ImageCanvasProps) {
  const { editor, controller, src, readOnly = false, adjust, flagged, keyboard = true, className } = props;
  const cbs = useRef(props);
  cbs.current = props;
  const [engine] = useState(
    () =>
      new CanvasEngine(editor, controller, {
        onScale: (s) => cbs.current.onScaleChange?.(s),
        onReady: () => boxRef.current?.setAttribute("data-ready", "true"),
      }),
  );
  const boxRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const imageLayerRef = useRef<Konva.Layer>(null);
  const imageRef = useRef<Konva.Image>(null);
  const staticRef = useRef<Konva.Layer>(null);
  const activeRef = useRef<Konva.Layer>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  const [load, setLoad] = useState<Load>({ state: "loading" });

  const handle: ImageCanvasHandle = {
    fit: () => engine.fit(),
    oneToOne: () => engine.oneToOne(),
    zoomBy: (f) => engine.zoomBy(f),
    focusRegion: (id) => engine.focusRegion(id),
    getScale: () => engine.view.scale,
  };
  useImperativeHandle(props.handleRef, () => handle, [engine]); // eslint-disable-line react-hooks/exhaustive-deps

  // Size the stage to the box; the box is sized by the page layout.
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const w = Math.max(1, Math.floor(el.clientWidth));
      const h = Math.max(1, Math.floor(el.clientHeight));
      setSize((s) => (s && s.w === w && s.h === h ? s : { w, h }));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (size) engine.setSize(size.w, size.h);
  }, [engine, size]);

  // Attach once the stage exists (it renders after the first size is known).
  const attached = size !== null;
  useEffect(() => {
    if (!attached) return;
    const [stage, imageLayer, image, staticLayer, activeLayer] = [stageRef.current, imageLayerRef.current, imageRef.current, staticRef.current, activeRef.current];
    if (!stage || !imageLayer || !image || !staticLayer || !activeLayer) return;
    engine.attach({ stage, imageLayer, image, staticLayer, activeLayer });
    window.__loupeCanvas = { editor, controller, handle, metrics: engine.metrics, view: () => ({ ...engine.view }) };
    return () => {
      engine.detach();
      if (window.__loupeCanvas?.metrics === engine.metrics) delete window.__loupeCanvas;
    };
  }, [attached, engine]); // eslint-disable-line react-hooks/exhaustive-deps

  // Load and decode the image; a failure is a message on the canvas, never a blank area.
  useEffect(() => {
    let alive = true;
    setLoad({ state: "loading" });
    boxRef.current?.removeAttribute("data-ready");
    takeImage(src).then(
      (source) => {
        if (!alive) {
          source.bitmap?.close();
          return;
        }
        setLoad({ state: "loaded", w: source.width, h: source.height });
        engine.setImage(source);
        cbs.current.onImageLoad?.({ width: source.width, height: source.height });
      },
      () => {
        if (!alive) return;
        const message = "The image could not be loaded or decoded: the file may be corrupt, in a format this browser cannot show, or no longer available.";
        setLoad({ state: "error", message });
        engine.setImage(null);
        cbs.current.onImageError?.(message);
      },
    );
    return () => {
      alive = false;
    };
  }, [engine, src]);

  useEffect(() => engine.setReadOnly(readOnly), [engine, readOnly]);
  useEffect(() => engine.setKeyboard(keyboard), [engine, keyboard]);
  useEffect(() => engine.setFlagged(flagged ?? new Set()), [engine, flagged]);
  useEffect(() => {
    if (attached) engine.setAdjust(adjust ?? { brightness: 1, contrast: 1 });
  }, [engine, adjust, attached]);

  return (
    <div
      ref={boxRef}
      tabIndex={-1}
      data-testid="image-canvas"
      aria-label="Image annotation canvas"
      className={`relative h-full w-full touch-none select-none overflow-hidden bg-[repeating-conic-gradient(#e2e8f0_0%_25%,#f8fafc_0%_50%)] bg-[length:20px_20px] outline-none ${className ?? ""}`}
    >
      {size && (
        <Stage ref={stageRef} width={size.w} height={size.h} listening={false}>
          <Layer ref={imageLayerRef} listening={false}>
            <KImage ref={imageRef} image={undefined} listening={false} visible={false} />
          </Layer>
          <Layer ref={staticRef} listening={false}>
            <Shape sceneFunc={engine.drawStatic} listening={false} perfectDrawEnabled={false} />
          </Layer>
          <Layer ref={activeRef} listening={false}>
            <Shape sceneFunc={engine.drawActive} listening={false} perfectDrawEnabled={false} />
          </Layer>
        </Stage>
      )}
      {load.state === "loading" && (
        <div className="absolute inset-0 flex items-center justify-center">
          <p className="rounded-md bg-white/90 px-3 py-2 text-sm text-slate-600 shadow">Loading image…</p>
        </div>
      )}
      {load.state === "error" && (
        <div role="alert" className="absolute inset-0 flex items-center justify-center p-6">
          <div className="max-w-md rounded-md border border-rose-200 bg-white px-4 py-3 text-sm text-rose-800 shadow">
            <p className="font-semibold">This image cannot be shown</p>
            <p className="mt-1">{load.message}</p>
          </div>
        </div>
      )}
    </div>
  );
}

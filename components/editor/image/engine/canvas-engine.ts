// The image canvas engine behind a small facade (the idea of CVAT's canvas.ts): it owns the view
// transform, input (pointer, wheel, pinch, keys) and when each Konva layer redraws. React only
// declares the stage and layers; nothing here re-renders React on pointer moves.
//
// Three layers, redrawn independently:
//   image   the photo (a mip level picked by zoom), CSS filter for brightness/contrast
//   static  every region that is not selected: culled to the viewport, batched by colour; it does
//           not redraw during a drag, only when unselected regions change or the view moves
//   active  selected regions, handles and the tool preview: few shapes, redrawn on every move
// When a static redraw is slow (thousands of regions in view), pan/zoom frames reuse the last
// static bitmap, scaled and shifted, and the crisp redraw happens once the gesture pauses.
import type Konva from "konva";
import type { Editor, EditorChange } from "@/lib/annotation/editor";
import { boundsIntersect, type Bounds } from "@/lib/annotation/geometry";
import type { Region } from "@/lib/annotation/regions";
import { regionBounds } from "@/lib/annotation/selection";
import type { ToolController, ToolEventType } from "@/lib/annotation/tools";
import type { CanvasMetrics, ImageAdjust } from "../canvas-api";
import { Mipmaps, type ImageSource } from "./mipmaps";
import { paintOverlay, type OverlayArrow } from "./overlay";
import { paintRegions, type PaintStyle } from "./paint-regions";
import { fitView, panBy, revealBounds, toImage, visibleBounds, wheelFactor, zoomAbout, zoomTo, type View } from "./viewport";

export interface EngineNodes {
  stage: Konva.Stage;
  imageLayer: Konva.Layer;
  image: Konva.Image;
  staticLayer: Konva.Layer;
  activeLayer: Konva.Layer;
}

export interface EngineCallbacks {
  onScale?(scale: number): void;
  onReady?(): void;
}

/**
 * Above this many regions in view, a static redraw is too slow for every pan/zoom frame, so
 * frames reuse the bitmap. A count, not a timing: the canvas records draw calls and rasterises
 * later, so the time spent in our draw code says little about the real cost.
 */
const BITMAP_ABOVE_REGIONS = 600;
/** A view gesture "pauses" after this long without a view change. */
const SETTLE_MS = 140;
const UNLABELLED = "#64748b";

type Ctx2D = CanvasRenderingContext2D;
const nativeOf = (ctx: Konva.Context): Ctx2D => (ctx as unknown as { _context: Ctx2D })._context;

export class CanvasEngine {
  view: View = { scale: 1, x: 0, y: 0 };
  readonly metrics: CanvasMetrics = { readyAt: null, lastStaticDrawMs: 0, staticDraws: 0, lastDrawnRegions: 0 };
  private nodes: EngineNodes | null = null;
  private size = { w: 0, h: 0 };
  private img: { w: number; h: number } | null = null;
  private mips: Mipmaps | null = null;
  private readOnly = false;
  private flagged: ReadonlySet<string> = new Set();
  private active = new Set<string>();
  private dirty = { view: false, static: false, active: false };
  private raf = 0;
  private lastViewChange = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private bitmap: { canvas: HTMLCanvasElement; view: View } | null = null;
  private staticStale = true; // the static layer does not show the document yet
  /** Regions painted on the static layer now, with their bounds (to erase them when they change). */
  private drawn = new Map<string, Bounds>();
  /** Image-space areas to repaint on the static layer, or "all". */
  private damage: Bounds[] | "all" = "all";
  private staticReason: "view" | "content" = "view";
  private pan: { id: number; x: number; y: number } | null = null;
  private touches = new Map<number, { x: number; y: number }>();
  private pinch: { dist: number } | null = null;
  private spaceHeld = false;
  private lastPoint = { x: 0, y: 0 };
  private rect: DOMRect | null = null;
  private unsubscribe: (() => void) | null = null;
  private detachDom: (() => void) | null = null;
  private readyPending = false;
  private keyboard = true;
  private fitted = true;

  constructor(
    readonly editor: Editor,
    readonly controller: ToolController,
    private readonly cb: EngineCallbacks = {},
  ) {}

  // ---- lifecycle -----------------------------------------------------------------------------

  attach(nodes: EngineNodes): void {
    this.nodes = nodes;
    // The static layer clears itself: a small edit repaints only the damaged rectangle.
    nodes.staticLayer.clearBeforeDraw(false);
    this.unsubscribe = this.editor.subscribe((c) => this.onChange(c));
    this.detachDom = this.bindDom(nodes.stage.container());
    this.syncActive();
    this.invalidate("view");
  }

  detach(): void {
    this.unsubscribe?.();
    this.detachDom?.();
    cancelAnimationFrame(this.raf);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.mips?.dispose();
    this.nodes = null;
  }

  setSize(w: number, h: number): void {
    this.size = { w, h };
    this.rect = null;
    // Until the user zooms or pans, the image stays fitted as the box resizes.
    if (this.fitted && this.img) this.fit();
    else this.invalidate("view");
  }

  setImage(el: ImageSource | null): void {
    this.mips?.dispose();
    this.mips = el ? new Mipmaps(el, () => this.invalidate("view")) : null;
    this.img = el ? { w: el.width, h: el.height } : null;
    if (el && (this.editor.width !== el.width || this.editor.height !== el.height)) {
      this.editor.setImageSize(el.width, el.height);
    }
    this.readyPending = !!el;
    if (el && this.size.w > 0) this.fit();
    this.invalidate("static");
  }

  setReadOnly(ro: boolean): void {
    this.readOnly = ro;
    if (ro) this.controller.tool.cancel();
    this.invalidate("active");
  }
  setKeyboard(on: boolean): void {
    this.keyboard = on;
    if (!on) this.spaceHeld = false;
  }
  setFlagged(ids: ReadonlySet<string>): void {
    this.flagged = ids;
    this.invalidate("static");
  }
  setAdjust(a: ImageAdjust): void {
    const canvas = this.nodes?.imageLayer.getCanvas()._canvas;
    if (canvas) canvas.style.filter = a.brightness === 1 && a.contrast === 1 ? "" : `brightness(${a.brightness}) contrast(${a.contrast})`;
  }

  // ---- view ----------------------------------------------------------------------------------

  fit(): void {
    if (!this.img) return;
    this.setView(fitView(this.img.w, this.img.h, this.size.w, this.size.h));
    this.fitted = true;
  }
  oneToOne(): void {
    this.setView(zoomTo(this.view, 1, { x: this.size.w / 2, y: this.size.h / 2 }));
  }
  zoomBy(f: number, anchor = { x: this.size.w / 2, y: this.size.h / 2 }): void {
    this.setView(zoomAbout(this.view, f, anchor));
  }
  focusRegion(id: string): void {
    const r = this.editor.getRegion(id);
    const b = r && regionBounds(r);
    if (b) this.setView(revealBounds(this.view, b, this.size.w, this.size.h));
  }

  setView(v: View): void {
    this.fitted = false;
    if (v.scale === this.view.scale && v.x === this.view.x && v.y === this.view.y) return;
    const scaled = v.scale !== this.view.scale;
    // Take the static bitmap before the first frame of a gesture, while the layer still holds it.
    if (this.metrics.lastDrawnRegions > BITMAP_ABOVE_REGIONS && !this.staticStale && !this.bitmap) this.snapshot();
    this.view = v;
    this.lastViewChange = performance.now();
    this.controller.setZoom(v.scale);
    if (scaled) this.cb.onScale?.(v.scale);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
    this.invalidate("view");
  }

  private settle(): void {
    this.settleTimer = null;
    this.bitmap = null;
    this.invalidate("static");
  }

  // ---- drawing -------------------------------------------------------------------------------

  private invalidate(what: "view" | "static" | "active"): void {
    this.dirty[what] = true;
    if (!this.raf && this.nodes) this.raf = requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    this.raf = 0;
    const n = this.nodes;
    if (!n) return;
    const { view, static: stat, active } = this.dirty;
    this.dirty = { view: false, static: false, active: false };
    if (view) {
      n.stage.scale({ x: this.view.scale, y: this.view.scale });
      n.stage.position({ x: this.view.x, y: this.view.y });
      this.updateImageNode();
      n.imageLayer.draw();
    }
    if (view || stat) {
      this.staticReason = view ? "view" : "content";
      n.staticLayer.draw();
    }
    if (view || active || stat) n.activeLayer.draw();
    if (this.readyPending && this.img && !this.staticStale) {
      this.readyPending = false;
      // Ready = the frame with the image and every region is on screen: one more rAF.
      requestAnimationFrame(() => {
        this.metrics.readyAt = performance.now();
        this.cb.onReady?.();
      });
    }
  }

  private updateImageNode(): void {
    const n = this.nodes!;
    if (!this.img || !this.mips) {
      n.image.visible(false);
      return;
    }
    const src = this.mips.pick(this.view.scale * (window.devicePixelRatio || 1));
    n.image.setAttrs({ image: src, x: 0, y: 0, width: this.img.w, height: this.img.h, visible: true });
    // Past 2x people inspect pixels: no smoothing, so edges are where the pixels are.
    n.imageLayer.imageSmoothingEnabled(this.view.scale < 2);
  }

  private style(): PaintStyle {
    const ed = this.editor;
    return {
      scale: this.view.scale,
      flagged: this.flagged,
      colorOf: (r: Region) => {
        const name = r.label ?? r.labels?.[0];
        if (!name) return UNLABELLED;
        return ed.labelDef(name)?.color ?? UNLABELLED;
      },
      skeletonOf: (r: Region) => {
        const name = r.label ?? r.labels?.[0];
        return (name && ed.labelDef(name)?.skeleton?.edges) || [];
      },
    };
  }

  /** Konva sceneFunc of the static layer's single shape. */
  readonly drawStatic = (kctx: Konva.Context): void => {
    const ctx = nativeOf(kctx);
    const interacting = performance.now() - this.lastViewChange < SETTLE_MS;
    if (this.staticReason === "view" && interacting && this.bitmap && !this.staticStale) {
      this.clearAll(ctx);
      this.drawBitmap(ctx);
      return;
    }
    const t0 = performance.now();
    const damage = this.staticReason === "content" ? this.damage : "all";
    const vis = visibleBounds(this.view, this.size.w, this.size.h, 8);
    let rects: Bounds[] = [vis];
    if (damage === "all") {
      this.clearAll(ctx);
      this.drawn.clear();
    } else {
      // Grow by the stroke width so no outline is left half-erased; many rects merge into one.
      const pad = 4 / this.view.scale;
      const grown = damage.map((d) => ({ minX: d.minX - pad, minY: d.minY - pad, maxX: d.maxX + pad, maxY: d.maxY + pad }));
      rects = grown.length > 32 ? [grown.reduce(unionOf)] : grown;
      if (!rects.length) return;
      ctx.save();
      ctx.beginPath();
      for (const c of rects) ctx.rect(c.minX, c.minY, c.maxX - c.minX, c.maxY - c.minY);
      ctx.clip();
      for (const c of rects) ctx.clearRect(c.minX, c.minY, c.maxX - c.minX, c.maxY - c.minY);
    }
    const list: Region[] = [];
    for (const r of this.editor.getRegions()) {
      if (r.hidden || this.active.has(r.id)) continue;
      const b = regionBounds(r);
      if (!b || !boundsIntersect(b, vis)) continue;
      if (damage !== "all" && !rects.some((c) => boundsIntersect(b, c))) continue;
      list.push(r);
      this.drawn.set(r.id, b);
    }
    const painted = paintRegions(ctx, list, this.style());
    if (damage !== "all") ctx.restore();
    else {
      this.metrics.lastStaticDrawMs = performance.now() - t0;
      this.metrics.lastDrawnRegions = painted;
      this.bitmap = null;
    }
    this.metrics.staticDraws++;
    this.damage = [];
    this.staticStale = false;
  };

  private clearAll(ctx: Ctx2D): void {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  }

  /** Konva sceneFunc of the active layer's single shape. */
  readonly drawActive = (kctx: Konva.Context): void => {
    const ctx = nativeOf(kctx);
    const selected = this.editor.getSelectedRegions().filter((r) => !r.hidden);
    const preview = this.readOnly ? null : this.controller.preview;
    const label = this.editor.currentLabel;
    paintOverlay(ctx, {
      selected,
      arrows: this.arrows(),
      editable: !this.readOnly && this.editor.toolId === "select",
      preview,
      previewColor: (label && this.editor.labelDef(label)?.color) || UNLABELLED,
      style: this.style(),
    });
  };

  /** Relations whose two ends are visible and either end is on screen. */
  private arrows(): OverlayArrow[] {
    const rels = this.editor.getRelations();
    if (!rels.length) return [];
    const vis = visibleBounds(this.view, this.size.w, this.size.h, 40);
    const sel = this.editor.selectedIds;
    const out: OverlayArrow[] = [];
    for (const rel of rels) {
      const a = this.editor.getRegion(rel.from);
      const b = this.editor.getRegion(rel.to);
      if (!a || !b || a.hidden || b.hidden) continue;
      const fa = regionBounds(a);
      const fb = regionBounds(b);
      if (!fa || !fb || (!boundsIntersect(fa, vis) && !boundsIntersect(fb, vis))) continue;
      out.push({ from: fa, to: fb, label: rel.label, hot: sel.has(rel.from) || sel.has(rel.to) });
    }
    return out;
  }

  private snapshot(): void {
    const layer = this.nodes?.staticLayer.getCanvas()._canvas;
    if (!layer) return;
    const canvas = document.createElement("canvas");
    canvas.width = layer.width;
    canvas.height = layer.height;
    canvas.getContext("2d")?.drawImage(layer, 0, 0);
    this.bitmap = { canvas, view: { ...this.view } };
  }

  private drawBitmap(ctx: Ctx2D): void {
    const b = this.bitmap!;
    const pr = b.canvas.width / Math.max(1, this.size.w);
    const k = this.view.scale / b.view.scale;
    ctx.save();
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(b.canvas, this.view.x - b.view.x * k, this.view.y - b.view.y * k, (b.canvas.width / pr) * k, (b.canvas.height / pr) * k);
    ctx.restore();
  }

  // ---- editor changes ------------------------------------------------------------------------

  /** Recompute the active set (selection + the mask being brushed); returns the ids that moved layers. */
  private syncActive(): string[] {
    const next = new Set<string>();
    for (const id of this.editor.selectedIds) next.add(id);
    const p = this.controller.preview;
    if (p?.type === "brush" && p.regionId) next.add(p.regionId);
    const moved: string[] = [];
    for (const id of next) if (!this.active.has(id)) moved.push(id);
    for (const id of this.active) if (!next.has(id)) moved.push(id);
    if (moved.length) this.active = next;
    return moved;
  }

  private onChange(c: EditorChange): void {
    const moved = this.syncActive();
    const touched = new Set<string>(moved);
    for (const id of c.regions) if (!this.active.has(id) || this.drawn.has(id)) touched.add(id);
    if (c.reset || touched.size > 400) this.damage = "all";
    else if (touched.size && this.damage !== "all") {
      for (const id of touched) {
        // Erase where it was drawn, paint where it is now (if it belongs on this layer).
        const old = this.drawn.get(id);
        if (old) this.damage.push(old);
        this.drawn.delete(id);
        const r = this.editor.getRegion(id);
        const b = r && !r.hidden && !this.active.has(id) ? regionBounds(r) : null;
        if (b) this.damage.push(b);
      }
    }
    if (c.reset || touched.size) {
      this.staticStale = true;
      this.bitmap = null;
      this.invalidate("static");
    }
    this.invalidate("active");
  }

  // ---- input ---------------------------------------------------------------------------------

  private local(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const el = this.nodes?.stage.container();
    if (!this.rect && el) this.rect = el.getBoundingClientRect();
    const r = this.rect;
    return r ? { x: e.clientX - r.left, y: e.clientY - r.top } : { x: e.clientX, y: e.clientY };
  }

  private send(type: ToolEventType, e: PointerEvent | MouseEvent, p: { x: number; y: number }): boolean {
    const point = toImage(this.view, p);
    this.lastPoint = point;
    if (this.readOnly) {
      // Read-only: a click selects (shift toggles); nothing moves or draws.
      if (type === "pointerdown") {
        const hit = this.editor.hitTest(point, this.controller.settings.tolerance);
        if (hit) this.editor.select([hit.id], e.shiftKey ? "toggle" : "replace");
        else if (!e.shiftKey) this.editor.clearSelection();
      }
      return true;
    }
    return this.controller.dispatch({ type, point, shift: e.shiftKey, alt: e.altKey, ctrl: e.ctrlKey || e.metaKey });
  }

  private bindDom(el: HTMLDivElement): () => void {
    const onDown = (e: PointerEvent) => {
      this.rect = null;
      const p = this.local(e);
      if (e.pointerType === "touch") {
        this.touches.set(e.pointerId, p);
        if (this.touches.size === 2) {
          this.controller.tool.cancel();
          const [a, b] = [...this.touches.values()];
          this.pinch = { dist: Math.hypot(a!.x - b!.x, a!.y - b!.y) };
          return;
        }
      }
      if (e.button === 2) return;
      el.setPointerCapture?.(e.pointerId);
      if (e.button === 1 || this.spaceHeld) {
        e.preventDefault();
        this.pan = { id: e.pointerId, x: p.x, y: p.y };
        el.style.cursor = "grabbing";
        return;
      }
      if (e.button !== 0) return;
      el.focus({ preventScroll: true });
      this.send("pointerdown", e, p);
    };
    const onMove = (e: PointerEvent) => {
      const p = this.local(e);
      if (this.touches.has(e.pointerId)) {
        this.touches.set(e.pointerId, p);
        if (this.pinch && this.touches.size === 2) {
          const [a, b] = [...this.touches.values()];
          const dist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
          if (this.pinch.dist > 0) this.zoomBy(dist / this.pinch.dist, { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 });
          this.pinch.dist = dist;
          return;
        }
      }
      if (this.pan && this.pan.id === e.pointerId) {
        this.setView(panBy(this.view, p.x - this.pan.x, p.y - this.pan.y));
        this.pan = { id: e.pointerId, x: p.x, y: p.y };
        return;
      }
      this.send("pointermove", e, p);
      this.updateCursor(el, p);
    };
    const onUp = (e: PointerEvent) => {
      this.touches.delete(e.pointerId);
      if (this.touches.size < 2) this.pinch = null;
      if (this.pan && this.pan.id === e.pointerId) {
        this.pan = null;
        el.style.cursor = this.spaceHeld ? "grab" : "";
        return;
      }
      if (e.button !== 0 && e.type === "pointerup") return;
      this.send("pointerup", e, this.local(e));
    };
    const onDbl = (e: MouseEvent) => {
      if (e.button === 0) this.send("doubleclick", e, this.local(e));
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const p = this.local(e);
      if (e.shiftKey && !e.ctrlKey) this.setView(panBy(this.view, -e.deltaY, 0));
      else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) && !e.ctrlKey) this.setView(panBy(this.view, -e.deltaX, 0));
      else this.zoomBy(wheelFactor(e.deltaY, e.deltaMode), p);
    };
    const onKeyDown = (e: KeyboardEvent) => this.onKey(e, el);
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === " ") {
        this.spaceHeld = false;
        if (!this.pan) el.style.cursor = "";
      }
    };
    const onScroll = () => (this.rect = null);
    const noMenu = (e: Event) => e.preventDefault();
    el.addEventListener("pointerdown", onDown);
    el.addEventListener("pointermove", onMove);
    el.addEventListener("pointerup", onUp);
    el.addEventListener("pointercancel", onUp);
    el.addEventListener("dblclick", onDbl);
    el.addEventListener("wheel", onWheel, { passive: false });
    el.addEventListener("contextmenu", noMenu);
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("keyup", onKeyUp);
    window.addEventListener("scroll", onScroll, true);
    window.addEventListener("resize", onScroll);
    return () => {
      el.removeEventListener("pointerdown", onDown);
      el.removeEventListener("pointermove", onMove);
      el.removeEventListener("pointerup", onUp);
      el.removeEventListener("pointercancel", onUp);
      el.removeEventListener("dblclick", onDbl);
      el.removeEventListener("wheel", onWheel);
      el.removeEventListener("contextmenu", noMenu);
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("scroll", onScroll, true);
      window.removeEventListener("resize", onScroll);
    };
  }

  private onKey(e: KeyboardEvent, el: HTMLDivElement): void {
    if (!this.keyboard || e.defaultPrevented || isTyping(e)) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const k = e.key;
    // The shell's keys: submit, save now, the help overlay, previous/next task.
    if ((ctrl && (k === "Enter" || k.toLowerCase() === "s")) || k === "?") return;
    if (e.altKey && (k === "ArrowLeft" || k === "ArrowRight")) return;
    if (k === " ") {
      e.preventDefault();
      this.spaceHeld = true;
      if (!this.pan) el.style.cursor = "grab";
      return;
    }
    const used = this.readOnly
      ? k === "Escape" && (this.editor.clearSelection(), true)
      : this.controller.dispatch({ type: "keydown", point: this.lastPoint, key: k, shift: e.shiftKey, alt: e.altKey, ctrl });
    if (used) {
      e.preventDefault();
      return;
    }
    if (ctrl || e.altKey) return;
    const view: Record<string, () => void> = {
      f: () => this.fit(),
      o: () => this.oneToOne(),
      "0": () => this.oneToOne(),
      "+": () => this.zoomBy(1.25),
      "=": () => this.zoomBy(1.25),
      "-": () => this.zoomBy(0.8),
    };
    const act = view[k.toLowerCase()];
    if (act) {
      e.preventDefault();
      act();
    }
  }

  private updateCursor(el: HTMLDivElement, p: { x: number; y: number }): void {
    if (this.spaceHeld || this.pan) return;
    const tool = this.editor.toolId;
    if (tool !== "select" || this.readOnly) {
      el.style.cursor = this.readOnly ? "default" : "crosshair";
      return;
    }
    const point = toImage(this.view, p);
    const sel = this.controller.tool as { handleAt?: (q: { x: number; y: number }) => unknown; rotateHandleAt?: (q: { x: number; y: number }) => unknown };
    if (sel.rotateHandleAt?.(point)) el.style.cursor = "grab";
    else if (sel.handleAt?.(point)) el.style.cursor = "pointer";
    else el.style.cursor = this.editor.hitTest(point, this.controller.settings.tolerance) ? "move" : "default";
  }
}

const unionOf = (a: Bounds, b: Bounds): Bounds => ({
  minX: Math.min(a.minX, b.minX),
  minY: Math.min(a.minY, b.minY),
  maxX: Math.max(a.maxX, b.maxX),
  maxY: Math.max(a.maxY, b.maxY),
});

function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !t.tagName) return false;
  return t.isContentEditable || t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT";
}

// What the text view draws for each span, derived from the editor's regions. Objects are cached
// per region (regions are immutable), so a block whose spans did not change keeps the same
// inputs and React skips it: creating one span re-renders one block, not a 100k-char document.
import type { Region } from "@/lib/annotation/regions";
import type { TextIndex } from "@/lib/annotation/text/offsets";
import type { LaidSpan } from "@/lib/annotation/text/layout";
import type { LabelConfig } from "@/lib/labeling-config/schema";

export interface ViewSpan extends LaidSpan {
  label: string;
  color: string;
  prediction: boolean;
}

const FALLBACK = "#94a3b8";

export function makeSpanView(index: TextIndex, schema: LabelConfig): (regions: readonly Region[]) => ViewSpan[] {
  const cache = new WeakMap<Region, ViewSpan>();
  const colors = new Map(schema.labels.map((l) => [l.name, l.color]));
  return (regions) => {
    const out: ViewSpan[] = [];
    for (const r of regions) {
      if (r.kind !== "span" || r.hidden) continue;
      let v = cache.get(r);
      if (!v) {
        const label = r.labels?.join(", ") ?? r.label ?? "";
        v = {
          id: r.id,
          start: index.toUtf16(r.start),
          end: index.toUtf16(r.end),
          label: label || "no label",
          color: colors.get(r.labels?.[0] ?? r.label ?? "") ?? FALLBACK,
          prediction: r.origin === "prediction",
        };
        cache.set(r, v);
      }
      out.push(v);
    }
    return out;
  };
}

/** Black or white text on a label colour, whichever reads better. */
export function inkOn(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#0f172a" : "#ffffff";
}

/** DOM position -> UTF-16 offset in the text, using the data-o/data-e marks of pieces. */
export function domOffset(node: Node | null, offset: number): number | null {
  if (!node) return null;
  if (node.nodeType === Node.TEXT_NODE) {
    const el = node.parentElement?.closest<HTMLElement>("[data-o]");
    return el ? Number(el.dataset.o) + offset : null;
  }
  const el = node as Element;
  if (el instanceof HTMLElement && el.dataset.o !== undefined) return offset === 0 ? Number(el.dataset.o) : Number(el.dataset.e);
  const kids = el.childNodes;
  for (let i = offset; i < kids.length; i++) {
    const k = kids[i]!;
    const m = k instanceof HTMLElement ? (k.dataset.o !== undefined ? k : k.querySelector<HTMLElement>("[data-o]")) : null;
    if (m) return Number(m.dataset.o);
  }
  for (let i = Math.min(offset, kids.length) - 1; i >= 0; i--) {
    const k = kids[i]!;
    if (!(k instanceof HTMLElement)) continue;
    const all = k.dataset.o !== undefined ? [k] : [...k.querySelectorAll<HTMLElement>("[data-o]")];
    const m = all[all.length - 1];
    if (m) return Number(m.dataset.e);
  }
  return null;
}

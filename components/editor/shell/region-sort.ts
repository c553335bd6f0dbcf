// Pure helpers for the region list and the submit checks: sorting, per-label counts, regions
// whose label the current schema no longer has, and what blocks a submit. No React here, so the
// unit tests exercise them directly and the list stays fast at thousands of regions.
import { getRegionUtil, type Region } from "@/lib/annotation/regions";
import type { LabelConfig } from "@/lib/labeling-config/schema";

export type RegionSort = "order" | "label" | "area" | "score";

/** Region objects are immutable (the editor replaces them on change), so area caches by identity. */
const areaCache = new WeakMap<Region, number>();

export function regionArea(r: Region): number {
  let a = areaCache.get(r);
  if (a === undefined) {
    const util = getRegionUtil(r.kind);
    a = util ? util.area(r) : 0;
    if (!Number.isFinite(a)) a = 0;
    areaCache.set(r, a);
  }
  return a;
}

/** The label names a region carries (`labels` wins over `label`, as in the document format). */
export function regionLabels(r: Region): string[] {
  return r.labels ?? (r.label ? [r.label] : []);
}

/** "order" is bottom to top (creation order, as the editor lists them); the others are stable. */
export function sortRegions(regions: readonly Region[], by: RegionSort): Region[] {
  const list = [...regions];
  if (by === "label") {
    const key = (r: Region) => regionLabels(r)[0] ?? "\uffff"; // unlabelled last
    const idx = new Map(regions.map((r, i) => [r.id, i]));
    list.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : idx.get(a.id)! - idx.get(b.id)!;
    });
  } else if (by === "area") {
    list.sort((a, b) => regionArea(b) - regionArea(a)); // Array#sort is stable: ties keep order
  } else if (by === "score") {
    // Predictions by score, highest first; regions without a score (the annotator's) after them.
    list.sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  }
  return list;
}

/** How many regions carry each label (a region with two labels counts for both). */
export function labelCounts(regions: readonly Region[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of regions) for (const l of regionLabels(r)) out.set(l, (out.get(l) ?? 0) + 1);
  return out;
}

/** Regions with a label the schema no longer defines: they load and stay, but block submitting. */
export function flaggedRegionIds(regions: readonly Region[], schema: Pick<LabelConfig, "labels">): Set<string> {
  const known = new Set(schema.labels.map((l) => l.name));
  const out = new Set<string>();
  for (const r of regions) if (regionLabels(r).some((l) => !known.has(l))) out.add(r.id);
  return out;
}

/** "1,234 px²" for the list; lines and points have no area. */
export function formatArea(a: number): string {
  if (a <= 0) return "—";
  if (a >= 1e6) return `${(a / 1e6).toFixed(1)}M px²`;
  return `${Math.round(a).toLocaleString("en-US")} px²`;
}

export interface SubmitBlocker {
  message: string;
  /** A region to select and show, when the problem is one region. */
  regionId?: string;
}

/**
 * Why the document may not be submitted yet, first problem first: regions whose label was
 * removed from the schema, required classifications left empty, required attributes missing.
 * The server would refuse the first two with a 422; saying it here names the fix.
 */
export function submitBlockers(
  regions: readonly Region[],
  classifications: Readonly<Record<string, readonly string[]>>,
  schema: Pick<LabelConfig, "labels" | "classifications">,
): SubmitBlocker[] {
  const out: SubmitBlocker[] = [];
  const flagged = flaggedRegionIds(regions, schema);
  if (flagged.size) {
    const first = [...flagged][0]!;
    const names = [...new Set(regions.filter((r) => flagged.has(r.id)).flatMap(regionLabels))].filter((l) => !schema.labels.some((d) => d.name === l));
    out.push({
      message: `${flagged.size} region${flagged.size === 1 ? " has a label" : "s have labels"} removed from the project (${names.map((n) => `"${n}"`).join(", ")}) — pick a new label before submitting.`,
      regionId: first,
    });
  }
  for (const c of schema.classifications) {
    if (c.required && !(classifications[c.name]?.length)) out.push({ message: `Choose a value for "${c.name}" before submitting.` });
  }
  for (const f of (schema as Partial<LabelConfig>).textFields ?? []) {
    if (f.required && !classifications[f.name]?.[0]?.trim()) out.push({ message: `Fill in "${f.name}" before submitting.` });
  }
  // One message per (label, attribute), naming how many regions lack it and pointing at the first.
  const defs = new Map(schema.labels.map((l) => [l.name, l]));
  const missing = new Map<string, { label: string; attr: string; first: string; n: number }>();
  for (const r of regions) {
    for (const l of regionLabels(r)) {
      for (const a of defs.get(l)?.attributes ?? []) {
        if (!a.required || a.type === "checkbox") continue; // an unticked box is an answer
        const v = r.attributes?.[a.name] ?? a.default;
        if (v !== undefined && v !== null && v !== "") continue;
        const k = JSON.stringify([l, a.name]);
        const m = missing.get(k);
        if (m) m.n++;
        else missing.set(k, { label: l, attr: a.name, first: r.id, n: 1 });
      }
    }
  }
  for (const m of missing.values()) {
    const who = m.n === 1 ? `A "${m.label}" region needs its` : `${m.n} "${m.label}" regions need their`;
    out.push({ message: `${who} "${m.attr}" attribute before submitting.`, regionId: m.first });
  }
  return out;
}

/**
 * Attribute defaults the panel shows but the regions do not store yet, per region id. Applied
 * just before submitting so the saved document holds what the annotator saw.
 */
export function missingDefaults(regions: readonly Region[], schema: Pick<LabelConfig, "labels">): Map<string, Record<string, unknown>> {
  const defs = new Map(schema.labels.map((l) => [l.name, l]));
  const out = new Map<string, Record<string, unknown>>();
  for (const r of regions) {
    for (const l of regionLabels(r)) {
      for (const a of defs.get(l)?.attributes ?? []) {
        if (a.default === undefined || r.attributes?.[a.name] !== undefined) continue;
        const rec = out.get(r.id) ?? {};
        rec[a.name] = a.default;
        out.set(r.id, rec);
      }
    }
  }
  return out;
}

/** Visible window of a fixed-row-height list: [start, end) with some rows of overscan. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8): [number, number] {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [start, Math.max(start, end)];
}

/** How panels name a region: "car #3 (rect)", where 3 is its 1-based position in drawing order. */
export function regionTitle(r: Region, index: number): string {
  return `${regionLabels(r).join(", ") || "no label"} #${index + 1} (${r.kind})`;
}

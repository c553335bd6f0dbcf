// COCO (instances): bbox, polygon segmentation, RLE masks, keypoints with skeleton. One JSON per
// split, written as a stream of string chunks (two passes over the items: images, then annotations).
// Layout: annotations/instances_<split>.json, images/<split>/<file>.
import type { Region } from "../annotation/regions";
import type { LabelConfig } from "../labeling-config/schema";
import {
  canonicalJson, ChunkBuffer, classNames, isRotated, mediaEntries, namedBatches, regionLabel, round, scan, sortKeys, usableAnnotations, type NamedItem, type Scan,
} from "./common";
import { areaOf, boundsOf, outlineOf, toCocoRle } from "./geometry";
import type { ArchiveEntry, ExportContext, ExportOptions, ExportSource, Exporter, Split } from "./types";
import { SPLITS } from "./types";
import { imageFits } from "./fit";

const KINDS = ["rect", "polygon", "ellipse", "mask", "keypoints"] as const;

function flat(pts: ReadonlyArray<readonly [number, number]>): number[] {
  const out = new Array<number>(pts.length * 2);
  for (let i = 0; i < pts.length; i++) {
    out[2 * i] = round(pts[i]![0]);
    out[2 * i + 1] = round(pts[i]![1]);
  }
  return out;
}

export function cocoCategories(schema: LabelConfig, extra: readonly string[]): Array<Record<string, unknown>> {
  return classNames(schema, extra).map((name, i) => {
    const def = schema.labels.find((l) => l.name === name);
    const cat: Record<string, unknown> = { id: i + 1, name, supercategory: "" };
    if (def?.skeleton) {
      cat.keypoints = def.skeleton.points;
      // COCO skeleton pairs are 1-based point indices.
      cat.skeleton = def.skeleton.edges.map(([a, b]) => [a + 1, b + 1]);
    }
    return cat;
  });
}

/** The COCO annotation for one region (without id/image_id), or null with a reason. */
export function cocoAnnotation(r: Region, categoryId: number, schema: LabelConfig, options: ExportOptions): Record<string, unknown> | string {
  const b = boundsOf(r);
  if (!(KINDS as readonly string[]).includes(r.kind)) return `COCO has no ${r.kind} regions`;
  if (!b) return "empty region";
  const bbox = [round(b.minX), round(b.minY), round(b.maxX - b.minX), round(b.maxY - b.minY)];
  const attributes: Record<string, unknown> = { ...(r.attributes ?? {}) };
  const out: Record<string, unknown> = { category_id: categoryId, iscrowd: 0, bbox };
  if (r.kind === "mask") {
    out.segmentation = toCocoRle(r.rle, r.width, r.height);
    out.area = areaOf(r);
  } else if (r.kind === "keypoints") {
    const def = schema.labels.find((l) => l.name === regionLabel(r));
    const n = def?.skeleton?.points.length ?? r.points.length;
    const kps: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = r.points[i];
      // COCO writes absent points as 0,0,0.
      if (!p || p[2] === 0) kps.push(0, 0, 0);
      else kps.push(round(p[0]), round(p[1]), p[2]);
    }
    out.keypoints = kps;
    out.num_keypoints = r.points.slice(0, n).filter((p) => p[2] > 0).length;
    out.segmentation = [];
    out.area = round((b.maxX - b.minX) * (b.maxY - b.minY));
  } else {
    out.segmentation = [flat(outlineOf(r, options.ellipsePoints)!)];
    out.area = round(areaOf(r));
    // COCO has no rotation: the bbox holds the turned box, the polygon its exact corners, and the
    // angle goes in attributes as CVAT does, so nothing is lost.
    if (r.kind === "rect" && isRotated(r.rotation)) attributes.rotation = r.rotation;
  }
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  if (r.origin === "prediction" && r.score !== undefined) out.score = r.score;
  return out;
}

// canonicalJson's order for the annotation keys ("id" first, then by name), so a line can be built
// in that order and JSON.stringify-ed without sorting keys per annotation.
const ANN_KEYS = ["area", "attributes", "bbox", "category_id", "image_id", "iscrowd", "keypoints", "num_keypoints", "score", "segmentation"];
const ANN_KEY_SET = new Set(ANN_KEYS);

/** Same bytes as canonicalJson({ id, image_id, ...ann }), without the per-object key sort. */
export function cocoAnnotationJson(id: number, imageId: number, ann: Record<string, unknown>): string {
  for (const k in ann) if (!ANN_KEY_SET.has(k)) return canonicalJson({ id, image_id: imageId, ...ann });
  let out = `{"id":${JSON.stringify(id)}`;
  for (const k of ANN_KEYS) {
    const v = k === "image_id" ? imageId : ann[k];
    if (v === undefined) continue;
    // Nested objects (attributes, an RLE's {counts, size}) still go through the canonical sort.
    out += `,"${k}":${JSON.stringify(v !== null && typeof v === "object" && !Array.isArray(v) ? sortKeys(v) : v)}`;
  }
  return out + "}";
}

async function* splitJson(source: ExportSource, options: ExportOptions, ctx: ExportContext, split: Split, categories: Array<Record<string, unknown>>, s: Scan): AsyncGenerator<string> {
  const uniqueNames = s.uniqueNames;
  const catId = new Map(categories.map((c) => [c.name as string, c.id as number]));
  yield `{"info":${canonicalJson({ description: source.project?.name ?? "", version: String(source.version?.number ?? ""), contributor: "Loupe" })},\n"licenses":[],\n"categories":[\n`;
  yield categories.map((c) => canonicalJson(c)).join(",\n");
  yield `\n],\n"images":[\n`;
  const buf = new ChunkBuffer();
  let first = true;
  let out: string | null;
  // The images only need annotations when some image has no size (a mask then gives it).
  for await (const batch of namedBatches(source, s.unsized > 0 ? { split } : { split, annotations: false }, { uniqueNames })) {
    for (const n of batch) {
      const m = n.item.media;
      // Documents are only opened for the rare image without a known size (a mask gives one).
      const mask = m?.width !== undefined && m.height !== undefined ? undefined : n.item.annotations.flatMap((a) => a.document.regions).find((r) => r.kind === "mask");
      const width = m?.width ?? (mask?.kind === "mask" ? mask.width : 0);
      const height = m?.height ?? (mask?.kind === "mask" ? mask.height : 0);
      if (!m?.width || !m?.height) ctx.warn("image_size_missing", `task ${n.item.taskId}: image size unknown`);
      // canonicalJson's order (task_id, id, width, height, then by name), built in that order.
      const line = JSON.stringify({ task_id: n.item.taskId, id: n.index, width, height, coco_url: options.media === "include" ? undefined : m?.url, file_name: n.fileName });
      if ((out = buf.push((first ? "" : ",\n") + line))) yield out;
      first = false;
    }
  }
  yield buf.take();
  yield `\n],\n"annotations":[\n`;
  first = true;
  let annId = 0;
  for await (const batch of namedBatches(source, { split }, { uniqueNames })) {
    for (const n of batch) {
      for (const a of usableAnnotations(n.item, options)) {
        for (const r of a.document.regions) {
          const label = regionLabel(r);
          const ann = label === undefined ? "region without a label" : cocoAnnotation(r, catId.get(label)!, source.schema, options);
          if (typeof ann === "string") {
            ctx.warn("region_skipped", `task ${n.item.taskId}, region ${r.id}: ${ann}`);
            continue;
          }
          if (r.kind === "keypoints") {
            const want = source.schema.labels.find((l) => l.name === label)?.skeleton?.points.length;
            if (want !== undefined && want !== r.points.length) {
              ctx.warn("keypoints_mismatch", `task ${n.item.taskId}, region ${r.id}: ${r.points.length} points, skeleton has ${want}; ${r.points.length > want ? "extra points dropped" : "missing points written as absent"}`);
            }
          }
          annId++;
          if ((out = buf.push((first ? "" : ",\n") + cocoAnnotationJson(annId, n.index, ann)))) yield out;
          first = false;
        }
      }
    }
  }
  yield buf.take();
  yield "\n]}\n";
}

export const cocoExporter: Exporter = {
  name: "coco",
  description: "COCO instances JSON: boxes, polygons, RLE masks, keypoints with skeleton",
  dataTypes: ["image"],
  kinds: KINDS,
  fits: (schema, dataType) => imageFits("COCO", KINDS, schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    const categories = cocoCategories(source.schema, s.extraLabels);
    for (const split of SPLITS) {
      if (!s.splits.has(split)) continue;
      yield { path: `annotations/instances_${split}.json`, data: () => splitJson(source, options, ctx, split, categories, s) };
    }
    yield* mediaEntries(source, options, ctx, (n: NamedItem) => `images/${n.split}/${n.fileName}`);
  },
};

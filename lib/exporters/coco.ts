// COCO (instances): bbox, polygon segmentation, RLE masks, keypoints with skeleton. One JSON per
// split, written as a stream of chunks (one pass over the split's items: images stream out, the
// annotations wait in a bounded buffer and follow them).
// Layout: annotations/instances_<split>.json, images/<split>/<file>.
import type { Region } from "../annotation/regions";
import type { LabelConfig } from "../labeling-config/schema";
import {
  canonicalJson, ChunkBuffer, classNames, isRotated, mediaEntries, mediaJsonLine, namedBatches, ByteWriter, rectCorners, regionLabel, round, sortKeys, SpillBuffer, usableAnnotations, type NamedItem,
} from "./common";
import { polygonArea } from "../annotation/geometry";
import { areaOf, boundsOf, outlineOf, toCocoRle } from "./geometry";
import type { ArchiveEntry, ExportContext, ExportOptions, ExportSource, Exporter, Split } from "./types";
import { MAX_REPORTED, SPLITS } from "./types";
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

const ascii = (s: string): Uint8Array => Buffer.from(s, "latin1");
const B_ID = ascii(`{"id":`), B_AREA = ascii(`,"area":`), B_ATTRS = ascii(`,"attributes":`), B_BBOX = ascii(`,"bbox":[`);
const B_COMMA = ascii(","), B_CAT = ascii(`],"category_id":`), B_IMAGE = ascii(`,"image_id":`), B_CROWD = ascii(`,"iscrowd":0`);
const B_SCORE = ascii(`,"score":`), B_SEG = ascii(`,"segmentation":[[`), B_END = ascii("]]}"), B_SEP = ascii(",\n");

/**
 * Writes the annotation line of a rect or polygon region straight into bytes: byte for byte what
 * cocoAnnotationJson(id, imageId, cocoAnnotation(r, ...)) gives, without the intermediate objects
 * and strings (these two kinds are nearly every COCO annotation; bounds as boundsOfPoints finds
 * them). Returns false, writing nothing, for other kinds.
 */
export function writeCocoRectPolygon(w: ByteWriter, id: number, imageId: number, r: Region, categoryId: number): boolean {
  let pts: ReadonlyArray<readonly [number, number]>;
  let area: number;
  if (r.kind === "rect") {
    pts = rectCorners(r);
    area = r.width * r.height;
  } else if (r.kind === "polygon") {
    pts = r.points;
    area = Math.abs(polygonArea(r.points));
  } else return false;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < pts.length; i++) {
    const x = pts[i]![0], y = pts[i]![1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  w.bytes(B_ID);
  w.int(id);
  w.bytes(B_AREA);
  w.num3(area);
  const rotated = r.kind === "rect" && isRotated(r.rotation);
  const attrs = r.attributes;
  let hasAttrs = rotated;
  if (!hasAttrs && attrs) for (const _ in attrs) { hasAttrs = true; break; }
  if (hasAttrs) {
    const a: Record<string, unknown> = { ...(attrs ?? {}) };
    if (rotated) a.rotation = (r as { rotation: number }).rotation;
    w.bytes(B_ATTRS);
    w.str(JSON.stringify(sortKeys(a)));
  }
  w.bytes(B_BBOX);
  w.num3(minX);
  w.bytes(B_COMMA);
  w.num3(minY);
  w.bytes(B_COMMA);
  w.num3(maxX - minX);
  w.bytes(B_COMMA);
  w.num3(maxY - minY);
  w.bytes(B_CAT);
  w.int(categoryId);
  w.bytes(B_IMAGE);
  w.int(imageId);
  w.bytes(B_CROWD);
  if (r.origin === "prediction" && r.score !== undefined) {
    w.bytes(B_SCORE);
    w.str(JSON.stringify(r.score));
  }
  w.bytes(B_SEG);
  for (let i = 0; i < pts.length; i++) {
    if (i > 0) w.bytes(B_COMMA);
    w.num3(pts[i]![0]);
    w.bytes(B_COMMA);
    w.num3(pts[i]![1]);
  }
  w.bytes(B_END);
  return true;
}

/** An image entry of "images" (canonicalJson's order: task_id, id, width, height, then by name). */
function imageJson(n: NamedItem, width: number, height: number, url: boolean): string {
  const m = n.item.media;
  const coco = url && m?.url !== undefined ? `,"coco_url":${JSON.stringify(m.url)}` : "";
  return `{"task_id":${JSON.stringify(n.item.taskId)},"id":${n.index},"width":${JSON.stringify(width)},"height":${JSON.stringify(height)}${coco},"file_name":${JSON.stringify(n.fileName)}}`;
}

/**
 * What the first pass over all items gathers: the scan's facts, plus, when every image has a size,
 * each split's "images" array and the media.jsonl lines (both small: one short line per item),
 * held in bounded SpillBuffers. The annotation passes then stream straight into their entries
 * (deflate overlaps with building them), and no separate images or media pass is needed.
 */
interface FirstPass {
  splits: Set<Split>;
  extraLabels: string[];
  uniqueNames: boolean;
  /** Some image has no size: its "images" line needs the annotations (a mask's size). */
  unsized: boolean;
  images: Map<Split, SpillBuffer>;
  imageWarnings: Map<Split, DeferredWarnings>;
  media: SpillBuffer | null;
}

const mediaPath = (n: NamedItem) => `images/${n.split}/${n.fileName}`;

async function firstPass(source: ExportSource, options: ExportOptions, ctx: ExportContext, fp: FirstPass): Promise<void> {
  const known = new Set(source.schema.labels.map((l) => l.name));
  // Documents are read here only when the source cannot vouch for its labels (labelsUsed).
  const documents = !source.labelsUsed || source.labelsUsed().some((l) => !known.has(l));
  const extra = new Set<string>();
  const url = options.media !== "include";
  for await (const batch of namedBatches(source, documents ? undefined : { annotations: false })) {
    for (const n of batch) {
      if (n.renamed) fp.uniqueNames = false;
      fp.splits.add(n.split);
      if (documents) {
        for (const a of usableAnnotations(n.item, options)) {
          for (const r of a.document.regions) {
            const l = regionLabel(r);
            if (l !== undefined && !known.has(l)) extra.add(l);
          }
        }
      }
      const m = n.item.media;
      if (fp.media && m) fp.media.push(mediaJsonLine(n, mediaPath));
      if (fp.unsized) continue;
      if (m?.width === undefined || m.height === undefined) {
        // The images arrays will come from passes that read the annotations: drop what was kept.
        fp.unsized = true;
        for (const b of fp.images.values()) b.dispose();
        continue;
      }
      let buf = fp.images.get(n.split);
      let warnings = fp.imageWarnings.get(n.split);
      if (!buf || !warnings) {
        fp.images.set(n.split, (buf = new SpillBuffer(IMAGES_MEMORY)));
        fp.imageWarnings.set(n.split, (warnings = new DeferredWarnings(ctx)));
        buf.push(imageJson(n, m!.width!, m!.height!, url));
      } else buf.push(",\n" + imageJson(n, m!.width!, m!.height!, url));
      if (!m!.width || !m!.height) warnings.warn("image_size_missing", `task ${n.item.taskId}: image size unknown`);
    }
  }
  fp.extraLabels = [...extra].sort();
}

/** Memory for each split's held "images" array and for media.jsonl before they go to a temp file. */
const IMAGES_MEMORY = 16 << 20;

/**
 * One split's instances JSON: the "images" array from the first pass (or, when some image has no
 * size, from a pass of its own that reads the annotations), then one pass over the split's items
 * streaming "annotations".
 */
async function* splitJson(source: ExportSource, options: ExportOptions, ctx: ExportContext, split: Split, categories: Array<Record<string, unknown>>, fp: FirstPass): AsyncGenerator<string | Uint8Array> {
  const uniqueNames = fp.uniqueNames;
  const catId = new Map(categories.map((c) => [c.name as string, c.id as number]));
  yield `{"info":${canonicalJson({ description: source.project?.name ?? "", version: String(source.version?.number ?? ""), contributor: "Loupe" })},\n"licenses":[],\n"categories":[\n`;
  yield categories.map((c) => canonicalJson(c)).join(",\n");
  yield `\n],\n"images":[\n`;
  const buf = new ChunkBuffer();
  let first = true;
  let out: string | null;
  if (!fp.unsized) {
    fp.imageWarnings.get(split)?.flush();
    const images = fp.images.get(split);
    if (images) yield* images.drain();
  } else {
    for await (const batch of namedBatches(source, { split }, { uniqueNames })) {
      for (const n of batch) {
        const m = n.item.media;
        // Documents are only opened for the rare image without a known size (a mask gives one).
        const mask = m?.width !== undefined && m.height !== undefined ? undefined : n.item.annotations.flatMap((a) => a.document.regions).find((r) => r.kind === "mask");
        const width = m?.width ?? (mask?.kind === "mask" ? mask.width : 0);
        const height = m?.height ?? (mask?.kind === "mask" ? mask.height : 0);
        if (!m?.width || !m?.height) ctx.warn("image_size_missing", `task ${n.item.taskId}: image size unknown`);
        if ((out = buf.push((first ? "" : ",\n") + imageJson(n, width, height, options.media !== "include")))) yield out;
        first = false;
      }
    }
    yield buf.take();
  }
  yield `\n],\n"annotations":[\n`;
  const w = new ByteWriter();
  first = true;
  let annId = 0;
  // This pass reads only the annotations (image ids are positions): no media, data or names.
  for await (const batch of namedBatches(source, { split, media: false }, { uniqueNames })) {
    for (const n of batch) {
      for (const a of usableAnnotations(n.item, options)) {
        for (const r of a.document.regions) {
          const label = regionLabel(r);
          const cat = label === undefined ? undefined : catId.get(label);
          if (label !== undefined && cat === undefined) {
            // Categories came from source.labelsUsed(), which must be a superset of the labels.
            throw new Error(`COCO export: region label "${label}" (task ${n.item.taskId}) is missing from the source's labelsUsed()`);
          }
          if (cat !== undefined && (r.kind === "rect" || r.kind === "polygon")) {
            if (!first) w.bytes(B_SEP);
            writeCocoRectPolygon(w, annId + 1, n.index, r, cat);
          } else {
            const ann = cat === undefined ? "region without a label" : cocoAnnotation(r, cat, source.schema, options);
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
            if (!first) w.bytes(B_SEP);
            w.str(cocoAnnotationJson(annId + 1, n.index, ann));
          }
          annId++;
          first = false;
        }
      }
      if (w.size >= 65536) yield w.take();
    }
  }
  if (w.size > 0) yield w.take();
  yield "\n]}\n";
}

/**
 * Warnings held back until flush(), then passed on in order. Only the first MAX_REPORTED keep their
 * message (the report keeps no more than that); the rest are counted and passed on with an empty
 * message once the report's list is already full, so the report comes out exactly as if each had
 * been passed on when raised.
 */
class DeferredWarnings {
  private held: Array<[string, string]> = [];
  private over = new Map<string, number>();
  constructor(private readonly ctx: ExportContext) {}
  warn(code: string, message: string): void {
    if (this.held.length < MAX_REPORTED) this.held.push([code, message]);
    else this.over.set(code, (this.over.get(code) ?? 0) + 1);
  }
  flush(): void {
    for (const [code, message] of this.held) this.ctx.warn(code, message);
    for (const [code, n] of this.over) for (let i = 0; i < n; i++) this.ctx.warn(code, "");
    this.held = [];
    this.over.clear();
  }
}

export const cocoExporter: Exporter = {
  name: "coco",
  description: "COCO instances JSON: boxes, polygons, RLE masks, keypoints with skeleton",
  dataTypes: ["image"],
  kinds: KINDS,
  fits: (schema, dataType) => imageFits("COCO", KINDS, schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const fp: FirstPass = {
      splits: new Set(), extraLabels: [], uniqueNames: true, unsized: false, images: new Map(), imageWarnings: new Map(),
      media: options.media === "include" ? null : new SpillBuffer(IMAGES_MEMORY),
    };
    try {
      await firstPass(source, options, ctx, fp);
      const categories = cocoCategories(source.schema, fp.extraLabels);
      // An empty version still gets a valid (empty) instances file, so a training job finds one.
      if (fp.splits.size === 0) fp.splits.add("train");
      for (const split of SPLITS) {
        if (!fp.splits.has(split)) continue;
        yield { path: `annotations/instances_${split}.json`, data: () => splitJson(source, options, ctx, split, categories, fp) };
      }
      if (fp.media) {
        // media.jsonl as mediaEntries writes it, from the lines the first pass kept.
        const media = fp.media;
        yield { path: "media.jsonl", data: () => media.drain() };
      } else yield* mediaEntries(source, options, ctx, mediaPath);
    } finally {
      for (const b of fp.images.values()) b.dispose();
      fp.media?.dispose();
    }
  },
};

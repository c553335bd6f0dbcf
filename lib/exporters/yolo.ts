// YOLO in the Ultralytics layout: images/<split>/<file>, labels/<split>/<stem>.txt, data.yaml.
// Coordinates normalised to [0, 1] by the image size (clamped), 6 decimals. Variants:
//   detect:  class cx cy w h                   (any area kind: the box around it)
//   segment: class x1 y1 x2 y2 ...             (rect corners, polygon, ellipse approximation, mask
//                                               outlines traced along pixel edges, holes dropped)
//   pose:    class cx cy w h x1 y1 v1 ...      (keypoints; kpt_shape in data.yaml)
//   obb:     class x1 y1 x2 y2 x3 y3 x4 y4     (rect corners, turned with the box)
import type { Region } from "../annotation/regions";
import type { LabelConfig } from "../labeling-config/schema";
import { clamp01, classNames, fixed, mediaEntries, namedItems, regionLabel, scan, usableAnnotations, type NamedItem, type Scan } from "./common";
import { boundsOf, maskOutlines, outlineOf } from "./geometry";
import { imageFits } from "./fit";
import type { ArchiveEntry, ExportContext, ExportOptions, Exporter, YoloVariant } from "./types";
import { ExportError, SPLITS } from "./types";

const VARIANT_KINDS: Record<YoloVariant, readonly string[]> = {
  detect: ["rect", "polygon", "ellipse", "mask"],
  segment: ["rect", "polygon", "ellipse", "mask"],
  pose: ["keypoints"],
  obb: ["rect"],
};

const ALL_KINDS = ["rect", "polygon", "ellipse", "mask", "keypoints"] as const;

/** The variant the data asks for: keypoints -> pose, outlines -> segment, turned boxes -> obb, else detect. */
export function inferVariant(kinds: ReadonlySet<string>, anyRotated: boolean): YoloVariant {
  if (kinds.has("keypoints")) return "pose";
  if (kinds.has("polygon") || kinds.has("ellipse") || kinds.has("mask")) return "segment";
  if (anyRotated) return "obb";
  return "detect";
}

/** Keypoint count for pose: the largest skeleton (shorter ones are padded with absent points). */
export function poseShape(schema: LabelConfig): number {
  return Math.max(0, ...schema.labels.map((l) => (l.kinds?.includes("keypoints") || l.skeleton ? l.skeleton?.points.length ?? 0 : 0)));
}

/** "cx cy w h" of the region's box normalised by the image size, or null when empty / outside. */
function yoloBox(r: Region, w: number, h: number): string | null {
  const b = boundsOf(r);
  if (!b) return null;
  const x0 = clamp01(b.minX / w), x1 = clamp01(b.maxX / w), y0 = clamp01(b.minY / h), y1 = clamp01(b.maxY / h);
  if (!(x1 > x0) && !(y1 > y0)) return null;
  return `${fixed((x0 + x1) / 2)} ${fixed((y0 + y1) / 2)} ${fixed(x1 - x0)} ${fixed(y1 - y0)}`;
}

/** "x1 y1 x2 y2 ..." normalised by the image size (clamped). A loop, not closures: it runs per region. */
function yoloPoints(pts: ReadonlyArray<readonly [number, number]>, w: number, h: number): string {
  let out = "";
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    out += `${i === 0 ? "" : " "}${fixed(clamp01(p[0] / w))} ${fixed(clamp01(p[1] / h))}`;
  }
  return out;
}

/** One label-file line for a region, or a reason it cannot be written. */
export function yoloLine(r: Region, cls: number, variant: YoloVariant, w: number, h: number, kpts: number, ellipsePoints = 32): string | { skip: string } {
  if (!VARIANT_KINDS[variant].includes(r.kind)) return { skip: `YOLO ${variant} does not carry ${r.kind} regions` };
  if (variant === "detect") {
    const b = yoloBox(r, w, h);
    return b ? `${cls} ${b}` : { skip: "empty region or outside the image" };
  }
  if (r.kind === "mask") {
    // One line per outer outline (a mask may have several pieces); a YOLO polygon has no holes.
    const rings = maskOutlines(r.rle, r.width, r.height).filter((g) => !g.hole);
    if (rings.length === 0) return { skip: "empty mask" };
    return rings.map((g) => `${cls} ${yoloPoints(g.points, w, h)}`).join("\n");
  }
  if (variant === "segment" || variant === "obb") {
    return `${cls} ${yoloPoints(outlineOf(r, ellipsePoints)!, w, h)}`;
  }
  // pose
  if (r.kind !== "keypoints") return { skip: "not keypoints" };
  const b = yoloBox(r, w, h);
  if (!b) return { skip: "no labelled keypoint" };
  const parts: string[] = [];
  for (let i = 0; i < kpts; i++) {
    const p = r.points[i];
    parts.push(!p || p[2] === 0 ? "0 0 0" : `${fixed(clamp01(p[0] / w))} ${fixed(clamp01(p[1] / h))} ${p[2]}`);
  }
  return `${cls} ${b} ${parts.join(" ")}`;
}

const yamlString = (s: string): string => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

export function dataYaml(names: readonly string[], s: Scan, variant: YoloVariant, kpts: number): string {
  const lines = ["# Ultralytics YOLO dataset, exported by Loupe", "path: .", "train: images/train"];
  // Ultralytics needs a val set; without one, validation runs on the training images.
  lines.push(`val: ${s.splits.has("val") ? "images/val" : "images/train"}`);
  if (s.splits.has("test")) lines.push("test: images/test");
  lines.push(`task: ${variant}`);
  if (variant === "pose") lines.push(`kpt_shape: [${kpts}, 3]`);
  lines.push("names:", ...names.map((n, i) => `  ${i}: ${yamlString(n)}`), "");
  return lines.join("\n");
}

export const yoloExporter: Exporter = {
  name: "yolo",
  description: "YOLO (Ultralytics layout): detect, segment, pose and OBB",
  dataTypes: ["image"],
  kinds: ALL_KINDS,
  fits(schema, dataType, options) {
    const v = options?.yoloVariant;
    const fit = imageFits(v ? `YOLO ${v}` : "YOLO", v ? VARIANT_KINDS[v] : ALL_KINDS, schema, dataType);
    if (fit.ok && v === "pose" && poseShape(schema) === 0) return { ok: false, message: "YOLO pose needs a keypoints label with a skeleton in the label schema." };
    return fit;
  },
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    const variant = options.yoloVariant ?? inferVariant(s.kinds, s.anyRotated);
    const names = classNames(source.schema, s.extraLabels);
    const kpts = variant === "pose" ? Math.max(poseShape(source.schema), 1) : 0;
    if (variant === "pose" && poseShape(source.schema) === 0) throw new ExportError("format_does_not_fit", "YOLO pose needs a keypoints label with a skeleton in the label schema.");
    const classId = new Map(names.map((n, i) => [n, i]));
    yield { path: "data.yaml", data: dataYaml(names, s, variant, kpts) };
    for await (const n of namedItems(source)) {
      const m = n.item.media;
      const lines: string[] = [];
      if (!m?.width || !m?.height) {
        if (usableAnnotations(n.item, options).some((a) => a.document.regions.length > 0)) {
          ctx.warn("image_size_missing", `task ${n.item.taskId}: image size unknown, its regions cannot be normalised; skipped`);
        }
      } else {
        for (const a of usableAnnotations(n.item, options)) {
          for (const r of a.document.regions) {
            const label = regionLabel(r);
            const line = label === undefined ? { skip: "region without a label" } : yoloLine(r, classId.get(label)!, variant, m.width, m.height, kpts, options.ellipsePoints);
            if (typeof line === "string") {
              lines.push(line);
              if (r.kind === "mask" && variant === "segment" && maskOutlines(r.rle, r.width, r.height).some((g) => g.hole)) {
                ctx.warn("mask_holes_dropped", `task ${n.item.taskId}, region ${r.id}: YOLO polygons cannot carry holes; outer outlines only (COCO keeps them)`);
              }
            }
            else ctx.warn("region_skipped", `task ${n.item.taskId}, region ${r.id}: ${line.skip}`);
          }
        }
      }
      yield { path: `labels/${n.split}/${n.stem}.txt`, data: lines.length > 0 ? lines.join("\n") + "\n" : "" };
    }
    yield* mediaEntries(source, options, ctx, (n: NamedItem) => `images/${n.split}/${n.fileName}`);
  },
};


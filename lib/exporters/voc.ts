// Pascal VOC: one XML per image (Annotations/<stem>.xml) with axis-aligned boxes, ImageSets/Main/
// <split>.txt listing stems, labelmap.txt, media in JPEGImages/. Every area kind exports its
// bounding box (rotated boxes: the box around the turned corners); keypoints and lines are skipped.
import { mediaEntries, namedItems, regionLabel, round, scan, usableAnnotations, xmlEscape, classNames, type NamedItem } from "./common";
import { boundsOf } from "./geometry";
import { imageFits } from "./fit";
import type { ArchiveEntry, ExportContext, ExportOptions, Exporter } from "./types";
import { SPLITS } from "./types";

const KINDS = ["rect", "polygon", "ellipse", "mask"] as const;

const flag = (v: unknown): number => (v === true || v === 1 || v === "1" || v === "true" ? 1 : 0);

export function vocXml(n: NamedItem, options: ExportOptions, ctx: ExportContext): string {
  const m = n.item.media;
  const lines = [
    "<annotation>",
    "  <folder>JPEGImages</folder>",
    `  <filename>${xmlEscape(n.fileName)}</filename>`,
    "  <source><database>Loupe</database></source>",
    `  <size><width>${m?.width ?? 0}</width><height>${m?.height ?? 0}</height><depth>3</depth></size>`,
    "  <segmented>0</segmented>",
  ];
  for (const a of usableAnnotations(n.item, options)) {
    for (const r of a.document.regions) {
      const label = regionLabel(r);
      const b = (KINDS as readonly string[]).includes(r.kind) ? boundsOf(r) : null;
      if (!b || label === undefined) {
        ctx.warn("region_skipped", `task ${n.item.taskId}, region ${r.id}: Pascal VOC has only boxes; ${r.kind} skipped`);
        continue;
      }
      const at = r.attributes ?? {};
      lines.push(
        "  <object>",
        `    <name>${xmlEscape(label)}</name>`,
        "    <pose>Unspecified</pose>",
        `    <truncated>${flag(at.truncated)}</truncated>`,
        `    <occluded>${flag(at.occluded)}</occluded>`,
        `    <difficult>${flag(at.difficult)}</difficult>`,
        `    <bndbox><xmin>${round(b.minX, 2)}</xmin><ymin>${round(b.minY, 2)}</ymin><xmax>${round(b.maxX, 2)}</xmax><ymax>${round(b.maxY, 2)}</ymax></bndbox>`,
        "  </object>",
      );
    }
  }
  lines.push("</annotation>", "");
  return lines.join("\n");
}

export const vocExporter: Exporter = {
  name: "voc",
  description: "Pascal VOC XML (axis-aligned boxes)",
  dataTypes: ["image"],
  kinds: KINDS,
  fits: (schema, dataType) => imageFits("Pascal VOC", KINDS, schema, dataType),
  async *entries(source, options, ctx): AsyncGenerator<ArchiveEntry> {
    const s = await scan(source, options);
    yield { path: "labelmap.txt", data: classNames(source.schema, s.extraLabels).join("\n") + "\n" };
    for await (const n of namedItems(source)) yield { path: `Annotations/${n.stem}.xml`, data: vocXml(n, options, ctx) };
    for (const split of SPLITS) {
      if (!s.splits.has(split)) continue;
      yield {
        path: `ImageSets/Main/${split}.txt`,
        data: () =>
          (async function* () {
            for await (const n of namedItems(source)) if (n.split === split) yield `${n.stem}\n`;
          })(),
      };
    }
    yield* mediaEntries(source, options, ctx, (n) => `JPEGImages/${n.fileName}`);
  },
};

// The project's label schema: labels (colour, hotkey, allowed region kinds, attributes),
// document-level classifications, and the tools the project allows. Framework-free.
import { z } from "zod";

export const REGION_KINDS = ["rect", "polygon", "polyline", "keypoints", "ellipse", "mask", "span", "segment", "track"] as const;
export type RegionKind = (typeof REGION_KINDS)[number];
export const DATA_TYPES = ["image", "text", "audio", "video"] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** Which region kinds make sense for each data type. */
export const KINDS_FOR: Record<DataType, readonly RegionKind[]> = {
  image: ["rect", "polygon", "polyline", "keypoints", "ellipse", "mask"],
  video: ["rect", "polygon", "polyline", "keypoints", "ellipse", "track"],
  text: ["span"],
  audio: ["segment"],
};

/** Names people know from other tools, accepted as aliases. */
const KIND_ALIASES: Record<string, RegionKind> = { bbox: "rect", rectangle: "rect", brush: "mask", points: "keypoints" };
const regionKind = z.preprocess((v) => (typeof v === "string" && KIND_ALIASES[v]) || v, z.enum(REGION_KINDS));

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #e6194b");
const name = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

export const attributeSchema = z
  .object({
    name,
    type: z.enum(["text", "number", "select", "checkbox"]),
    options: z.array(name).max(200).optional(),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.type === "select" && (!a.options || a.options.length === 0)) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a select attribute needs options" });
    }
  });

export const skeletonSchema = z.object({
  points: z.array(name).min(1).max(100),
  edges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).max(500).default([]),
});

export const labelSchema = z.object({
  name,
  color: hex.default("#3b82f6"),
  hotkey: z
    .string()
    .regex(/^[0-9a-z]$/i, "must be one letter or digit")
    .transform((s) => s.toLowerCase())
    .optional(),
  kinds: z.array(regionKind).min(1).optional(),
  attributes: z.array(attributeSchema).max(50).optional(),
  skeleton: skeletonSchema.optional(),
  description: z.string().max(2000).optional(),
});

export const classificationSchema = z.object({
  name,
  choices: z.array(name).min(1, "needs at least one choice").max(500),
  multiple: z.boolean().default(false),
  required: z.boolean().optional(),
});

/** A free-text answer about the whole document (stored as classifications[name] = [text]). */
export const textFieldSchema = z.object({
  name,
  required: z.boolean().optional(),
  /** Longest answer accepted, in characters (default and cap: 10,000). */
  maxLength: z.number().int().min(1).max(10_000).optional(),
  placeholder: z.string().max(200).optional(),
});
export const MAX_TEXT_FIELD = 10_000;

export const labelConfigSchema = z
  .object({
    labels: z.array(labelSchema).max(1000).default([]),
    classifications: z.array(classificationSchema).max(100).default([]),
    /** Free-text fields (optional; absent means none). */
    textFields: z.array(textFieldSchema).max(50).optional(),
    /** Tools offered in the editor; defaults to every kind the data type allows. */
    tools: z.array(regionKind).optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    const keys = new Map<string, number>();
    s.labels.forEach((l, i) => {
      if (seen.has(l.name)) ctx.addIssue({ code: "custom", path: ["labels", i, "name"], message: `duplicate label "${l.name}"` });
      seen.set(l.name, i);
      if (l.hotkey) {
        if (keys.has(l.hotkey)) ctx.addIssue({ code: "custom", path: ["labels", i, "hotkey"], message: `hotkey "${l.hotkey}" is already used` });
        keys.set(l.hotkey, i);
      }
      l.skeleton?.edges.forEach(([a, b], j) => {
        const n = l.skeleton!.points.length;
        if (a >= n || b >= n) ctx.addIssue({ code: "custom", path: ["labels", i, "skeleton", "edges", j], message: "edge refers to a missing point" });
      });
    });
    const cls = new Set<string>();
    s.classifications.forEach((c, i) => {
      if (cls.has(c.name)) ctx.addIssue({ code: "custom", path: ["classifications", i, "name"], message: `duplicate classification "${c.name}"` });
      cls.add(c.name);
    });
    s.textFields?.forEach((f, i) => {
      if (cls.has(f.name)) ctx.addIssue({ code: "custom", path: ["textFields", i, "name"], message: `"${f.name}" is already a classification or text field` });
      cls.add(f.name);
    });
  });

export type LabelConfig = z.output<typeof labelConfigSchema>;
export type LabelDef = LabelConfig["labels"][number];

export const emptyLabelConfig = (): LabelConfig => ({ labels: [], classifications: [] });

/** Region kinds that must not appear for a data type, as issues (path + message). */
export function kindIssues(cfg: LabelConfig, dataType: DataType): Array<{ path: string; message: string }> {
  const allowed = new Set(KINDS_FOR[dataType]);
  const out: Array<{ path: string; message: string }> = [];
  cfg.tools?.forEach((k, i) => {
    if (!allowed.has(k)) out.push({ path: `tools.${i}`, message: `tool "${k}" is not available for ${dataType} projects` });
  });
  cfg.labels.forEach((l, i) =>
    l.kinds?.forEach((k, j) => {
      if (!allowed.has(k)) out.push({ path: `labels.${i}.kinds.${j}`, message: `kind "${k}" is not available for ${dataType} projects` });
    }),
  );
  return out;
}

/** The tools the editor offers: the schema's list, else everything the data type allows. */
export function toolsFor(cfg: LabelConfig, dataType: DataType): RegionKind[] {
  return cfg.tools?.length ? [...cfg.tools] : [...KINDS_FOR[dataType]];
}

/** A readable palette for new labels (distinct on light and dark). */
export const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324"];

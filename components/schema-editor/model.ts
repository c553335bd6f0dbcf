// The editor's working copy of a label schema. Lists stay in the same order as the saved JSON,
// so server error fields like "labels.2.hotkey" point at the row on screen. Fields the editor
// does not show (skeletons, descriptions, defaults) ride along in `rest` and are saved unchanged.
import { KINDS_FOR, PALETTE, REGION_KINDS, type DataType, type RegionKind } from "@/lib/labeling-config/schema";

export type AttrType = "text" | "number" | "select" | "checkbox";
export const ATTR_TYPES: readonly AttrType[] = ["text", "number", "select", "checkbox"];

export interface AttrDraft {
  key: string;
  name: string;
  type: AttrType;
  options: string;
  required: boolean;
  rest: Record<string, unknown>;
}
export interface LabelDraft {
  key: string;
  name: string;
  color: string;
  hotkey: string;
  kinds: RegionKind[];
  attributes: AttrDraft[];
  rest: Record<string, unknown>;
}
export interface ClassDraft {
  key: string;
  name: string;
  choices: string;
  multiple: boolean;
  required: boolean;
}
export interface SchemaDraft {
  labels: LabelDraft[];
  classifications: ClassDraft[];
  tools: RegionKind[];
  /** Top-level fields this editor does not show (e.g. textFields), saved unchanged. */
  rest?: Record<string, unknown>;
}

export const KIND_NAMES: Record<RegionKind, string> = {
  rect: "Box",
  polygon: "Polygon",
  polyline: "Polyline",
  keypoints: "Keypoints",
  ellipse: "Ellipse",
  mask: "Brush mask",
  span: "Text span",
  segment: "Audio segment",
  track: "Video track",
};

let seq = 0;
export const newKey = () => `k${++seq}`;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");
const strList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const ALIASES: Record<string, RegionKind> = { bbox: "rect", rectangle: "rect", brush: "mask", points: "keypoints" };
const kindList = (v: unknown): RegionKind[] =>
  strList(v)
    .map((k) => ALIASES[k] ?? k)
    .filter((k): k is RegionKind => (REGION_KINDS as readonly string[]).includes(k));

export const emptyDraft = (): SchemaDraft => ({ labels: [], classifications: [], tools: [] });

/** Tolerant: imported files may be anything; unknown shapes become an empty schema. */
export function fromConfig(raw: unknown): SchemaDraft {
  const cfg = obj(raw);
  const labels = (Array.isArray(cfg.labels) ? cfg.labels : []).map((l, i): LabelDraft => {
    const { name, color, hotkey, kinds, attributes, ...rest } = obj(l);
    return {
      key: newKey(),
      name: str(name),
      color: /^#[0-9a-f]{6}$/i.test(str(color)) ? str(color) : PALETTE[i % PALETTE.length]!,
      hotkey: str(hotkey),
      kinds: kindList(kinds),
      attributes: (Array.isArray(attributes) ? attributes : []).map((a): AttrDraft => {
        const { name: an, type, options, required, ...arest } = obj(a);
        return {
          key: newKey(),
          name: str(an),
          type: (ATTR_TYPES as readonly unknown[]).includes(type) ? (type as AttrType) : "text",
          options: strList(options).join(", "),
          required: required === true,
          rest: arest,
        };
      }),
      rest,
    };
  });
  const classifications = (Array.isArray(cfg.classifications) ? cfg.classifications : []).map((c): ClassDraft => {
    const o = obj(c);
    return { key: newKey(), name: str(o.name), choices: strList(o.choices).join(", "), multiple: o.multiple === true, required: o.required === true };
  });
  const { labels: _l, classifications: _c, tools: _t, ...rest } = cfg;
  return { labels, classifications, tools: kindList(cfg.tools), ...(Object.keys(rest).length ? { rest } : {}) };
}

const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The JSON the API takes. Kinds the data type cannot use are dropped (they would be refused). */
export function toConfig(d: SchemaDraft, dataType: DataType): Record<string, unknown> {
  const allowed = new Set<RegionKind>(KINDS_FOR[dataType]);
  const tools = d.tools.filter((k) => allowed.has(k));
  return {
    ...d.rest,
    labels: d.labels.map((l) => {
      const kinds = l.kinds.filter((k) => allowed.has(k));
      return {
        ...l.rest,
        name: l.name.trim(),
        color: l.color,
        ...(l.hotkey.trim() ? { hotkey: l.hotkey.trim() } : {}),
        ...(kinds.length ? { kinds } : {}),
        ...(l.attributes.length
          ? {
              attributes: l.attributes.map((a) => ({
                ...a.rest,
                name: a.name.trim(),
                type: a.type,
                ...(a.type === "select" ? { options: splitList(a.options) } : {}),
                ...(a.required ? { required: true } : {}),
              })),
            }
          : {}),
      };
    }),
    classifications: d.classifications.map((c) => ({
      name: c.name.trim(),
      choices: splitList(c.choices),
      multiple: c.multiple,
      ...(c.required ? { required: true } : {}),
    })),
    ...(tools.length ? { tools } : {}),
  };
}

/** A colour from the palette that no label uses yet (cycling once all are taken). */
export function nextColor(labels: LabelDraft[]): string {
  const used = new Set(labels.map((l) => l.color.toLowerCase()));
  return PALETTE.find((c) => !used.has(c.toLowerCase())) ?? PALETTE[labels.length % PALETTE.length]!;
}

/** New labels get the next free digit as hotkey, so labelling by keyboard works out of the box. */
export function newLabel(labels: LabelDraft[]): LabelDraft {
  const taken = new Set(labels.map((l) => l.hotkey.toLowerCase()));
  const hotkey = "123456789".split("").find((k) => !taken.has(k)) ?? "";
  return { key: newKey(), name: "", color: nextColor(labels), hotkey, kinds: [], attributes: [], rest: {} };
}

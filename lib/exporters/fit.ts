// "Does this format fit the project?" checks, with an explanation the API returns as 422.
import { toolsFor, type DataType, type LabelConfig } from "../labeling-config/schema";
import type { FitResult } from "./types";

const WHAT: Record<DataType, string> = { image: "images", text: "texts", audio: "audio", video: "videos" };

/** Region kinds the project can produce: its labels' kinds, else the tools the data type allows. */
export function projectKinds(schema: LabelConfig, dataType: DataType): Set<string> {
  const out = new Set<string>();
  const tools = toolsFor(schema, dataType);
  for (const l of schema.labels) (l.kinds ?? tools).forEach((k) => out.add(k));
  if (schema.labels.length === 0) tools.forEach((k) => out.add(k));
  return out;
}

export function kindsFit(format: string, want: DataType, kinds: readonly string[], schema: LabelConfig, dataType: DataType): FitResult {
  if (dataType !== want) {
    return { ok: false, message: `${format} is a format for ${WHAT[want]}; this project labels ${WHAT[dataType]}. Use the native format, or one made for ${WHAT[dataType]}.` };
  }
  const have = projectKinds(schema, dataType);
  if (![...have].some((k) => kinds.includes(k))) {
    return { ok: false, message: `${format} carries ${kinds.join(", ")} regions; this project's labels use ${[...have].join(", ") || "no region kinds"}.` };
  }
  return { ok: true };
}

export const imageFits = (format: string, kinds: readonly string[], schema: LabelConfig, dataType: DataType): FitResult =>
  dataType === "video"
    ? { ok: false, message: `${format} export of videos needs frame extraction, which Loupe does not do yet; use the native format.` }
    : kindsFit(format, "image", kinds, schema, dataType);

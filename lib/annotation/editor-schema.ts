// What the editor needs to know about the label schema: which kinds a label allows, hotkeys,
// skeletons, classifications; and the typed error it throws instead of creating invalid data.
import { MAX_TEXT_FIELD, toolsFor, type DataType, type LabelConfig, type LabelDef } from "../labeling-config/schema";
import type { SchemaView } from "./document";
import type { z } from "zod";
import type { Region, RegionKindName, regionSchemas } from "./regions";

export type EditorErrorCode =
  | "kind-not-allowed"
  | "unknown-label"
  | "label-not-allowed"
  | "invalid-region"
  | "duplicate-id"
  | "unknown-region"
  | "invalid-relation"
  | "invalid-classification";

/** Thrown when an operation would put invalid data into the document; nothing is changed. */
export class EditorError extends Error {
  constructor(
    readonly code: EditorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EditorError";
  }
}

/** A region as callers write it (schema defaults optional), without its id (the editor assigns one). */
export type RegionInput = {
  [K in RegionKindName]: Omit<z.input<(typeof regionSchemas)[K]>, "id"> & { id?: string };
}[RegionKindName];

export class SchemaRules {
  readonly allowedKinds: readonly string[];
  private readonly labels: Map<string, LabelDef>;

  constructor(
    readonly config: LabelConfig,
    dataType: DataType,
    allowedKinds?: readonly string[],
  ) {
    this.allowedKinds = allowedKinds ?? toolsFor(config, dataType);
    this.labels = new Map(config.labels.map((l) => [l.name, l]));
  }

  label(name: string): LabelDef | undefined {
    return this.labels.get(name);
  }

  labelForHotkey(key: string): LabelDef | undefined {
    const k = key.toLowerCase();
    return this.config.labels.find((l) => l.hotkey === k);
  }

  /** Why `kind` with `label` may not be created, or null if it may. Unlabelled regions are allowed. */
  refusal(kind: string, label: string | null | undefined): EditorError | null {
    if (!this.allowedKinds.includes(kind)) return new EditorError("kind-not-allowed", `kind "${kind}" is not allowed in this project`);
    if (label == null) return null;
    const def = this.labels.get(label);
    if (!def) return new EditorError("unknown-label", `unknown label "${label}"`);
    if (def.kinds && !(def.kinds as readonly string[]).includes(kind)) {
      return new EditorError("label-not-allowed", `label "${label}" does not allow kind "${kind}"`);
    }
    return null;
  }

  /** The first problem with a region's kind and labels. */
  regionRefusal(r: Pick<Region, "kind" | "label" | "labels">): EditorError | null {
    const names = r.labels ?? (r.label ? [r.label] : [null]);
    for (const n of names) {
      const e = this.refusal(r.kind, n);
      if (e) return e;
    }
    return null;
  }

  checkClassification(name: string, values: readonly string[]): EditorError | null {
    const field = this.config.textFields?.find((f) => f.name === name);
    if (field) {
      if (values.length > 1) return new EditorError("invalid-classification", `"${name}" holds one answer`);
      const max = Math.min(field.maxLength ?? MAX_TEXT_FIELD, MAX_TEXT_FIELD);
      if ((values[0] ?? "").length > max) return new EditorError("invalid-classification", `"${name}" is longer than ${max} characters`);
      return null;
    }
    const def = this.config.classifications.find((c) => c.name === name);
    if (!def) return new EditorError("invalid-classification", `unknown classification "${name}"`);
    if (!def.multiple && values.length > 1) return new EditorError("invalid-classification", `"${name}" allows only one choice`);
    const bad = values.find((v) => !def.choices.includes(v));
    if (bad !== undefined) return new EditorError("invalid-classification", `unknown choice "${bad}" for "${name}"`);
    return null;
  }

  isMultiple(name: string): boolean {
    return this.config.classifications.find((c) => c.name === name)?.multiple ?? false;
  }

  /** The view `parseDocument` validates against. */
  view(): SchemaView {
    return { labels: this.config.labels, classifications: this.config.classifications, textFields: this.config.textFields, allowedKinds: this.allowedKinds };
  }
}

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A short random id (10 base-62 characters, ~59 bits); callers still check for collisions. */
export function randomId(): string {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let s = "";
  for (const b of bytes) s += ALPHABET[b % 62];
  return s;
}

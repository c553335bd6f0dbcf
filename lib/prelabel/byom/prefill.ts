// From what an .onnx file says about itself (onnx-info.ts) to a descriptor guess for the settings
// form, and the reverse check: does a descriptor fit the model's graph? Pure, framework-free;
// used by the server (validation on create/edit) and the settings UI. ADR 0015.
import type { ByomTask, DescriptorInput, Descriptor, LabelMap, OutputFormat } from "./descriptor";
import { formatDims, parseImgsz, parsePythonNames, type Dim, type OnnxInfo, type OnnxTensorInfo } from "./onnx-info";

export interface Prefill {
  descriptor: DescriptorInput;
  /** What could not be read from the model and was guessed (shown next to the form). */
  warnings: string[];
}

/** The signature parts a check needs (what the server keeps per version). */
export type ModelSignature = Pick<OnnxInfo, "inputs" | "outputs" | "metadata">;

const num = (d: Dim | undefined): number | null => (typeof d === "number" && d > 0 ? d : null);

/** Labels from a Hugging Face config.json (`id2label`), index = id. */
export function labelsFromHfConfig(config: unknown): string[] | null {
  const id2label = (config as { id2label?: Record<string, unknown> } | null)?.id2label;
  if (!id2label || typeof id2label !== "object") return null;
  const out: string[] = [];
  for (const [k, v] of Object.entries(id2label)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i > 100_000 || typeof v !== "string") return null;
    out[i] = v;
  }
  if (!out.length) return null;
  for (let i = 0; i < out.length; i++) if (!out[i]) out[i] = `LABEL_${i}`;
  return out;
}

function imageInput(info: ModelSignature, warnings: string[]) {
  const inp = info.inputs.find((i) => i.dims?.length === 4) ?? info.inputs[0]!;
  const d = inp.dims ?? [];
  let layout: "NCHW" | "NHWC" = "NCHW";
  if (d.length === 4 && num(d[3]) === 3 && num(d[1]) !== 3) layout = "NHWC";
  const [h, w] = layout === "NCHW" ? [num(d[2]), num(d[3])] : [num(d[1]), num(d[2])];
  let size: [number, number];
  if (h && w) size = [h, w];
  else {
    const meta = parseImgsz(info.metadata.imgsz);
    if (meta) size = meta;
    else {
      size = [640, 640];
      warnings.push(`the input ${inp.name} has a dynamic size ${formatDims(inp.dims)} and no imgsz metadata: assumed 640×640`);
    }
  }
  return { name: inp.name, layout, size, color: "RGB" as const, scale: 1 / 255, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number], resize: "letterbox" as const, pad: 114 };
}

/** Output format (and how many classes it implies) from the output shapes. */
export function guessOutput(outputs: OnnxTensorInfo[], metaTask?: string): { format: OutputFormat; names: string[]; nc: number | null } | null {
  const rank = (o: OnnxTensorInfo) => o.dims?.length ?? 0;
  if (outputs.length >= 2) {
    const protos = outputs.find((o) => rank(o) === 4);
    const det = outputs.find((o) => rank(o) === 3);
    if (protos && det) {
      const c = num(det.dims![1]);
      const p = num(protos.dims![1]);
      return { format: "yolov8-seg", names: [det.name, protos.name], nc: c && p ? c - 4 - p : null };
    }
  }
  const o = outputs[0]!;
  const d = o.dims ?? [];
  if (d.length === 2) return { format: "probs", names: [o.name], nc: num(d[1]) };
  if (d.length === 3) {
    const a = num(d[1]);
    const b = num(d[2]);
    if (b === 6 && (a === null || a > 6)) return { format: "yolo-e2e", names: [o.name], nc: null };
    if (a !== null && b !== null) {
      if (b > a) return { format: "yolov8", names: [o.name], nc: a - 4 };
      return { format: "yolov5", names: [o.name], nc: b - 5 };
    }
    if (a !== null) return { format: "yolov8", names: [o.name], nc: a - 4 };
    if (b !== null) return { format: metaTask === "detect" && b > 5 ? "yolov5" : "yolov8", names: [o.name], nc: b - 5 };
  }
  return null;
}

const taskOf: Record<OutputFormat, ByomTask> = {
  yolov8: "detect", yolov5: "detect", "yolo-e2e": "detect", "yolov8-seg": "segment", probs: "classify", "token-logits": "ner",
};

/** A descriptor guess for a model (and its config.json for ner). Never throws. */
export function prefillDescriptor(info: ModelSignature, opts: { config?: unknown } = {}): Prefill {
  const warnings: string[] = [];
  const names = info.inputs.map((i) => i.name);
  if (names.includes("input_ids")) {
    const ids = info.inputs.find((i) => i.name === "input_ids")!;
    const seq = num(ids.dims?.[1]);
    const out = info.outputs[0]!;
    const L = num(out.dims?.[2]);
    let labels = labelsFromHfConfig(opts.config);
    if (!labels) {
      labels = Array.from({ length: L ?? 1 }, (_, i) => `LABEL_${i}`);
      warnings.push("no config.json with id2label yet: label names are placeholders");
    }
    return {
      descriptor: {
        task: "ner",
        text: { maxLength: seq ?? 512, tokenTypeIds: names.includes("token_type_ids") },
        output: { names: [out.name], format: "token-logits" },
        labels,
      },
      warnings,
    };
  }
  const input = imageInput(info, warnings);
  let out = guessOutput(info.outputs, info.metadata.task);
  if (!out) {
    warnings.push(`could not tell the output format from ${info.outputs.map((o) => `${o.name} ${formatDims(o.dims)}`).join(", ")}: assumed yolov8`);
    out = { format: "yolov8", names: [info.outputs[0]!.name], nc: null };
  }
  const task = taskOf[out.format];
  const metaTask = info.metadata.task;
  if (metaTask && metaTask !== task && ["detect", "segment", "classify"].includes(metaTask)) {
    warnings.push(`the model's metadata says task "${metaTask}" but its outputs look like ${out.format}`);
  }
  let labels = parsePythonNames(info.metadata.names);
  if (labels && out.nc !== null && out.nc > 0 && labels.length !== out.nc) {
    warnings.push(`the model's names list ${labels.length} classes but its output has ${out.nc}`);
  }
  if (!labels) {
    const n = out.nc && out.nc > 0 ? out.nc : 1;
    labels = Array.from({ length: n }, (_, i) => `class${i}`);
    warnings.push("no class names in the model's metadata: label names are placeholders");
  }
  return { descriptor: { task, input, output: { names: out.names, format: out.format }, labels }, warnings };
}

export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * Does the descriptor fit the model's graph? Static dims must agree; labels count must match
 * the class dimension where it is known. Returns issues with `descriptor.*` field paths.
 */
export function checkAgainstModel(d: Descriptor, info: ModelSignature): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const inputs = new Map(info.inputs.map((i) => [i.name, i]));
  const outputs = new Map(info.outputs.map((o) => [o.name, o]));
  const list = (xs: OnnxTensorInfo[]) => xs.map((x) => x.name).join(", ");
  if (d.input) {
    const inp = inputs.get(d.input.name);
    if (!inp) issues.push({ field: "descriptor.input.name", message: `the model has no input "${d.input.name}" (its inputs: ${list(info.inputs)})` });
    else if (inp.dims) {
      if (inp.dims.length !== 4) issues.push({ field: "descriptor.input.name", message: `input ${inp.name} is ${formatDims(inp.dims)}, not an image tensor [N,C,H,W] or [N,H,W,C]` });
      else {
        const nchw = d.input.layout === "NCHW";
        const [c, h, w] = nchw ? [inp.dims[1], inp.dims[2], inp.dims[3]] : [inp.dims[3], inp.dims[1], inp.dims[2]];
        const [sh, sw] = d.input.size;
        if ((num(h) !== null && num(h) !== sh) || (num(w) !== null && num(w) !== sw)) {
          issues.push({ field: "descriptor.input.size", message: `input ${inp.name} is ${formatDims(inp.dims)} but the descriptor says ${sh}×${sw}` });
        }
        if (num(c) !== null && num(c) !== 3) {
          issues.push({ field: "descriptor.input.layout", message: `input ${inp.name} is ${formatDims(inp.dims)}: with layout ${d.input.layout} that is ${num(c)} channels, not 3` });
        }
      }
    }
  }
  if (d.text) {
    if (!inputs.has("input_ids")) issues.push({ field: "descriptor.text", message: `a ner model needs an input_ids input (its inputs: ${list(info.inputs)})` });
    if (d.text.tokenTypeIds && !inputs.has("token_type_ids")) issues.push({ field: "descriptor.text.tokenTypeIds", message: "the model has no token_type_ids input" });
    if (!d.text.tokenTypeIds && inputs.has("token_type_ids")) issues.push({ field: "descriptor.text.tokenTypeIds", message: "the model takes token_type_ids: set tokenTypeIds" });
    const seq = num(inputs.get("input_ids")?.dims?.[1]);
    if (seq !== null && d.text.maxLength > seq) issues.push({ field: "descriptor.text.maxLength", message: `input_ids is fixed at ${seq} tokens but maxLength is ${d.text.maxLength}` });
  }
  const outs = d.output.names.map((n, i) => {
    const o = outputs.get(n);
    if (!o) issues.push({ field: `descriptor.output.names.${i}`, message: `the model has no output "${n}" (its outputs: ${list(info.outputs)})` });
    return o;
  });
  const main = outs[0];
  const labels = d.labels.length;
  const expectRank = (o: OnnxTensorInfo | undefined, r: number, i: number, what: string) => {
    if (o?.dims && o.dims.length !== r) {
      issues.push({ field: `descriptor.output.names.${i}`, message: `output ${o.name} is ${formatDims(o.dims)}; ${d.output.format} needs ${what}` });
      return false;
    }
    return !!o?.dims;
  };
  const countIssue = (o: OnnxTensorInfo, n: number) =>
    issues.push({ field: "descriptor.labels", message: `output ${o.name} is ${formatDims(o.dims)}, which is ${n} classes, but the descriptor lists ${labels} labels` });
  switch (d.output.format) {
    case "yolov8":
      if (expectRank(main, 3, 0, "[1, 4+classes, N]")) {
        const c = num(main!.dims![1]);
        if (c !== null && c - 4 !== labels) countIssue(main!, c - 4);
      }
      break;
    case "yolov5":
      if (expectRank(main, 3, 0, "[1, N, 5+classes]")) {
        const c = num(main!.dims![2]);
        if (c !== null && c - 5 !== labels) countIssue(main!, c - 5);
      }
      break;
    case "yolo-e2e":
      if (expectRank(main, 3, 0, "[1, N, 6]")) {
        const c = num(main!.dims![2]);
        if (c !== null && c !== 6) issues.push({ field: "descriptor.output.format", message: `output ${main!.name} is ${formatDims(main!.dims)}; yolo-e2e needs a last dimension of 6` });
      }
      break;
    case "yolov8-seg": {
      const protos = outs[1];
      const okMain = expectRank(main, 3, 0, "[1, 4+classes+32, N]");
      const okProtos = expectRank(protos, 4, 1, "prototypes [1, 32, H, W]");
      if (okMain && okProtos) {
        const c = num(main!.dims![1]);
        const p = num(protos!.dims![1]);
        if (c !== null && p !== null && c - 4 - p !== labels) countIssue(main!, c - 4 - p);
      }
      break;
    }
    case "probs":
      if (expectRank(main, 2, 0, "[1, classes]")) {
        const c = num(main!.dims![1]);
        if (c !== null && c !== labels) countIssue(main!, c);
      }
      break;
    case "token-logits":
      if (expectRank(main, 3, 0, "[1, tokens, labels]")) {
        const c = num(main!.dims![2]);
        if (c !== null && c !== labels) countIssue(main!, c);
      }
      break;
  }
  return issues;
}

/** Model label -> project target pre-matched by case-insensitive name ("ignore" when none). */
export function autoMap(labels: string[], targets: string[], previous: LabelMap = {}): LabelMap {
  const byLower = new Map(targets.map((t) => [t.toLowerCase(), t]));
  const choiceByLower = new Map(targets.map((t) => [t.split(":").slice(1).join(":").toLowerCase(), t]));
  const out: LabelMap = {};
  for (const l of labels) {
    if (l in previous && (previous[l] === null || targets.includes(previous[l]!))) out[l] = previous[l]!;
    else out[l] = byLower.get(l.toLowerCase()) ?? choiceByLower.get(l.toLowerCase()) ?? null;
  }
  return out;
}

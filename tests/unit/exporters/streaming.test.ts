// Exports are streamed: the item iterator is pulled as the archive is written, never drained ahead
// of it, and multi-pass formats walk the items again instead of keeping them.
import { describe, it, expect } from "vitest";
import { exportZip } from "@/lib/exporters";
import type { ExportItem, ExportSource, ItemsHint } from "@/lib/exporters/types";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import { ann, bytesOf, run, text } from "./support";

const N = 20_000;

/** A synthetic source of N items that records how far each pass has been pulled. */
function countingSource(from = 1, to = N) {
  const passes: Array<{ hint: ItemsHint | undefined; produced: number }> = [];
  const src: ExportSource = {
    dataType: "image",
    schema: labelConfigSchema.parse({ labels: [{ name: "car", kinds: ["rect"] }] }),
    *items(hint?: ItemsHint): Iterable<ExportItem> {
      const pass = { hint, produced: 0 };
      passes.push(pass);
      for (let i = from; i <= to; i++) {
        pass.produced = i - from + 1;
        yield {
          taskId: i, split: (["train", "val", "test"] as const)[i % 3]!,
          // Fixed width, so every native line has the same length.
          media: { fileName: `img-${String(i).padStart(6, "0")}.jpg`, url: `https://cdn.example.com/${String(i).padStart(6, "0")}.jpg`, width: 640, height: 480 },
          annotations: [ann(i, { regions: [{ id: "r1", kind: "rect", label: "car", x: 10, y: 20, width: 30, height: 40 }] })],
        };
      }
    },
  };
  return { src, passes };
}

describe("streaming exports", () => {
  it("pulls items only as far as the archive has been written (native, stored)", async () => {
    // The longest tasks.jsonl line (item N has the most digits): bytes out / this <= lines written.
    const one = await run("native", countingSource(N, N).src, { media: "url" });
    const maxLine = text(one, "tasks.jsonl").length;
    const { src, passes } = countingSource();
    let out = 0;
    let maxLead = 0;
    // Level 0 stores entries, so output bytes track input bytes.
    for await (const chunk of exportZip("native", src, { media: "url" }, { level: 0 })) {
      out += chunk.length;
      const produced = passes[0]?.produced ?? 0;
      maxLead = Math.max(maxLead, produced - Math.floor(out / maxLine));
    }
    expect(passes).toHaveLength(1);
    expect(passes[0]!.produced).toBe(N);
    // Items pulled but not yet written: at most a batch of items plus one 64 KiB chunk, not N.
    expect(maxLead).toBeGreaterThan(0);
    expect(maxLead).toBeLessThan(256 + Math.ceil(65536 / 200) + 50);
  });

  it("COCO walks the items once per pass instead of holding them (a first pass, then one per split)", async () => {
    const { src, passes } = countingSource();
    let firstOutputAt: number[] | null = null;
    for await (const _ of exportZip("coco", src, { media: "url" })) {
      void _;
      // When the first bytes come out, only the first pass has finished; no later pass has run ahead.
      if (!firstOutputAt) firstOutputAt = passes.map((p) => p.produced);
    }
    expect(firstOutputAt![0]).toBe(N);
    expect(firstOutputAt!.slice(1).every((p) => p < N)).toBe(true);
    // The first pass (names, splits, labels: this source cannot vouch for its labels, so it reads
    // the documents; it also keeps the small "images" arrays and media.jsonl lines), then each
    // split's annotations: each a fresh pull of the iterator. No separate images or media pass.
    expect(passes.map((p) => p.hint)).toEqual([undefined, { split: "train", media: false, ordinals: true }, { split: "val", media: false, ordinals: true }, { split: "test", media: false, ordinals: true }]);
    expect(passes.every((p) => p.produced === N)).toBe(true);
  });

  it("COCO's first pass reads no annotations when the source's labelsUsed() are all in the schema", async () => {
    const plain = countingSource(1, 300);
    const want = await run("coco", plain.src, { media: "url" });
    const vouched = countingSource(1, 300);
    let opened = 0;
    const items = vouched.src.items.bind(vouched.src);
    const src: ExportSource = {
      ...vouched.src,
      labelsUsed: () => ["car"],
      *items(hint?: ItemsHint) {
        for (const it of items(hint) as Iterable<ExportItem>) {
          const [a] = it.annotations;
          // Count document reads per pass (the first pass must make none).
          yield { ...it, annotations: [{ ...a!, get document() { opened++; return a!.document; } }] };
        }
      },
    };
    let openedInFirstPass = -1;
    const got = new Map<string, Uint8Array>();
    const { exportEntries } = await import("@/lib/exporters");
    for await (const e of exportEntries("coco", src, { media: "url" })) {
      if (openedInFirstPass < 0) openedInFirstPass = opened;
      got.set(e.path, await bytesOf(e.data));
    }
    expect(vouched.passes[0]!.hint).toEqual({ annotations: false });
    expect(openedInFirstPass).toBe(0);
    expect(opened).toBeGreaterThan(0);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(Buffer.from(got.get(k)!).equals(Buffer.from(v)), k).toBe(true);
  });

  it("COCO falls back to reading the documents when labelsUsed() names a label outside the schema, and fails loudly when it misses one", async () => {
    const base = countingSource(1, 30);
    const want = await run("coco", base.src, { media: "url" });
    const extra = countingSource(1, 30);
    const got = await run("coco", { ...extra.src, labelsUsed: () => ["car", "boat"] }, { media: "url" });
    expect(extra.passes[0]!.hint).toBeUndefined();
    expect(text(got, "annotations/instances_train.json")).toBe(text(want, "annotations/instances_train.json"));
    // A source whose labelsUsed() leaves out a used label broke its promise: no silent bad ids.
    const lying = countingSource(1, 30);
    const schema = labelConfigSchema.parse({ labels: [{ name: "car", kinds: ["rect"] }, { name: "bus", kinds: ["rect"] }] });
    await expect(run("coco", { ...lying.src, schema: { ...schema, labels: [schema.labels[1]!] }, labelsUsed: () => ["bus"] }, { media: "url" }))
      .rejects.toThrow(/region label "car" .*labelsUsed/);
  });

  it("COCO's report lists warnings as before: per split, its images' then its regions' (counts exact past 1,000 messages)", async () => {
    const items: ExportItem[] = [];
    for (let i = 1; i <= 1500; i++) {
      items.push({
        taskId: i, split: (["train", "val", "test"] as const)[i % 3]!,
        // A size of 0 is "known" but useless: warned in the first pass, reported with its split.
        media: { fileName: `img-${i}.jpg`, url: `https://cdn.example.com/${i}.jpg`, width: 0, height: 0 },
        annotations: [ann(i, { regions: [{ id: "p1", kind: "polyline", label: "car", points: [[1, 1], [5, 5]] }] })],
      });
    }
    const schema = labelConfigSchema.parse({ labels: [{ name: "car", kinds: ["rect", "polyline"] }] });
    const files = await run("coco", { dataType: "image", schema, items: () => items }, { media: "url" });
    const report = JSON.parse(text(files, "export-report.json")) as { warnings: Record<string, number>; messages: Array<{ code: string; message: string }>; truncated?: boolean };
    expect(report.warnings).toEqual({ image_size_missing: 1500, region_skipped: 1500 });
    expect(report.messages).toHaveLength(1000);
    expect(report.truncated).toBe(true);
    const train = items.filter((it) => it.split === "train").map((it) => it.taskId);
    expect(report.messages.slice(0, 500).map((m) => m.message)).toEqual(train.map((t) => `task ${t}: image size unknown`));
    expect(report.messages.slice(500).every((m) => m.code === "region_skipped")).toBe(true);
    expect(report.messages[500]!.message).toMatch(new RegExp(`^task ${train[0]}, region p1: `));
  });
});

describe("SpillBuffer", () => {
  it("keeps text in memory up to its limit, then in a temp file it removes; reads back the same text", async () => {
    const { SpillBuffer } = await import("@/lib/exporters/common");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spill-test-"));
    try {
      const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"s":"é ${"x".repeat(i % 50)}"}\n`);
      const small = new SpillBuffer(1 << 30, dir);
      for (const l of lines.slice(0, 100)) small.push(l);
      expect([...small.drain()].join("")).toBe(lines.slice(0, 100).join(""));
      expect(small.file).toBeNull();

      const big = new SpillBuffer(100_000, dir);
      for (const l of lines) big.push(l);
      expect(big.file).not.toBeNull();
      expect(fs.readdirSync(dir)).toHaveLength(1);
      const parts = [...big.drain()];
      expect(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p)))).toString("utf8")).toBe(lines.join(""));
      expect(fs.readdirSync(dir)).toEqual([]);

      // Abandoned halfway (the archive failed): the temp file still goes.
      const abandoned = new SpillBuffer(100_000, dir);
      for (const l of lines) abandoned.push(l);
      const it = abandoned.drain();
      it.next();
      it.return(undefined);
      expect(fs.readdirSync(dir)).toEqual([]);
      const never = new SpillBuffer(100_000, dir);
      for (const l of lines) never.push(l);
      never.dispose();
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("failures mid-entry", () => {
  it("an entry whose data throws halfway fails the archive with that error, and nothing is left unhandled", async () => {
    const { zipStream } = await import("@/lib/exporters/zip");
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const big = "x".repeat(70_000);
      const entries = [{
        path: "a.json",
        data: () => (async function* () {
          yield big;
          yield big;
          throw new Error("source broke");
        })(),
      }];
      await expect((async () => { for await (const _ of zipStream(entries)) void _; })()).rejects.toThrow("source broke");
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

// Exports are streamed: the item iterator is pulled as the archive is written, never drained ahead
// of it, and multi-pass formats walk the items again instead of keeping them.
import { describe, it, expect } from "vitest";
import { exportZip } from "@/lib/exporters";
import type { ExportItem, ExportSource, ItemsHint } from "@/lib/exporters/types";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import { ann, run, text } from "./support";

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

  it("COCO walks the items once per pass instead of holding them (scan, per split images and annotations, media)", async () => {
    const { src, passes } = countingSource();
    let firstOutputAt: number[] | null = null;
    for await (const _ of exportZip("coco", src, { media: "url" })) {
      void _;
      // When the first bytes come out, only the scan pass has finished; no later pass has run ahead.
      if (!firstOutputAt) firstOutputAt = passes.map((p) => p.produced);
    }
    expect(firstOutputAt![0]).toBe(N);
    expect(firstOutputAt!.slice(1).every((p) => p < N)).toBe(true);
    // scan + (images + annotations) x 3 splits + media.jsonl, each a fresh pull of the iterator.
    expect(passes).toHaveLength(8);
    expect(passes.every((p) => p.produced === N)).toBe(true);
    expect(passes.filter((p) => p.hint?.split === "val")).toHaveLength(2);
    expect(passes.at(-1)!.hint).toEqual({ annotations: false });
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

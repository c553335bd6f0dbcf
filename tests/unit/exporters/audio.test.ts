import { describe, expect, it } from "vitest";
import { expectGolden, run, text } from "./support";
import { audioSource } from "./fixtures";

describe("audio segments export", () => {
  it("matches the golden files (media by URL)", async () => {
    expectGolden("segments", "audio", await run("segments", audioSource()));
  });

  it("quotes CSV fields and defuses spreadsheet formulas", async () => {
    const csv = text(await run("segments", audioSource()), "segments.csv");
    expect(csv).toContain('"She said ""yes, later"""');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.split("\r\n")[0]).toBe("task_id,split,file,annotation_id,region_id,label,start,end,text");
  });
});

describe("ASR manifest export", () => {
  it("matches the golden files (per segment, media included)", async () => {
    expectGolden("asr", "per-segment", await run("asr", audioSource(), { media: "include" }));
  });

  it("matches the golden files (per file, media by URL)", async () => {
    expectGolden("asr", "per-file", await run("asr", audioSource(), { asrMode: "file" }));
  });

  it("writes one JSON object per line with the NeMo keys", async () => {
    const lines = text(await run("asr", audioSource(), { media: "include" }), "train_manifest.jsonl").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ audio_filepath: "audio/meeting.wav", offset: 0.5, duration: 2.75, text: "Hello, world." });
    expect(lines).toHaveLength(3); // the music segment has no text
  });
});

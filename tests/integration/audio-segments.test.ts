// Segments against the media duration: the server refuses what the editor refuses (422 with the
// field path), and accepts overlaps, transcriptions and the float slack the editor allows.
import { describe, it, expect, beforeAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { freshDataDir, call, userWithToken, FIXTURES } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";

let mgr: { token: string };
let taskId: string;
let duration: number;

const seg = (id: string, start: number, end: number, extra: Record<string, unknown> = {}) => ({ id, kind: "segment", label: "speech", start, end, ...extra });

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@x.test");
  const p = await call(projects.POST, "POST", "/x", {
    token: mgr.token,
    body: { name: "A", dataType: "audio", schema: { labels: [{ name: "speech", hotkey: "1" }, { name: "noise", hotkey: "2" }] } },
  });
  const pid = String(p.json.id);
  const form = new FormData();
  form.append("files", new File([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "audio/meeting.wav")))], "meeting.wav"));
  const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, form });
  expect(r.json.created).toBe(1);
  const list = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: pid } });
  taskId = String(list.json.items[0].id);
  duration = list.json.items[0].media.duration;
  expect(duration).toBeGreaterThan(10);
});

describe("audio segments on the server", () => {
  it("refuses a segment that ends after the media, naming the field", async () => {
    const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { document: { regions: [seg("a", 1, 2), seg("b", 3, duration + 1)] } } });
    expect(r.status).toBe(422);
    expect(r.json.error.field).toBe("document.regions.1.end");
    expect(r.json.error.message).toMatch(/ends after the media/);
  });

  it("refuses zero-length and reversed segments", async () => {
    for (const [s, e] of [
      [2, 2],
      [3, 1],
    ]) {
      const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { document: { regions: [seg("a", s!, e!)] } } });
      expect(r.status).toBe(422);
      expect(r.json.error.field).toBe("document.regions.0.end");
    }
    const neg = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { document: { regions: [seg("a", -1, 2)] } } });
    expect(neg.status).toBe(422);
    expect(neg.json.error.field).toBe("document.regions.0.start");
  });

  it("accepts overlapping segments with transcriptions, up to the duration, and checks updates too", async () => {
    const doc = { regions: [seg("a", 1.2, 4.956, { text: "Good morning everyone" }), seg("b", 4, 6, { label: "noise" }), seg("c", duration - 1, duration + 0.005)] };
    const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: taskId }, body: { document: doc } });
    expect(r.status).toBe(201);
    const id = String(r.json.id);
    const got = await call(ann.GET, "GET", "/x", { token: mgr.token, params: { id } });
    expect(got.json.document.regions[0]).toMatchObject({ kind: "segment", start: 1.2, end: 4.956, text: "Good morning everyone" });
    const bad = await call(ann.PUT, "PUT", "/x", { token: mgr.token, params: { id }, body: { revision: r.json.revision, document: { regions: [seg("a", duration + 2, duration + 3)] } } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("document.regions.0.end");
  });
});

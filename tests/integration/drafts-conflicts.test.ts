// Drafts, revisions and conflicts through the real route handlers and a real SQLite file:
// what the editor's autosave relies on, and the bad input the server must refuse (never a 500).
import { describe, it, expect, beforeAll } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { freshDataDir, call, userWithToken, FIXTURES } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as task from "@/app/api/v1/tasks/[id]/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as draft from "@/app/api/v1/tasks/[id]/draft/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";

type U = { token: string; user: { id: number } };
let mgr: U, a1: U, a2: U, outsider: U;
let pid: string;
let imageTask: string; // an uploaded image: its size is known
let urlTask: string; // a URL task: size unknown
let W: number, H: number;

const schema = { labels: [{ name: "car", kinds: ["rect", "polygon", "polyline", "keypoints", "ellipse", "mask"] }, { name: "person" }] };
const rect = (id: string, over: Record<string, unknown> = {}) => ({ id, kind: "rect", label: "car", x: 1, y: 2, width: 30, height: 40, rotation: 0, ...over });

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@d.test");
  a1 = await userWithToken("a1@d.test");
  a2 = await userWithToken("a2@d.test");
  outsider = await userWithToken("o@d.test");
  pid = String((await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "Drafts", dataType: "image", schema } })).json.id);
  for (const u of [a1, a2]) await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: u.user.id, role: "annotator" } });
  const form = new FormData();
  form.append("files", new File([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "images/page.png")))], "page.png", { type: "image/png" }));
  expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, form })).status).toBe(201);
  await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: [{ data: { image: "https://example.com/a.jpg" } }] });
  const list = await call(taskList.GET, "GET", "/x?sort=id", { token: mgr.token, params: { id: pid } });
  imageTask = String(list.json.items[0].id);
  urlTask = String(list.json.items[1].id);
  const t = await call(task.GET, "GET", "/x", { token: mgr.token, params: { id: imageTask } });
  W = t.json.media.width;
  H = t.json.media.height;
  expect(W).toBeGreaterThan(40);
  expect(H).toBeGreaterThan(40);
});

const putDraft = (u: U, id: string, body: unknown) => call(draft.PUT, "PUT", "/x", { token: u.token, params: { id }, body });
const getDraft = (u: U, id: string) => call(draft.GET, "GET", "/x", { token: u.token, params: { id } });
const submit = (u: U, id: string, document: unknown) => call(taskAnns.POST, "POST", "/x", { token: u.token, params: { id }, body: { document } });

describe("drafts", () => {
  it("round-trips document, annotationId and baseRevision", async () => {
    const put = await putDraft(a1, imageTask, { document: { regions: [rect("d1")] }, annotationId: null, baseRevision: null });
    expect(put.status).toBe(200);
    expect(put.json.updatedAt).toBeTypeOf("number");
    const got = await getDraft(a1, imageTask);
    expect(got.json.draft).toMatchObject({ annotationId: null, baseRevision: null, document: { regions: [{ id: "d1" }] } });
  });

  it("keeps two users' drafts apart", async () => {
    await putDraft(a2, imageTask, { document: { regions: [rect("mine-a2"), rect("more")] } });
    expect((await getDraft(a1, imageTask)).json.draft.document.regions.map((r: { id: string }) => r.id)).toEqual(["d1"]);
    expect((await getDraft(a2, imageTask)).json.draft.document.regions).toHaveLength(2);
    expect((await getDraft(mgr, imageTask)).json.draft).toBeNull();
  });

  it("is deleted by that user's submit only, and then names the annotation it is based on", async () => {
    const s = await submit(a1, imageTask, { regions: [rect("d1")] });
    expect(s.status).toBe(201);
    expect((await getDraft(a1, imageTask)).json.draft).toBeNull();
    expect((await getDraft(a2, imageTask)).json.draft).not.toBeNull();
    const put = await putDraft(a1, imageTask, { document: { regions: [rect("d1"), rect("d2")] }, annotationId: s.json.id, baseRevision: 1 });
    expect(put.status).toBe(200);
    expect((await getDraft(a1, imageTask)).json.draft).toMatchObject({ annotationId: s.json.id, baseRevision: 1 });
    const u = await call(ann.PUT, "PUT", "/x", { token: a1.token, params: { id: String(s.json.id) }, body: { revision: 1, document: { regions: [rect("d1"), rect("d2")] } } });
    expect(u.status).toBe(200);
    expect((await getDraft(a1, imageTask)).json.draft).toBeNull();
  });

  it("accepts any label (a schema change never loses work) but refuses a corrupt document with its field", async () => {
    expect((await putDraft(a1, urlTask, { document: { regions: [rect("x", { label: "label-removed" })] } })).status).toBe(200);
    const cases: Array<[string, string]> = [
      ['{"document":{"regions":[{"id":"a","kind":"rect","label":"car","x":1e999,"y":0,"width":5,"height":5}]}}', "document.regions.0.x"],
      ['{"document":{"regions":[{"id":"a","kind":"polygon","label":"car","points":[[0,0],[1,1]]}]}}', "document.regions.0.points"],
      ['{"document":{"regions":[{"id":"a","kind":"blob"}]}}', "document.regions.0.kind"],
      ['{"document":{"regions":"lots"}}', "document.regions"],
      ['{"document":{"regions":[],"relations":[{"from":"a","to":"b"}]}}', "document.relations.0.from"],
      ['{"document":{},"baseRevision":"two"}', "baseRevision"],
    ];
    for (const [raw, field] of cases) {
      const r = await call(draft.PUT, "PUT", "/x", { token: a1.token, params: { id: urlTask }, raw });
      expect(r.status, raw).toBe(422);
      expect(r.json.error.field, raw).toBe(field);
    }
    expect((await call(draft.PUT, "PUT", "/x", { token: a1.token, params: { id: urlTask }, raw: "{not json" })).status).toBe(400);
    // The good draft is still there.
    expect((await getDraft(a1, urlTask)).json.draft.document.regions[0].label).toBe("label-removed");
  });

  it("refuses an annotationId that is not on the task (422, not a 500)", async () => {
    for (const annotationId of [999_999]) {
      const r = await putDraft(a1, urlTask, { document: {}, annotationId, baseRevision: 1 });
      expect(r.status).toBe(422);
      expect(r.json.error.field).toBe("annotationId");
    }
    const other = await submit(a1, imageTask, { regions: [] });
    const r = await putDraft(a1, urlTask, { document: {}, annotationId: other.json.id, baseRevision: 1 });
    expect(r.status).toBe(422);
  });

  it("is 404 for non-members, both ways", async () => {
    expect((await putDraft(outsider, imageTask, { document: {} })).status).toBe(404);
    expect((await getDraft(outsider, imageTask)).status).toBe(404);
  });
});

describe("revisions and conflicts", () => {
  it("refuses a stale PUT with 409 and the current revision, keeping the newer work", async () => {
    const c = await submit(a2, urlTask, { regions: [rect("v1")] });
    const id = String(c.json.id);
    const first = await call(ann.PUT, "PUT", "/x", { token: a2.token, params: { id }, body: { revision: 1, document: { regions: [rect("tab-a")] } } });
    expect(first.json.revision).toBe(2);
    const stale = await call(ann.PUT, "PUT", "/x", { token: a2.token, params: { id }, body: { revision: 1, document: { regions: [rect("tab-b")] } } });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: "conflict", currentRevision: 2 });
    expect((await call(ann.GET, "GET", "/x", { token: a2.token, params: { id } })).json.document.regions[0].id).toBe("tab-a");
    // "Keep mine" = an explicit re-submit over the revision the conflict reported.
    const mine = await call(ann.PUT, "PUT", "/x", { token: a2.token, params: { id }, body: { revision: stale.json.error.currentRevision, document: { regions: [rect("tab-b")] } } });
    expect(mine.json.revision).toBe(3);
  });
});

describe("bad input on submit", () => {
  const expect422 = async (document: unknown, field: string, id = imageTask) => {
    const r = await submit(mgr, id, document);
    expect(r.status, JSON.stringify(document)).toBe(422);
    expect(r.json.error.field, JSON.stringify(document)).toBe(field);
  };

  it("refuses NaN, Infinity, \"1e999\" and short polygons with the field path", async () => {
    const raws: Array<[string, string]> = [
      ['{"document":{"regions":[{"id":"a","kind":"rect","label":"car","x":1e999,"y":0,"width":5,"height":5}]}}', "document.regions.0.x"],
      ['{"document":{"regions":[{"id":"a","kind":"rect","label":"car","x":"1e999","y":0,"width":5,"height":5}]}}', "document.regions.0.x"],
      ['{"document":{"regions":[{"id":"a","kind":"rect","label":"car","x":0,"y":"NaN","width":5,"height":5}]}}', "document.regions.0.y"],
      ['{"document":{"regions":[{"id":"a","kind":"polygon","label":"car","points":[[0,0],[5,null],[5,5]]}]}}', "document.regions.0.points.1.1"],
      ['{"document":{"regions":[{"id":"a","kind":"polygon","label":"car","points":[[0,0],[-1e999,0],[5,5]]}]}}', "document.regions.0.points.1.0"],
    ];
    for (const [raw, field] of raws) {
      const r = await call(taskAnns.POST, "POST", "/x", { token: mgr.token, params: { id: imageTask }, raw });
      expect(r.status, raw).toBe(422);
      expect(r.json.error.field, raw).toBe(field);
    }
    // JSON.stringify turns NaN and Infinity into null.
    await expect422({ regions: [rect("a", { width: NaN })] }, "document.regions.0.width");
    await expect422({ regions: [rect("a", { height: Infinity })] }, "document.regions.0.height");
    await expect422({ regions: [{ id: "p", kind: "polygon", label: "car", points: [[0, 0], [1, 1]] }] }, "document.regions.0.points");
    await expect422({ regions: [{ id: "p", kind: "polygon", label: "car", points: [] }] }, "document.regions.0.points");
  });

  it("refuses regions outside the image, naming the field", async () => {
    await expect422({ regions: [rect("ok"), rect("a", { x: W - 10, width: 20 })] }, "document.regions.1.width");
    await expect422({ regions: [rect("a", { y: H - 5, height: 10 })] }, "document.regions.0.height");
    await expect422({ regions: [rect("a", { x: -3 })] }, "document.regions.0.x");
    await expect422({ regions: [rect("a", { x: 10, y: 10, width: 20, height: 20, rotation: 200 })] }, "document.regions.0.rotation");
    const poly = { id: "p", kind: "polygon", label: "car", points: [[0, 0], [10, 0], [W + 5, 10], [0, 10]] };
    await expect422({ regions: [rect("r0"), rect("r1"), rect("r2"), poly] }, "document.regions.3.points.2");
    await expect422({ regions: [{ id: "l", kind: "polyline", label: "car", points: [[0, 0], [5, -2]] }] }, "document.regions.0.points.1");
    await expect422({ regions: [{ id: "k", kind: "keypoints", label: "car", points: [[1, 1, 2], [W + 9, 1, 2]] }] }, "document.regions.0.points.1");
    await expect422({ regions: [{ id: "e", kind: "ellipse", label: "car", cx: W + 50, cy: 10, rx: 5, ry: 5 }] }, "document.regions.0.cx");
    await expect422({ regions: [{ id: "m", kind: "mask", label: "car", width: W - 1, height: H, rle: [(W - 1) * H] }] }, "document.regions.0.width");
    await expect422({ regions: [{ id: "m", kind: "mask", label: "car", width: W, height: H + 1, rle: [W * (H + 1)] }] }, "document.regions.0.height");
  });

  it("accepts what the editor's clip produces: edges, float noise, half-outside ellipses, hidden keypoints", async () => {
    const doc = {
      regions: [
        rect("edge", { x: 0, y: 0, width: W, height: H }),
        rect("noise", { x: W - 10, width: 10.000001 }),
        rect("turned", { x: 10, y: 0, width: 10, height: 10, rotation: 90 }),
        { id: "e", kind: "ellipse", label: "car", cx: 0, cy: 0, rx: 20, ry: 10 },
        { id: "k", kind: "keypoints", label: "car", points: [[1, 1, 2], [W + 50, -9, 0]] },
        { id: "m", kind: "mask", label: "car", width: W, height: H, rle: [W * H] },
      ],
    };
    const r = await submit(mgr, imageTask, doc);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    // An update is checked the same way.
    const u = await call(ann.PUT, "PUT", "/x", { token: mgr.token, params: { id: String(r.json.id) }, body: { revision: 1, document: { regions: [rect("a", { x: W })] } } });
    expect(u.status).toBe(422);
    expect(u.json.error.field).toBe("document.regions.0.width");
  });

  it("checks only the shape when the image size is unknown, and never bounds-checks drafts", async () => {
    expect((await submit(mgr, urlTask, { regions: [rect("far", { x: 99_999 })] })).status).toBe(201);
    expect((await putDraft(a1, imageTask, { document: { regions: [rect("far", { x: W * 3 })] } })).status).toBe(200);
  });
});

// Text projects: spans are checked against the task's text (code points, within the text, text
// field equal to the slice), free-text fields, and the pre-labelling dictionary route.
import { describe, it, expect, beforeAll } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as taskAnns from "@/app/api/v1/tasks/[id]/annotations/route";
import * as preds from "@/app/api/v1/tasks/[id]/predictions/route";
import * as ann from "@/app/api/v1/annotations/[id]/route";
import * as dict from "@/app/api/v1/projects/[id]/dictionary/route";

type U = { token: string; user: { id: number } };
let mgr: U, ann1: U;
let pid: string;
const ids: Record<string, string> = {};

const TEXTS = {
  emoji: "Hi 👋🏽 Zoë from 東京 met שלום at 𝔘𝔫𝔦 today",
  crlf: "First line\r\nSecond line\rThird\nParis",
  empty: "",
};
const cp = (s: string, part: string) => {
  const cps = [...s];
  const at = [...s.slice(0, s.indexOf(part))].length;
  return { start: at, end: at + [...part].length, text: cps.slice(at, at + [...part].length).join("") };
};

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@text.test");
  ann1 = await userWithToken("a@text.test");
  const schema = {
    labels: [
      { name: "PER", hotkey: "1" },
      { name: "LOC", hotkey: "2" },
    ],
    classifications: [{ name: "topic", choices: ["news", "sport"], multiple: true }],
    textFields: [{ name: "notes", maxLength: 20 }],
  };
  const p = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: "NER", dataType: "text", schema } });
  expect(p.status).toBe(201);
  pid = String(p.json.id);
  await call(members.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: { userId: ann1.user.id, role: "annotator" } });
  const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, body: Object.entries(TEXTS).map(([k, text]) => ({ data: { text, key: k } })) });
  expect(r.json.created).toBe(3);
  const list = await call(taskList.GET, "GET", `/x?limit=10`, { token: mgr.token, params: { id: pid } });
  const keys = Object.keys(TEXTS);
  const sorted = [...list.json.items].sort((a: { id: number }, b: { id: number }) => a.id - b.id);
  sorted.forEach((t: { id: number }, i: number) => (ids[keys[i]!] = String(t.id)));
});

const post = (task: string, document: unknown, token = ann1.token) => call(taskAnns.POST, "POST", "/x", { token, params: { id: task }, body: { document } });

describe("span offsets against the task text", () => {
  it("accepts code-point spans over emoji, CJK, RTL and astral letters, text equal to the slice", async () => {
    const t = TEXTS.emoji;
    const regions = ["👋🏽", "Zoë", "東京", "שלום", "𝔘𝔫𝔦"].map((w, i) => ({ id: `s${i}`, kind: "span", label: i % 2 ? "LOC" : "PER", ...cp(t, w) }));
    const r = await post(ids.emoji!, { regions, relations: [{ from: "s1", to: "s2", label: "in" }], classifications: { topic: ["news"], notes: ["ok"] } });
    expect(r.status).toBe(201);
    const got = await call(ann.GET, "GET", "/x", { token: ann1.token, params: { id: String(r.json.id) } });
    const cps = [...t];
    for (const s of got.json.document.regions) expect(cps.slice(s.start, s.end).join("")).toBe(s.text);
    expect(got.json.document.classifications.notes).toEqual(["ok"]);
  });

  it("counts CRLF as two code points: offsets are into the text as stored", async () => {
    const t = TEXTS.crlf;
    const r = await post(ids.crlf!, { regions: [{ id: "p", kind: "span", label: "LOC", ...cp(t, "Paris") }] });
    expect(r.status).toBe(201);
    expect(cp(t, "Paris").start).toBe(t.indexOf("Paris"));
  });

  it("refuses spans past the end, inverted or empty, with the field path", async () => {
    const len = [...TEXTS.emoji].length;
    const cases: Array<[unknown, string]> = [
      [{ id: "a", kind: "span", label: "PER", start: 0, end: len + 1 }, "document.regions.0.end"],
      [{ id: "a", kind: "span", label: "PER", start: len + 2, end: len + 5 }, "document.regions.0.start"],
      [{ id: "a", kind: "span", label: "PER", start: 5, end: 3 }, "document.regions.0.end"],
      [{ id: "a", kind: "span", label: "PER", start: 4, end: 4 }, "document.regions.0.end"],
      [{ id: "a", kind: "span", label: "PER", start: -1, end: 3 }, "document.regions.0.start"],
      [{ id: "a", kind: "span", label: "PER", start: 0.5, end: 3 }, "document.regions.0.start"],
    ];
    for (const [region, field] of cases) {
      const r = await post(ids.emoji!, { regions: [region] });
      expect(r.status, JSON.stringify(region)).toBe(422);
      expect(r.json.error.field).toBe(field);
    }
  });

  it("refuses a text field that does not match the slice (UTF-16 offsets sent by mistake)", async () => {
    const t = TEXTS.emoji;
    const u16 = t.indexOf("Zoë");
    const r = await post(ids.emoji!, { regions: [{ id: "z", kind: "span", label: "PER", start: u16, end: u16 + 3, text: "Zoë" }] });
    expect(r.status).toBe(422);
    expect(r.json.error.field).toBe("document.regions.0.text");
    expect(r.json.error.message).toMatch(/code points/);
  });

  it("refuses any span on an empty document, but accepts classifications", async () => {
    const bad = await post(ids.empty!, { regions: [{ id: "a", kind: "span", label: "PER", start: 0, end: 1 }] });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("document.regions.0.end");
    const ok = await post(ids.empty!, { regions: [], classifications: { topic: ["sport"] } });
    expect(ok.status).toBe(201);
  });

  it("checks updates and predictions the same way", async () => {
    const created = await post(ids.crlf!, { regions: [] }, mgr.token);
    expect(created.status).toBe(201);
    const up = await call(ann.PUT, "PUT", "/x", { token: mgr.token, params: { id: String(created.json.id) }, body: { revision: 1, document: { regions: [{ id: "x", kind: "span", label: "LOC", start: 0, end: 999 }] } } });
    expect(up.status).toBe(422);
    expect(up.json.error.field).toBe("document.regions.0.end");
    const pr = await call(preds.POST, "POST", "/x", { token: mgr.token, params: { id: ids.crlf! }, body: { model: "m", document: { regions: [{ id: "x", kind: "span", label: "LOC", start: 3, end: 2 }] } } });
    expect(pr.status).toBe(422);
  });

  it("validates free-text fields: one answer, within maxLength", async () => {
    const two = await post(ids.emoji!, { classifications: { notes: ["a", "b"] } });
    expect(two.status).toBe(422);
    expect(two.json.error.field).toBe("document.classifications.notes");
    const long = await post(ids.emoji!, { classifications: { notes: ["x".repeat(21)] } });
    expect(long.status).toBe(422);
    expect(long.json.error.field).toBe("document.classifications.notes.0");
  });
});

describe("importing text files", () => {
  async function upload(name: string, bytes: Uint8Array) {
    const form = new FormData();
    form.append("files", new File([new Uint8Array(bytes)], name, { type: "text/plain" }));
    return call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, form });
  }

  it("refuses invalid UTF-8 with the byte offset, whole file", async () => {
    const good = new TextEncoder().encode("x".repeat(5000) + " café ");
    const bytes = new Uint8Array([...good, 0xff, 0x41]);
    const r = await upload("latin1.txt", bytes);
    const failed = r.status === 422 ? [r.json.error] : r.json.failed;
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toMatch(new RegExp(`not valid UTF-8 \\(bad byte at offset ${good.length}\\)`));
  });

  it("keeps mixed line endings as they are and drops a byte-order mark", async () => {
    const text = "one\r\ntwo\rthree\nfour";
    const r = await upload("mixed.txt", new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
    expect(r.status).toBe(201);
    const list = await call(taskList.GET, "GET", `/x?limit=100`, { token: mgr.token, params: { id: pid } });
    const last = [...list.json.items].sort((a: { id: number }, b: { id: number }) => b.id - a.id)[0];
    const task = await call((await import("@/app/api/v1/tasks/[id]/route")).GET, "GET", "/x", { token: mgr.token, params: { id: String(last.id) } });
    expect(task.json.data.text).toBe(text);
  });
});

describe("the project dictionary", () => {
  it("starts empty, takes the text form from a manager, and lists entries for annotators", async () => {
    const empty = await call(dict.GET, "GET", "/x", { token: ann1.token, params: { id: pid } });
    expect(empty.status).toBe(200);
    expect(empty.json.entries).toEqual([]);
    const put = await call(dict.PUT, "PUT", "/x", { token: mgr.token, params: { id: pid }, body: { text: "# places\nParis\tLOC\n/Dr\\. \\w+/i\tPER\n" } });
    expect(put.status).toBe(200);
    expect(put.json.entries).toEqual([
      { pattern: "Paris", label: "LOC" },
      { pattern: "Dr\\. \\w+", label: "PER", regex: true, caseSensitive: false },
    ]);
    const got = await call(dict.GET, "GET", "/x", { token: ann1.token, params: { id: pid } });
    expect(got.json.entries).toHaveLength(2);
  });

  it("refuses bad lines, unknown labels and bad regexes with the field, and annotators", async () => {
    const line = await call(dict.PUT, "PUT", "/x", { token: mgr.token, params: { id: pid }, body: { text: "Paris\tLOC\nBerlin" } });
    expect(line.status).toBe(422);
    expect(line.json.error.field).toBe("text.2");
    const label = await call(dict.PUT, "PUT", "/x", { token: mgr.token, params: { id: pid }, body: { entries: [{ pattern: "x", label: "CITY" }] } });
    expect(label.status).toBe(422);
    expect(label.json.error.field).toBe("entries.0");
    const re = await call(dict.PUT, "PUT", "/x", { token: mgr.token, params: { id: pid }, body: { entries: [{ pattern: "(", label: "LOC", regex: true }] } });
    expect(re.status).toBe(422);
    const shape = await call(dict.PUT, "PUT", "/x", { token: mgr.token, params: { id: pid }, body: { words: [] } });
    expect(shape.status).toBe(422);
    const anno = await call(dict.PUT, "PUT", "/x", { token: ann1.token, params: { id: pid }, body: { text: "" } });
    expect(anno.status).toBe(403);
  });
});

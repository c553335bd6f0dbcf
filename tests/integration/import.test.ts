import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { freshDataDir, call, userWithToken, FIXTURES } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as importRoute from "@/app/api/v1/projects/[id]/import/route";
import * as taskList from "@/app/api/v1/projects/[id]/tasks/route";
import * as mediaRoute from "@/app/api/v1/media/[id]/route";
import * as thumbRoute from "@/app/api/v1/media/[id]/thumbnail/route";
import * as preds from "@/app/api/v1/tasks/[id]/predictions/route";

let mgr: { token: string }, outsider: { token: string };
let img: string, txt: string, aud: string, vid: string;

const file = (name: string, bytes: Uint8Array | string, type = "application/octet-stream") =>
  new File([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], name, { type });
const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));
async function upload(pid: string, ...files: File[]) {
  const form = new FormData();
  for (const f of files) form.append("files", f);
  return call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: pid }, form });
}
async function mk(dataType: string) {
  const r = await call(projects.POST, "POST", "/x", { token: mgr.token, body: { name: dataType, dataType } });
  return String(r.json.id);
}

beforeAll(async () => {
  freshDataDir();
  mgr = await userWithToken("m@x.test");
  outsider = await userWithToken("o@x.test");
  img = await mk("image");
  txt = await mk("text");
  aud = await mk("audio");
  vid = await mk("video");
});

describe("media upload", () => {
  it("stores images once, with dimensions and a thumbnail, served safely", async () => {
    const r = await upload(img, file("page.png", fixture("images/page.png")), file("fruits.jpg", fixture("images/fruits.jpg")));
    expect(r.status).toBe(201);
    expect(r.json.created).toBe(2);
    const again = await upload(img, file("copy-of-page.png", fixture("images/page.png")));
    expect(again.json.created).toBe(1);
    const list = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: img } });
    const items = list.json.items;
    expect(items).toHaveLength(3);
    expect(items[0].media.id).toBe(items[2].media.id); // same bytes, one media row
    expect(items[0].media.width).toBeGreaterThan(0);
    expect(items[0].fileName).toBe("page.png");
    const mid = String(items[1].media.id);
    const m = await call(mediaRoute.GET, "GET", "/x", { token: mgr.token, params: { id: mid } });
    expect(m.status).toBe(200);
    expect(m.headers.get("content-type")).toBe("image/jpeg");
    expect(m.headers.get("x-content-type-options")).toBe("nosniff");
    expect(m.headers.get("content-security-policy")).toContain("sandbox");
    const range = await call(mediaRoute.GET, "GET", "/x", { token: mgr.token, params: { id: mid }, headers: { range: "bytes=0-9" } });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toMatch(/^bytes 0-9\//);
    const t = await call(thumbRoute.GET, "GET", "/x", { token: mgr.token, params: { id: mid } });
    expect(t.headers.get("content-type")).toBe("image/webp");
    expect((await call(mediaRoute.GET, "GET", "/x", { token: outsider.token, params: { id: mid } })).status).toBe(404);
  });

  it("refuses content that is not what it claims", async () => {
    const html = await upload(img, file("cat.png", "<!doctype html><script>alert(1)</script>", "image/png"));
    expect(html.status).toBe(415);
    expect(html.json.error.code).toBe("unsupported_media_type");
    const svg = await upload(img, file("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"));
    expect(svg.status).toBe(415);
    const wrongKind = await upload(img, file("talk.wav", fixture("audio/meeting.wav")));
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.json.error.message).toMatch(/takes image/);
  });

  it("refuses truncated images and decompression bombs", async () => {
    const png = fixture("images/page.png");
    const cut = await upload(img, file("cut.png", png.subarray(0, Math.floor(png.length / 2))));
    expect(cut.status).toBe(422);
    // A valid PNG header that claims 100000 x 100000 pixels.
    const bomb = Buffer.from(png.subarray(0, 33));
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    const b = await upload(img, file("bomb.png", bomb));
    expect(b.status).toBe(422);
    const list = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: img } });
    expect(list.json.total).toBe(3); // nothing half-written
  });

  it("refuses names that are paths or hold control characters", async () => {
    for (const name of ["../../etc/passwd.png", "a/b.png", "bad\u0001.png", ".."]) {
      const r = await upload(img, file(name, fixture("images/page.png")));
      expect(r.status, name).toBe(422);
    }
  });

  it("imports audio and video with durations", async () => {
    const a = await upload(aud, file("meeting.ogg", fixture("audio/meeting.ogg")), file("meeting.wav", fixture("audio/meeting.wav")));
    expect(a.json.created).toBe(2);
    const v = await upload(vid, file("pedestrians.mp4", fixture("video/pedestrians.mp4")));
    expect(v.json.created).toBe(1);
    const al = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: aud } });
    for (const t of al.json.items) expect(t.media.duration).toBeGreaterThan(1);
    const vl = await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: vid } });
    expect(vl.json.items[0].media.duration).toBeGreaterThan(11);
    expect(vl.json.items[0].media.width).toBe(768);
  });
});

describe("task lists", () => {
  it("imports JSONL, CSV, Label Studio JSON and text files", async () => {
    const r = await upload(
      txt,
      file("news.jsonl", fixture("text/news.jsonl")),
      file("reviews.csv", fixture("text/reviews.csv")),
      file("note.txt", "A plain text file becomes one task."),
    );
    expect(r.status).toBe(201);
    expect(r.json.created).toBe(12 + 12 + 1);
    const ls = [{ data: { text: "Ada Lovelace" }, predictions: [{ model_version: "ner-1", score: 0.7, result: [] }] }];
    const j = await upload(txt, file("ls.json", JSON.stringify(ls)));
    expect(j.json.created).toBe(1);
    const p = await call(preds.GET, "GET", "/x", { token: mgr.token, params: { id: String(j.json.taskIds[0]) } });
    expect(p.json.items[0].model).toBe("ner-1");
  });

  it("imports nothing from a file with bad rows, and says which lines", async () => {
    const before = (await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: txt } })).json.total;
    const bad = ['{"text": "ok"}', "{not json", '{"text": "fine"}', "[1, 2]", '{"data": {"n": 1}}'].join("\n");
    const r = await upload(txt, file("bad.jsonl", bad));
    expect(r.status).toBe(422);
    expect(r.json.failed.map((f: { line: number }) => f.line)).toEqual([2, 4, 5]);
    const csv = 'text,source\n"fine",a\n"unterminated,b\n';
    const c = await upload(txt, file("bad.csv", csv));
    expect(c.status).toBe(422);
    expect(c.json.failed[0].line).toBeGreaterThanOrEqual(3);
    const after = (await call(taskList.GET, "GET", "/x", { token: mgr.token, params: { id: txt } })).json.total;
    expect(after).toBe(before);
  });

  it("keeps HTML in task data as data", async () => {
    const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: txt }, body: [{ text: "<img src=x onerror=alert(1)>" }] });
    expect(r.status).toBe(201);
    const l = await call(taskList.GET, "GET", "/x?sort=id&order=desc&limit=1", { token: mgr.token, params: { id: txt } });
    expect(l.json.items[0].preview).toBe("<img src=x onerror=alert(1)>");
  });

  it("needs a media URL in media projects' task lists", async () => {
    const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: img }, body: [{ image: "javascript:alert(1)" }, { image: "https://example.com/a.jpg" }] });
    expect(r.status).toBe(422);
    expect(r.json.failed).toHaveLength(1);
    expect(r.json.failed[0].line).toBe(1);
  });

  it("refuses malformed bodies clearly", async () => {
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: txt }, raw: "[{" })).status).toBe(400);
    expect((await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: txt }, body: { nope: 1 } })).status).toBe(422);
    expect((await call(importRoute.POST, "POST", "/x", { token: outsider.token, params: { id: txt }, body: [{ text: "x" }] })).status).toBe(404);
  });
});

describe("import by URL", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const png = fixture("images/page.png");
    server = http.createServer((req, res) => {
      if (req.url === "/page.png") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(png);
      } else if (req.url === "/redirect-to-metadata") {
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    delete process.env.LOUPE_URL_ALLOWLIST;
  });

  it("refuses loopback, private and metadata addresses", async () => {
    for (const url of [`${base}/page.png`, "http://localhost/x.png", "http://169.254.169.254/", "http://10.0.0.1/a.png", "http://[::1]/a.png", "file:///etc/passwd"]) {
      const r = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: img }, body: { urls: [url] } });
      expect(r.status, url).toBe(422);
      expect(["blocked_url", "invalid_url"], url).toContain(r.json.failed[0].code);
    }
  });

  it("fetches from an allowlisted host, and re-checks redirects", async () => {
    process.env.LOUPE_URL_ALLOWLIST = "127.0.0.1";
    const ok = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: img }, body: { urls: [`${base}/page.png`] } });
    expect(ok.status).toBe(201);
    expect(ok.json.created).toBe(1);
    const redirect = await call(importRoute.POST, "POST", "/x", { token: mgr.token, params: { id: img }, body: { urls: [`${base}/redirect-to-metadata`] } });
    expect(redirect.status).toBe(422);
    expect(redirect.json.failed[0].code).toBe("blocked_url");
  });
});

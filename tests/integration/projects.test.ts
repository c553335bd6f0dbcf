import { describe, it, expect, beforeAll } from "vitest";
import { freshDataDir, call, userWithToken } from "./harness";
import * as projects from "@/app/api/v1/projects/route";
import * as project from "@/app/api/v1/projects/[id]/route";
import * as schemaRoute from "@/app/api/v1/projects/[id]/schema/route";
import * as members from "@/app/api/v1/projects/[id]/members/route";
import * as me from "@/app/api/v1/me/route";
import * as tokens from "@/app/api/v1/tokens/[id]/route";

let admin: { token: string }, mgr: { token: string; user: { id: number } }, ann: { token: string; user: { id: number } }, outsider: { token: string };
const schema = {
  labels: [
    { name: "car", color: "#e6194b", hotkey: "1", kinds: ["rect", "polygon"], attributes: [{ name: "occluded", type: "checkbox" }] },
    { name: "person", color: "#3cb44b", hotkey: "2" },
  ],
  classifications: [{ name: "weather", choices: ["sun", "rain"] }],
};

beforeAll(async () => {
  freshDataDir();
  admin = await userWithToken("admin@x.test", { admin: true });
  mgr = await userWithToken("mgr@x.test");
  ann = await userWithToken("ann@x.test");
  outsider = await userWithToken("out@x.test");
});

describe("authentication", () => {
  it("refuses requests without credentials or with a bad token", async () => {
    expect((await call(me.GET, "GET", "/api/v1/me")).status).toBe(401);
    const r = await call(me.GET, "GET", "/api/v1/me", { token: "loupe_nope" });
    expect(r.status).toBe(401);
    expect(r.json.error.code).toBe("unauthorized");
  });

  it("accepts a token, and not after it is revoked", async () => {
    const u = await userWithToken("rev@x.test");
    expect((await call(me.GET, "GET", "/api/v1/me", { token: u.token })).json.email).toBe("rev@x.test");
    const list = (await import("@/lib/server/tokens")).listTokens(u.user.id);
    expect((await call(tokens.DELETE, "DELETE", "/x", { token: u.token, params: { id: String(list[0]!.id) } })).status).toBe(204);
    expect((await call(me.GET, "GET", "/api/v1/me", { token: u.token })).status).toBe(401);
  });

  it("read-only tokens cannot write", async () => {
    const ro = await userWithToken("mgr@x.test", { readOnly: true });
    const r = await call(projects.POST, "POST", "/api/v1/projects", { token: ro.token, body: { name: "x", dataType: "image" } });
    expect(r.status).toBe(403);
  });
});

describe("projects and schema", () => {
  let id: number;
  it("creates a project with a schema; the creator becomes manager", async () => {
    const r = await call(projects.POST, "POST", "/api/v1/projects", {
      token: mgr.token,
      body: { name: "Cars", dataType: "image", description: "d", schema },
    });
    expect(r.status).toBe(201);
    id = r.json.id;
    const g = await call(project.GET, "GET", `/api/v1/projects/${id}`, { token: mgr.token, params: { id: String(id) } });
    expect(g.json.role).toBe("manager");
    expect(g.json.schema.labels.map((l: { name: string }) => l.name)).toEqual(["car", "person"]);
  });

  it("rejects bad schemas with the field path", async () => {
    const bad = { labels: [{ name: "a", hotkey: "1" }, { name: "b", hotkey: "1" }] };
    const r = await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, body: { name: "X", dataType: "image", schema: bad } });
    expect(r.status).toBe(422);
    expect(r.json.error.field).toBe("schema.labels.1.hotkey");
    const k = await call(projects.POST, "POST", "/api/v1/projects", {
      token: mgr.token,
      body: { name: "X", dataType: "text", schema: { labels: [{ name: "a", kinds: ["rect"] }] } },
    });
    expect(k.status).toBe(422);
    expect(k.json.error.field).toBe("schema.labels.0.kinds.0");
  });

  it("rejects malformed JSON, bad names and unknown data types", async () => {
    expect((await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, raw: "{nope" })).json.error.code).toBe("invalid_json");
    const c = await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, body: { name: "a\u0000b", dataType: "image" } });
    expect(c.status).toBe(422);
    expect(c.json.error.field).toBe("name");
    const d = await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, body: { name: "a", dataType: "pdf" } });
    expect(d.json.error.field).toBe("dataType");
  });

  it("versions the schema on PUT", async () => {
    const r = await call(schemaRoute.PUT, "PUT", "/x", { token: mgr.token, params: { id: String(id) }, body: { ...schema, labels: [...schema.labels, { name: "bike" }] } });
    expect(r.status).toBe(200);
    expect(r.json.version).toBe(2);
    const v1 = await call(schemaRoute.GET, "GET", `/x?version=1`, { token: mgr.token, params: { id: String(id) } });
    expect(v1.json.schema.labels).toHaveLength(2);
  });

  it("hides projects from non-members (404) and refuses annotators' changes (403)", async () => {
    const p = { id: String(id) };
    expect((await call(project.GET, "GET", "/x", { token: outsider.token, params: p })).status).toBe(404);
    const list = await call(projects.GET, "GET", "/api/v1/projects", { token: outsider.token });
    expect(list.json.total).toBe(0);
    const add = await call(members.POST, "POST", "/x", { token: mgr.token, params: p, body: { email: "ann@x.test", role: "annotator" } });
    expect(add.status).toBe(201);
    expect((await call(project.GET, "GET", "/x", { token: ann.token, params: p })).status).toBe(200);
    expect((await call(project.PATCH, "PATCH", "/x", { token: ann.token, params: p, body: { name: "hacked" } })).status).toBe(403);
    expect((await call(schemaRoute.PUT, "PUT", "/x", { token: ann.token, params: p, body: schema })).status).toBe(403);
    expect((await call(members.POST, "POST", "/x", { token: ann.token, params: p, body: { email: "out@x.test", role: "manager" } })).status).toBe(403);
    expect((await call(project.GET, "GET", "/x", { token: admin.token, params: p })).status).toBe(200);
  });

  it("project-scoped tokens see only their project", async () => {
    const other = await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, body: { name: "Other", dataType: "text" } });
    const scoped = await userWithToken("mgr@x.test", { projectId: id });
    expect((await call(project.GET, "GET", "/x", { token: scoped.token, params: { id: String(other.json.id) } })).status).toBe(404);
    const list = await call(projects.GET, "GET", "/api/v1/projects", { token: scoped.token });
    expect(list.json.items.map((p: { id: number }) => p.id)).toEqual([id]);
  });

  it("manages members and keeps at least one manager", async () => {
    const p = { id: String(id) };
    const unknown = await call(members.POST, "POST", "/x", { token: mgr.token, params: p, body: { email: "ghost@x.test", role: "annotator" } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.field).toBe("email");
    const last = await call(members.DELETE, "DELETE", "/x", { token: mgr.token, params: p, body: { userId: mgr.user.id } });
    expect(last.status).toBe(409);
    const l = await call(members.GET, "GET", "/x", { token: mgr.token, params: p });
    expect(l.json.items.map((m: { role: string }) => m.role).sort()).toEqual(["annotator", "manager"]);
  });

  it("deletes a project (manager only)", async () => {
    const r = await call(projects.POST, "POST", "/api/v1/projects", { token: mgr.token, body: { name: "Temp", dataType: "audio" } });
    const p = { id: String(r.json.id) };
    expect((await call(project.DELETE, "DELETE", "/x", { token: mgr.token, params: p })).status).toBe(204);
    expect((await call(project.GET, "GET", "/x", { token: mgr.token, params: p })).status).toBe(404);
  });
});

// Cookie sessions: the same JWT next-auth issues at sign-in, checked by the route wrapper.
import { describe, it, expect, beforeAll } from "vitest";
import { encode } from "next-auth/jwt";
import { freshDataDir, call, userWithToken } from "./harness";
import { authSecret } from "@/lib/auth/secret";
import { updateUser } from "@/lib/server/users";
import * as me from "@/app/api/v1/me/route";
import * as projects from "@/app/api/v1/projects/route";
import * as tokens from "@/app/api/v1/tokens/route";

let uid: number;
async function cookie(maxAge = 3600, id = uid) {
  const jwt = await encode({ token: { uid: id, sub: String(id) }, secret: authSecret(), maxAge });
  return { cookie: `next-auth.session-token=${jwt}` };
}

beforeAll(async () => {
  freshDataDir();
  uid = (await userWithToken("s@x.test")).user.id;
});

describe("session cookie", () => {
  it("authenticates a signed-in user", async () => {
    const r = await call(me.GET, "GET", "/api/v1/me", { headers: await cookie() });
    expect(r.status).toBe(200);
    expect(r.json.via).toBe("session");
  });

  it("stops working when the session has expired", async () => {
    const r = await call(me.GET, "GET", "/api/v1/me", { headers: await cookie(-3600) });
    expect(r.status).toBe(401);
  });

  it("refuses a forged cookie", async () => {
    const jwt = await encode({ token: { uid }, secret: "not-the-secret", maxAge: 3600 });
    expect((await call(me.GET, "GET", "/api/v1/me", { headers: { cookie: `next-auth.session-token=${jwt}` } })).status).toBe(401);
  });

  it("refuses cross-site writes and accepts same-origin ones", async () => {
    const body = { name: "P", dataType: "image" };
    const evil = await call(projects.POST, "POST", "/api/v1/projects", { headers: { ...(await cookie()), origin: "http://evil.example" }, body });
    expect(evil.status).toBe(403);
    expect(evil.json.error.code).toBe("csrf");
    const site = await call(projects.POST, "POST", "/api/v1/projects", { headers: { ...(await cookie()), "sec-fetch-site": "cross-site" }, body });
    expect(site.status).toBe(403);
    const ok = await call(projects.POST, "POST", "/api/v1/projects", {
      headers: { ...(await cookie()), origin: "http://localhost:3000", host: "localhost:3000", "sec-fetch-site": "same-origin" },
      body,
    });
    expect(ok.status).toBe(201);
  });

  it("signs out a disabled user at once", async () => {
    const admin = await userWithToken("adm@x.test", { admin: true });
    await updateUser(uid, { disabled: true }, admin.user.id);
    expect((await call(me.GET, "GET", "/api/v1/me", { headers: await cookie() })).status).toBe(401);
    await updateUser(uid, { disabled: false }, admin.user.id);
  });

  it("mints API tokens only from a session", async () => {
    const t = await userWithToken("t@x.test");
    expect((await call(tokens.POST, "POST", "/x", { token: t.token, body: {} })).status).toBe(403);
    const r = await call(tokens.POST, "POST", "/x", { headers: { ...(await cookie()), "sec-fetch-site": "same-origin" }, body: { name: "ci" } });
    expect(r.status).toBe(201);
    expect(r.json.token).toMatch(/^loupe_/);
  });
});

// Calls route handlers the way Next does, against a fresh SQLite file per test file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { closeDb, getDb } from "@/lib/db/client";
import { createUser, getUserByEmail } from "@/lib/server/users";
import { createToken } from "@/lib/server/tokens";

export function freshDataDir(): string {
  closeDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loupe-it-"));
  process.env.LOUPE_DATA_DIR = dir;
  process.env.LOUPE_MIGRATIONS_DIR = path.resolve("drizzle");
  getDb();
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: any) => Promise<Response>;

export interface CallOpts {
  token?: string;
  body?: unknown;
  form?: FormData;
  raw?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
}

export async function call(handler: Handler, method: string, url: string, o: CallOpts = {}) {
  const headers = new Headers(o.headers);
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  let body: BodyInit | undefined;
  if (o.form) body = o.form;
  else if (o.raw !== undefined) {
    body = o.raw;
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers.set("content-type", "application/json");
  }
  const req = new NextRequest(new URL(url, "http://localhost:3000"), { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(o.params ?? {}) });
  const text = res.status === 204 ? "" : await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers, text };
}

/** A user and an API token for them. */
export async function userWithToken(email: string, opts: { admin?: boolean; readOnly?: boolean; projectId?: number } = {}) {
  if (!getUserByEmail(email)) await createUser({ email, password: "password123", isAdmin: !!opts.admin });
  const u = getUserByEmail(email)!;
  const { token } = createToken(u.id, { name: "test", readOnly: opts.readOnly, projectId: opts.projectId });
  return { user: u, token };
}

export const FIXTURES = path.resolve("tests/fixtures");

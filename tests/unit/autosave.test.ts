// Autosave against a fake Loupe server (drafts, annotations with revisions and 409) and fake
// timers: debounce, offline/backoff, expired sessions, conflicts, and "nothing lost" across reloads.
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, it, expect, beforeEach, afterEach, vi } from "vitest";
import { Editor } from "@/lib/annotation/editor";
import { labelConfigSchema } from "@/lib/labeling-config/schema";
import { Autosave } from "@/components/editor/persistence/autosave";
import { openDraftStore, type DraftStore } from "@/components/editor/persistence/draft-store";
import { recoverDocument } from "@/components/editor/persistence/recover";
import type { Recovered, ServerAnnotation, ServerDraft } from "@/components/editor/persistence/types";

const schema = labelConfigSchema.parse({ labels: [{ name: "car", color: "#ff0000" }, { name: "person", color: "#00ff00" }] });
const TASK = 5;
const USER = 9;

/** Just enough of the REST API: the caller's draft and annotations with the revision check. */
class FakeServer {
  mode: "ok" | "offline" | "signed-out" | "error500" = "ok";
  draft: ServerDraft | null = null;
  annotations = new Map<number, ServerAnnotation>();
  calls: Array<{ method: string; url: string; body: any; keepalive: boolean }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  private nextId = 1;
  /** While set, requests wait for it (to test edits made while a request is in flight). */
  gate: Promise<void> | null = null;

  fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (this.gate) await this.gate;
    if (this.mode === "offline") throw new TypeError("Failed to fetch");
    this.calls.push({ method, url: String(url), body, keepalive: !!init?.keepalive });
    if (this.mode === "signed-out") return json(401, { error: { code: "unauthorized", message: "Sign in or send an API token." } });
    if (this.mode === "error500") return json(500, { error: { code: "internal", message: "Internal error" } });
    return this.route(method, String(url), body);
  };

  private route(method: string, url: string, body: any): Response { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (url === `/api/v1/tasks/${TASK}/draft` && method === "PUT") {
      if (!Array.isArray(body.document?.regions)) return json(422, { error: { code: "invalid", message: "document.regions: Required", field: "document.regions" } });
      this.draft = { document: body.document, annotationId: body.annotationId ?? null, baseRevision: body.baseRevision ?? null, updatedAt: Date.now() };
      return json(200, { ...this.draft, taskId: TASK, userId: USER });
    }
    if (url === `/api/v1/tasks/${TASK}/annotations` && method === "POST") {
      const a = this.save(this.nextId++, 1, body.document, body.status);
      return json(201, a);
    }
    const m = /^\/api\/v1\/annotations\/(\d+)$/.exec(url);
    const cur = m ? this.annotations.get(Number(m[1])) : undefined;
    if (m && cur && method === "GET") return json(200, cur);
    if (m && cur && method === "PUT") {
      if (body.revision !== cur.revision) return json(409, { error: { code: "conflict", message: "stale", currentRevision: cur.revision } });
      return json(200, this.save(cur.id, cur.revision + 1, body.document, body.status ?? cur.status));
    }
    return json(404, { error: { code: "not_found", message: "Not found." } });
  }

  save(id: number, revision: number, document: unknown, status: "submitted" | "skipped" = "submitted"): ServerAnnotation {
    const a: ServerAnnotation = { id, taskId: TASK, userId: USER, status, skipReason: null, revision, document, updatedAt: Date.now() };
    this.annotations.set(id, a);
    this.draft = null; // the server deletes the caller's draft on submit
    return a;
  }

  count(method: string, path: string) {
    return this.calls.filter((c) => c.method === method && c.url.endsWith(path)).length;
  }
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

let server: FakeServer;
let store: DraftStore;
let win: EventTarget;
let doc: EventTarget & { visibilityState: string };
const live: Autosave[] = [];

const emptyRecovered = (): Recovered => ({ document: { version: 1, regions: [], classifications: {}, relations: [] }, target: { annotationId: null, revision: null }, source: "empty", replayed: false });

function open(initial: Recovered = emptyRecovered(), readOnly = false) {
  const editor = new Editor({ schema, width: 640, height: 480, document: initial.document });
  const autosave = new Autosave({ editor, taskId: TASK, userId: USER, initial, store, readOnly, fetch: server.fetch, window: win, document: doc });
  autosave.start();
  live.push(autosave);
  return { editor, autosave };
}

/** Fake timers for the debounces; IndexedDB (fake-indexeddb) still needs real macrotasks. */
async function settle() {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
}
async function tick(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}
const drawRect = (editor: Editor, x: number) => editor.createRegion({ kind: "rect", label: "car", x, y: 10, width: 20, height: 20 });

/** The page reloads: recover from the same store and the server's draft/annotation. */
async function reload(annotation: ServerAnnotation | null = null) {
  const target = annotation ? { annotationId: annotation.id, revision: annotation.revision } : { annotationId: null, revision: null };
  return recoverDocument({ taskId: TASK, userId: USER, target, serverDraft: server.draft, annotation, store });
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  server = new FakeServer();
  store = await openDraftStore(new IDBFactory());
  win = new EventTarget();
  doc = Object.assign(new EventTarget(), { visibilityState: "visible" });
});
afterEach(() => {
  for (const a of live.splice(0)) a.dispose();
  vi.useRealTimers();
});

describe("autosave: debounce", () => {
  it("coalesces many edits into one draft PUT and keeps the local copy first", async () => {
    const { editor, autosave } = open();
    for (let i = 0; i < 12; i++) {
      drawRect(editor, i * 10);
      await tick(100);
    }
    expect(autosave.state.kind).toBe("dirty");
    const local = await store.get(USER, TASK);
    expect(local?.synced).toBe(false);
    expect(local?.document.regions.length).toBeGreaterThanOrEqual(11);
    expect(server.count("PUT", "/draft")).toBe(0);
    await tick(1500);
    expect(server.count("PUT", "/draft")).toBe(1);
    expect(server.draft?.document).toMatchObject({ regions: expect.any(Array) });
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(12);
    expect(autosave.state.kind).toBe("saved");
    expect((await store.get(USER, TASK))?.synced).toBe(true);
  });

  it("saves at most ~5 s behind while editing continuously", async () => {
    const { editor } = open();
    for (let i = 0; i < 40; i++) {
      drawRect(editor, i);
      await tick(200); // 8 s of continuous editing
    }
    const puts = server.count("PUT", "/draft");
    expect(puts).toBeGreaterThanOrEqual(1);
    expect(puts).toBeLessThanOrEqual(2);
    await tick(2000);
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(40);
  });

  it("waits for an open drag to end before writing, so a drag never stalls on a save", async () => {
    const { editor } = open();
    const r = drawRect(editor, 0);
    await tick(2000); // the create is saved
    const putsBefore = server.count("PUT", "/draft");
    const localBefore = (await store.get(USER, TASK))!.document;
    editor.beginInteraction("move");
    for (let i = 1; i <= 10; i++) {
      editor.updateRegions([r.id], (x) => ({ ...x, x: i }) as typeof x, "move");
      await tick(200); // 2 s of dragging
    }
    expect(server.count("PUT", "/draft")).toBe(putsBefore);
    expect((await store.get(USER, TASK))!.document).toEqual(localBefore);
    editor.endInteraction();
    await tick(300);
    const local = (await store.get(USER, TASK))!.document as { regions: Array<{ x: number }> };
    expect(local.regions[0]!.x).toBe(10);
    await tick(1600);
    expect(server.count("PUT", "/draft")).toBe(putsBefore + 1);
    expect((server.draft!.document as { regions: Array<{ x: number }> }).regions[0]!.x).toBe(10);
  });

  it("still saves a very long stroke at most ~5 s behind", async () => {
    const { editor } = open();
    const r = drawRect(editor, 0);
    await tick(2000);
    editor.beginInteraction("move");
    for (let i = 1; i <= 40; i++) {
      editor.updateRegions([r.id], (x) => ({ ...x, x: i }) as typeof x, "move");
      await tick(200); // 8 s without letting go
    }
    const local = (await store.get(USER, TASK))!.document as { regions: Array<{ x: number }> };
    expect(local.regions[0]!.x).toBeGreaterThan(10);
    editor.endInteraction();
  });

  it("ignores selection and UI-only changes", async () => {
    const r = drawRect(new Editor({ schema }), 0);
    const { editor, autosave } = open({ ...emptyRecovered(), document: { version: 1, regions: [r], classifications: {}, relations: [] } });
    editor.select([r.id]);
    editor.setTool("rect");
    editor.setImageSize(10, 10);
    await tick(3000);
    expect(server.calls).toHaveLength(0);
    expect(await store.get(USER, TASK)).toBeNull();
    expect(autosave.state.kind).toBe("clean");
  });

  it("sends nothing when edits are undone back to what the server has", async () => {
    const { editor, autosave } = open();
    drawRect(editor, 0);
    editor.undo();
    await tick(2000);
    expect(server.count("PUT", "/draft")).toBe(0);
    expect(autosave.state.kind).toBe("saved");
  });
});

describe("autosave: network errors", () => {
  it("goes offline with backoff, keeps the draft locally and replays it when the network returns", async () => {
    const { editor, autosave } = open();
    server.mode = "offline";
    drawRect(editor, 0);
    await tick(1600);
    expect(autosave.state.kind).toBe("offline");
    const s = autosave.state as { kind: "offline"; since: number; retryAt: number };
    expect(s.retryAt - Date.now()).toBeLessThanOrEqual(1000);
    drawRect(editor, 50);
    await tick(300);
    const local = await store.get(USER, TASK);
    expect(local?.document.regions).toHaveLength(2);
    expect(local?.synced).toBe(false);
    // Backoff: 1 s, 2 s, 4 s ... still offline, nothing reached the server.
    await tick(8000);
    expect(autosave.state.kind).toBe("offline");
    expect(server.calls).toHaveLength(0);
    server.mode = "ok";
    win.dispatchEvent(new Event("online")); // retried at once, not at the next backoff step
    await tick(0);
    expect(server.count("PUT", "/draft")).toBe(1);
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(2);
    expect(autosave.state.kind).toBe("saved");
    expect((await store.get(USER, TASK))?.synced).toBe(true);
  });

  it("retries by itself on the backoff timer, and treats a 500 as transient", async () => {
    const { editor, autosave } = open();
    server.mode = "error500";
    drawRect(editor, 0);
    await tick(1600);
    expect(autosave.state.kind).toBe("offline");
    server.mode = "ok";
    await tick(1000);
    expect(autosave.state.kind).toBe("saved");
    expect(server.draft).not.toBeNull();
  });

  it("survives a reload while offline: the new page replays the local draft", async () => {
    const first = open();
    server.mode = "offline";
    drawRect(first.editor, 0);
    drawRect(first.editor, 40);
    await tick(2000);
    first.autosave.dispose(); // the tab reloads
    server.mode = "ok";
    const rec = await reload();
    expect(rec).toMatchObject({ source: "local-draft", replayed: true });
    expect(rec.document.regions).toHaveLength(2);
    const second = open(rec);
    await tick(0);
    expect(server.count("PUT", "/draft")).toBe(1); // pushed at once, no edit needed
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(2);
    expect(second.autosave.state.kind).toBe("saved");
    expect((await store.get(USER, TASK))?.synced).toBe(true); // no longer counts as unsent
  });
});

describe("autosave: expired session", () => {
  it("keeps the draft on 401, stops retrying, and replays after signing in again", async () => {
    const { editor, autosave } = open();
    server.mode = "signed-out";
    drawRect(editor, 0);
    await tick(1600);
    expect(autosave.state.kind).toBe("signed-out");
    const attempts = server.calls.length;
    drawRect(editor, 30);
    await tick(60_000);
    expect(server.calls.length).toBe(attempts); // no hammering with an expired session
    expect((await store.get(USER, TASK))?.document.regions).toHaveLength(2);
    server.mode = "ok"; // signed in again in another tab
    win.dispatchEvent(new Event("focus"));
    await tick(0);
    expect(autosave.state.kind).toBe("saved");
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(2);
  });

  it("replays after a reload and sign-in (new instance over the same store)", async () => {
    const first = open();
    server.mode = "signed-out";
    drawRect(first.editor, 0);
    await tick(1600);
    first.autosave.dispose();
    server.mode = "ok";
    const second = open(await reload());
    await tick(0);
    expect(second.autosave.state.kind).toBe("saved");
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(1);
  });

  it("retries on an explicit saveNow and when the tab becomes visible", async () => {
    const { editor, autosave } = open();
    server.mode = "signed-out";
    drawRect(editor, 0);
    await tick(1600);
    server.mode = "ok";
    doc.visibilityState = "visible";
    doc.dispatchEvent(new Event("visibilitychange"));
    await tick(0);
    expect(autosave.state.kind).toBe("saved");
    server.mode = "signed-out";
    drawRect(editor, 40);
    await tick(1600);
    expect(autosave.state.kind).toBe("signed-out");
    server.mode = "ok";
    await autosave.saveNow();
    expect(autosave.state.kind).toBe("saved");
    expect((server.draft!.document as { regions: unknown[] }).regions).toHaveLength(2);
  });
});

describe("autosave: other errors and page hide", () => {
  it("shows a 422 with its field and keeps the draft", async () => {
    const { editor, autosave } = open();
    const bad = vi.spyOn(editor, "toDocument").mockReturnValue({ regions: "nope" } as never);
    drawRect(editor, 0);
    await tick(1600);
    expect(autosave.state).toMatchObject({ kind: "error", code: "invalid", field: "document.regions" });
    bad.mockRestore();
    drawRect(editor, 10);
    await tick(1600);
    expect(autosave.state.kind).toBe("saved");
  });

  it("flushes with keepalive when the page is hidden", async () => {
    const { editor } = open();
    drawRect(editor, 0);
    doc.visibilityState = "hidden";
    doc.dispatchEvent(new Event("visibilitychange"));
    await tick(0);
    expect(server.calls.at(-1)).toMatchObject({ method: "PUT", keepalive: true });
    expect((await store.get(USER, TASK))?.synced).toBe(true);
  });

  it("never saves when read-only", async () => {
    const { editor, autosave } = open(emptyRecovered(), true);
    drawRect(editor, 0);
    await tick(5000);
    await autosave.saveNow();
    expect(server.calls).toHaveLength(0);
    expect(await store.get(USER, TASK)).toBeNull();
    expect((await autosave.submit({ status: "submitted" })).ok).toBe(false);
  });
});

describe("autosave: submit", () => {
  it("creates the annotation, then updates it by revision, deleting the local draft only after success", async () => {
    const { editor, autosave } = open();
    drawRect(editor, 0);
    await tick(300);
    server.mode = "offline";
    const failed = await autosave.submit({ status: "submitted", leadTime: 12 });
    expect(failed.ok).toBe(false);
    expect(await store.get(USER, TASK)).not.toBeNull(); // a failed submit keeps the work
    server.mode = "ok";
    const ok = await autosave.submit({ status: "submitted", leadTime: 12 });
    expect(ok).toMatchObject({ ok: true, annotation: { id: 1, revision: 1 } });
    await settle();
    expect(await store.get(USER, TASK)).toBeNull();
    expect(autosave.state.kind).toBe("clean");
    expect(autosave.editTarget).toEqual({ annotationId: 1, revision: 1 });
    expect(server.calls.find((c) => c.method === "POST")?.body).toMatchObject({ status: "submitted", leadTime: 12 });
    // Later edits go to the same annotation, drafts name it as their base.
    drawRect(editor, 100);
    await tick(1600);
    expect(server.draft).toMatchObject({ annotationId: 1, baseRevision: 1 });
    const again = await autosave.submit({ status: "skipped", skipReason: "blurry" });
    expect(again).toMatchObject({ ok: true, annotation: { id: 1, revision: 2, status: "skipped" } });
    expect(server.calls.at(-1)).toMatchObject({ method: "PUT", url: "/api/v1/annotations/1", body: { revision: 1, skipReason: "blurry" } });
  });

  it("keeps the local draft when an edit lands while the submit is in flight", async () => {
    const { editor, autosave } = open();
    drawRect(editor, 0);
    let release!: () => void;
    server.gate = new Promise((r) => (release = r));
    const pending = autosave.submit({ status: "submitted" });
    await settle();
    drawRect(editor, 60); // made during the request: not part of what the server acknowledged
    server.gate = null;
    release();
    const r = await pending;
    expect(r.ok).toBe(true);
    await tick(300);
    const local = await store.get(USER, TASK);
    expect(local?.document.regions).toHaveLength(2);
    expect(autosave.state.kind).not.toBe("clean");
    await tick(1600);
    expect(server.draft).toMatchObject({ annotationId: 1, baseRevision: 1 });
  });
});

describe("autosave: conflicts", () => {
  async function conflicted() {
    const base = server.save(1, 1, { regions: [] });
    const rec = await reload(base);
    const opened = open(rec);
    // Someone (another tab, a reviewer) saves revision 2 meanwhile.
    server.save(1, 2, { regions: [{ id: "theirs", kind: "rect", label: "person", x: 1, y: 1, width: 5, height: 5, rotation: 0 }] });
    drawRect(opened.editor, 0);
    const r = await opened.autosave.submit({ status: "submitted" });
    expect(r.ok).toBe(false);
    expect(opened.autosave.state).toMatchObject({ kind: "conflict", server: { id: 1, revision: 2 } });
    // Nothing was overwritten, and my version is still kept locally.
    expect((server.annotations.get(1)!.document as { regions: Array<{ id: string }> }).regions[0]!.id).toBe("theirs");
    expect((await store.get(USER, TASK))?.document.regions).toHaveLength(1);
    return opened;
  }

  it("409 -> conflict -> reload loads the server's version", async () => {
    const { editor, autosave } = await conflicted();
    await autosave.resolveConflict("reload");
    expect(editor.getRegions().map((r) => r.id)).toEqual(["theirs"]);
    expect(autosave.editTarget).toEqual({ annotationId: 1, revision: 2 });
    expect(autosave.state.kind).toBe("saved");
    // The drafts now hold the server's version, so a later visit does not bring mine back.
    expect((server.draft!.document as { regions: Array<{ id: string }> }).regions.map((r) => r.id)).toEqual(["theirs"]);
    expect((await reload(server.annotations.get(1)!)).document.regions.map((r) => r.id)).toEqual(["theirs"]);
  });

  it("409 -> conflict -> keep-mine re-submits over the current revision", async () => {
    const { editor, autosave } = await conflicted();
    await autosave.resolveConflict("keep-mine");
    const saved = server.annotations.get(1)!;
    expect(saved.revision).toBe(3);
    expect((saved.document as { regions: unknown[] }).regions).toHaveLength(1);
    expect(editor.getRegions()).toHaveLength(1);
    expect(autosave.editTarget).toEqual({ annotationId: 1, revision: 3 });
    expect(autosave.state.kind).toBe("clean");
    await settle();
    expect(await store.get(USER, TASK)).toBeNull();
  });

  it("a replayed draft with no base revision asks instead of overwriting", async () => {
    // The draft was started on a new annotation; meanwhile one was submitted from another device.
    const first = open();
    drawRect(first.editor, 0);
    await tick(300);
    first.autosave.dispose();
    const theirs = server.save(1, 1, { regions: [] });
    const rec = await reload({ ...theirs, updatedAt: theirs.updatedAt - 60_000 });
    expect(rec).toMatchObject({ source: "local-draft", target: { annotationId: 1, revision: null } });
    const second = open(rec);
    const r = await second.autosave.submit({ status: "submitted" });
    expect(r.ok).toBe(false);
    expect(second.autosave.state.kind).toBe("conflict");
    expect(server.count("PUT", "/annotations/1")).toBe(0);
  });
});

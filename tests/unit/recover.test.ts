import { describe, it, expect, beforeEach } from "vitest";
import { MemoryDraftStore } from "@/components/editor/persistence/draft-store";
import { recoverDocument, type RecoverInput } from "@/components/editor/persistence/recover";
import type { LocalDraft, ServerAnnotation, ServerDraft } from "@/components/editor/persistence/types";

const rect = (id: string, label = "car") => ({ id, kind: "rect" as const, label, x: 1, y: 1, width: 5, height: 5, rotation: 0 });
const docOf = (...ids: string[]) => ({ version: 1, regions: ids.map((i) => rect(i)), classifications: {}, relations: [] });
const ids = (r: { document: { regions: Array<{ id: string }> } }) => r.document.regions.map((x) => x.id);

let store: MemoryDraftStore;
beforeEach(() => {
  store = new MemoryDraftStore();
});

const ann = (over: Partial<ServerAnnotation> = {}): ServerAnnotation => ({
  id: 3, taskId: 1, userId: 2, status: "submitted", skipReason: null, revision: 4, document: docOf("ann"), updatedAt: 10_000, ...over,
});
const sdraft = (over: Partial<ServerDraft> = {}): ServerDraft => ({ document: docOf("server"), annotationId: 3, baseRevision: 4, updatedAt: 20_000, ...over });
const local = (over: Partial<LocalDraft> = {}): LocalDraft => ({
  userId: 2, taskId: 1, document: docOf("local"), target: { annotationId: 3, revision: 4 }, updatedAt: 30_000, synced: false, ...over,
});
const input = (over: Partial<RecoverInput> = {}): RecoverInput => ({
  taskId: 1, userId: 2, target: { annotationId: 3, revision: 4 }, serverDraft: null, annotation: null, store, ...over,
});

describe("recoverDocument", () => {
  it("opens an empty document when there is nothing", async () => {
    const r = await recoverDocument(input({ target: { annotationId: null, revision: null } }));
    expect(r).toMatchObject({ source: "empty", replayed: false, target: { annotationId: null, revision: null } });
    expect(r.document.regions).toEqual([]);
  });

  it("opens the annotation at its revision", async () => {
    const r = await recoverDocument(input({ annotation: ann() }));
    expect(r).toMatchObject({ source: "annotation", target: { annotationId: 3, revision: 4 } });
    expect(ids(r)).toEqual(["ann"]);
  });

  it("prefers a server draft saved after the annotation, and the annotation when it is newer", async () => {
    const newer = await recoverDocument(input({ annotation: ann(), serverDraft: sdraft() }));
    expect(newer).toMatchObject({ source: "server-draft", replayed: false, target: { annotationId: 3, revision: 4 } });
    const older = await recoverDocument(input({ annotation: ann({ updatedAt: 25_000, revision: 5 }), serverDraft: sdraft() }));
    expect(older.source).toBe("annotation");
    expect(older.target.revision).toBe(5);
  });

  it("replays an unsynced local draft newer than the server's copies", async () => {
    await store.put(local());
    const r = await recoverDocument(input({ annotation: ann(), serverDraft: sdraft() }));
    expect(r).toMatchObject({ source: "local-draft", replayed: true, target: { annotationId: 3, revision: 4 } });
    expect(ids(r)).toEqual(["local"]);
  });

  it("trusts the last-acknowledged server time over a skewed local clock", async () => {
    // This browser's clock runs far behind the server's, but the server draft is the one it last synced.
    await store.put(local({ updatedAt: 5, serverUpdatedAt: 20_000 }));
    const r = await recoverDocument(input({ annotation: ann(), serverDraft: sdraft() }));
    expect(r.source).toBe("local-draft");
    // The server draft changed since (another device): the newer clock decides.
    const r2 = await recoverDocument(input({ annotation: ann(), serverDraft: sdraft({ updatedAt: 25_000 }) }));
    expect(r2.source).toBe("server-draft");
  });

  it("marks an unsynced local draft synced when the newer server draft holds the same work", async () => {
    await store.put(local({ document: docOf("same"), updatedAt: 15_000, serverUpdatedAt: 1_000 }));
    const r = await recoverDocument(input({ serverDraft: sdraft({ document: docOf("same") }) }));
    expect(r).toMatchObject({ source: "server-draft", replayed: false });
    expect(await store.get(2, 1)).toMatchObject({ synced: true, serverUpdatedAt: 20_000 });
  });

  it("uses the server draft, not a synced local copy, when both exist", async () => {
    await store.put(local({ synced: true, updatedAt: 99_000 }));
    const r = await recoverDocument(input({ serverDraft: sdraft() }));
    expect(r.source).toBe("server-draft");
  });

  it("still offers a draft whose base revision is stale (submit will 409 and ask)", async () => {
    await store.put(local({ target: { annotationId: 3, revision: 2 }, updatedAt: 30_000 }));
    const r = await recoverDocument(input({ annotation: ann({ revision: 4, updatedAt: 10_000 }) }));
    expect(r).toMatchObject({ source: "local-draft", replayed: true, target: { annotationId: 3, revision: 2 } });
  });

  it("gives a draft started before the annotation existed no base revision", async () => {
    await store.put(local({ target: { annotationId: null, revision: null } }));
    const r = await recoverDocument(input({ annotation: ann() }));
    expect(r).toMatchObject({ source: "local-draft", target: { annotationId: 3, revision: null } });
  });

  it("ignores a draft for another annotation (it stays in the store)", async () => {
    await store.put(local({ target: { annotationId: 99, revision: 1 } }));
    const r = await recoverDocument(input({ annotation: ann() }));
    expect(r.source).toBe("annotation");
    expect(await store.get(2, 1)).not.toBeNull();
  });

  it("loads regions whose label the schema no longer has (parsed without the schema)", async () => {
    await store.put(local({ document: { version: 1, regions: [rect("old", "label-removed-since")], classifications: { gone: ["x"] }, relations: [] } }));
    const r = await recoverDocument(input());
    expect(r.document.regions[0]).toMatchObject({ id: "old", label: "label-removed-since" });
    expect(r.document.classifications).toEqual({ gone: ["x"] });
  });

  it("skips a corrupt copy and falls back to the next", async () => {
    await store.put(local({ document: { regions: [{ id: "x", kind: "rect", x: "NaN" }] } as never }));
    const r = await recoverDocument(input({ annotation: ann(), serverDraft: sdraft({ document: { regions: "no" } }) }));
    expect(r.source).toBe("annotation");
  });

  it("works without a local store", async () => {
    const broken = { get: () => Promise.reject(new Error("closed")) } as unknown as MemoryDraftStore;
    const r = await recoverDocument(input({ store: broken, serverDraft: sdraft() }));
    expect(r.source).toBe("server-draft");
  });

  it("keeps a new annotation's draft apart from drafts for existing ones", async () => {
    await store.put(local({ target: { annotationId: 3, revision: 4 } }));
    const r = await recoverDocument(input({ target: { annotationId: null, revision: null } }));
    expect(r.source).toBe("empty");
  });

  it("pushes a synced local draft again when the server has lost everything", async () => {
    await store.put(local({ synced: true, target: { annotationId: null, revision: null } }));
    const r = await recoverDocument(input({ target: { annotationId: null, revision: null } }));
    expect(r).toMatchObject({ source: "local-draft", replayed: true });
  });
});

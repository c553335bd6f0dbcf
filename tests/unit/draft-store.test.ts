import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, it, expect } from "vitest";
import { MemoryDraftStore, openDraftStore, type DraftStore } from "@/components/editor/persistence/draft-store";
import type { LocalDraft } from "@/components/editor/persistence/types";

const doc = (n: number) => ({
  version: 1,
  regions: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, kind: "rect" as const, label: "car", x: i, y: 0, width: 5, height: 5, rotation: 0 })),
  classifications: {},
  relations: [],
});
const draft = (userId: number, taskId: number, over: Partial<LocalDraft> = {}): LocalDraft => ({
  userId, taskId, document: doc(1), target: { annotationId: null, revision: null }, updatedAt: 1000, synced: false, ...over,
});

async function contract(store: DraftStore) {
  expect(await store.get(1, 10)).toBeNull();
  await store.put(draft(1, 10, { document: doc(2) }));
  await store.put(draft(2, 10, { synced: true }));
  await store.put(draft(1, 11));
  expect((await store.get(1, 10))?.document.regions).toHaveLength(2);
  expect((await store.get(2, 10))?.synced).toBe(true);
  // Keyed by (user, task): one user's draft never shows up for another.
  expect((await store.listUnsynced(1)).map((d) => d.taskId).sort()).toEqual([10, 11]);
  expect(await store.listUnsynced(2)).toEqual([]);
  expect(await store.listUnsynced()).toHaveLength(2);
  // put replaces; returned drafts are copies.
  await store.put(draft(1, 10, { document: doc(3), updatedAt: 2000 }));
  const got = (await store.get(1, 10))!;
  got.document.regions.length = 0;
  expect((await store.get(1, 10))?.document.regions).toHaveLength(3);
  // A conditional delete keeps a draft written after the cut-off (an edit during a submit).
  await store.delete(1, 10, 1999);
  expect(await store.get(1, 10)).not.toBeNull();
  await store.delete(1, 10, 2000);
  expect(await store.get(1, 10)).toBeNull();
  await store.delete(1, 11);
  expect(await store.get(1, 11)).toBeNull();
  expect(await store.get(2, 10)).not.toBeNull();
}

describe("draft store", () => {
  it("keeps drafts in IndexedDB by (userId, taskId)", async () => {
    const store = await openDraftStore(new IDBFactory());
    expect(store.persistent).toBe(true);
    await contract(store);
  });

  it("stores the document as one JSON string (cheap to clone), and still reads older records", async () => {
    const idb = new IDBFactory();
    const store = await openDraftStore(idb);
    await store.put(draft(3, 30, { document: doc(4) }));
    const raw = async (u: number, t: number) => {
      const db = await new Promise<IDBDatabase>((res, rej) => { const r = idb.open("loupe-drafts"); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      return new Promise<Record<string, unknown>>((res) => { const g = db.transaction("drafts").objectStore("drafts").get([u, t]); g.onsuccess = () => { res(g.result); db.close(); }; });
    };
    const rec = await raw(3, 30);
    expect(typeof rec.documentJson).toBe("string");
    expect(rec.document).toBeUndefined();
    expect(JSON.parse(rec.documentJson as string).regions).toHaveLength(4);
    // A JSON the writer already made is stored as given.
    const d = doc(2);
    await store.put(draft(3, 31, { document: d, documentJson: JSON.stringify(d) }));
    expect((await store.get(3, 31))?.document).toEqual(d);
    // A record from before (document as an object) still reads.
    const db = await new Promise<IDBDatabase>((res) => { const r = idb.open("loupe-drafts"); r.onsuccess = () => res(r.result); });
    await new Promise<void>((res) => { const tx = db.transaction("drafts", "readwrite"); tx.objectStore("drafts").put(draft(3, 32, { document: doc(5) })); tx.oncomplete = () => res(); });
    db.close();
    expect((await store.get(3, 32))?.document.regions).toHaveLength(5);
    expect((await store.listUnsynced(3)).map((x) => x.document.regions.length).sort()).toEqual([2, 4, 5]);
  });

  it("persists across connections (a reload opens the database again)", async () => {
    const idb = new IDBFactory();
    await (await openDraftStore(idb)).put(draft(7, 70));
    const again = await openDraftStore(idb);
    expect((await again.get(7, 70))?.document.regions).toHaveLength(1);
  });

  it("falls back to memory, and says so, without IndexedDB", async () => {
    const store = await openDraftStore(null);
    expect(store).toBeInstanceOf(MemoryDraftStore);
    expect(store.persistent).toBe(false);
    expect(store.reason).toMatch(/memory/);
    await contract(store);
  });

  it("falls back to memory when IndexedDB refuses to open (private mode)", async () => {
    const broken = { open: () => { throw new DOMException("The operation is insecure.", "SecurityError"); } } as unknown as IDBFactory;
    const store = await openDraftStore(broken);
    expect(store.persistent).toBe(false);
    expect(store.reason).toMatch(/insecure/);
  });

  it("falls back when the open request fails", async () => {
    const failing = {
      open: () => {
        const req = { onsuccess: null, onerror: null as null | (() => void), onupgradeneeded: null, error: new DOMException("disk full", "UnknownError") };
        queueMicrotask(() => req.onerror?.());
        return req;
      },
    } as unknown as IDBFactory;
    const store = await openDraftStore(failing);
    expect(store.persistent).toBe(false);
    expect(store.reason).toMatch(/disk full/);
  });
});

// The browser's copy of unsubmitted work: one LocalDraft per (userId, taskId) in IndexedDB, so a
// network blip, an expired session or a closed tab never loses an edit. Where IndexedDB is missing
// or refuses to open (some private modes), an in-memory store stands in and says so
// (`persistent: false`) so the shell can warn that a reload would lose unsent work.
import type { LocalDraft } from "./types";

export interface DraftStore {
  /** False for the in-memory fallback: drafts survive network errors but not a reload. */
  readonly persistent: boolean;
  /** Why the fallback is in use (for a tooltip), when it is. */
  readonly reason?: string;
  get(userId: number, taskId: number): Promise<LocalDraft | null>;
  put(draft: LocalDraft): Promise<void>;
  /**
   * Delete the draft; with `ifNotNewerThan`, only if its updatedAt is not after that time, so an
   * edit made (in another tab, say) while a submit was in flight is never thrown away.
   */
  delete(userId: number, taskId: number, ifNotNewerThan?: number): Promise<void>;
  /** Drafts the server has not acknowledged, for one user or everyone. */
  listUnsynced(userId?: number): Promise<LocalDraft[]>;
}

const DB_NAME = "loupe-drafts";
const STORE = "drafts";
const VERSION = 1;

const key = (userId: number, taskId: number): [number, number] => [userId, taskId];

/** Structured clone drops nothing we keep, but copying stops callers mutating a stored draft. */
const copy = (d: LocalDraft): LocalDraft => structuredClone(d);

export class MemoryDraftStore implements DraftStore {
  readonly persistent = false;
  private readonly drafts = new Map<string, LocalDraft>();
  constructor(readonly reason = "IndexedDB is not available; unsent work is kept in memory only.") {}

  async get(userId: number, taskId: number): Promise<LocalDraft | null> {
    const d = this.drafts.get(`${userId}:${taskId}`);
    return d ? copy(d) : null;
  }
  async put(draft: LocalDraft): Promise<void> {
    this.drafts.set(`${draft.userId}:${draft.taskId}`, copy(draft));
  }
  async delete(userId: number, taskId: number, ifNotNewerThan?: number): Promise<void> {
    const k = `${userId}:${taskId}`;
    const d = this.drafts.get(k);
    if (d && (ifNotNewerThan === undefined || d.updatedAt <= ifNotNewerThan)) this.drafts.delete(k);
  }
  async listUnsynced(userId?: number): Promise<LocalDraft[]> {
    return [...this.drafts.values()].filter((d) => !d.synced && (userId === undefined || d.userId === userId)).map(copy);
  }
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error("IndexedDB request failed"));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

/**
 * How a draft sits in IndexedDB: the document as a JSON string. Cloning one string into the
 * database is a copy; cloning 5,000 polygons' nested arrays took ~200 ms of main thread per write.
 * Records written before this (with `document`) still read.
 */
type StoredDraft = Omit<LocalDraft, "document"> & { document?: LocalDraft["document"] };

function toStored(d: LocalDraft): StoredDraft {
  const { document, ...rest } = d;
  return { ...rest, documentJson: d.documentJson ?? JSON.stringify(document) };
}
function fromStored(s: StoredDraft): LocalDraft {
  const { documentJson: json, document, ...rest } = s;
  return { ...rest, document: json !== undefined ? (JSON.parse(json) as LocalDraft["document"]) : document! };
}

export class IdbDraftStore implements DraftStore {
  readonly persistent = true;
  constructor(private readonly db: IDBDatabase) {
    // Another tab upgrading the schema must not be blocked by us forever.
    db.onversionchange = () => db.close();
  }

  async get(userId: number, taskId: number): Promise<LocalDraft | null> {
    const tx = this.db.transaction(STORE, "readonly");
    const d = (await request(tx.objectStore(STORE).get(key(userId, taskId)))) as StoredDraft | undefined;
    return d ? fromStored(d) : null;
  }

  async put(draft: LocalDraft): Promise<void> {
    const tx = this.db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(toStored(draft));
    await done(tx);
  }

  async delete(userId: number, taskId: number, ifNotNewerThan?: number): Promise<void> {
    // Read and delete in one transaction, so a put from another tab cannot slip in between.
    const tx = this.db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    const r = store.get(key(userId, taskId));
    r.onsuccess = () => {
      const d = r.result as StoredDraft | undefined;
      if (d && (ifNotNewerThan === undefined || d.updatedAt <= ifNotNewerThan)) store.delete(key(userId, taskId));
    };
    await done(tx);
  }

  async listUnsynced(userId?: number): Promise<LocalDraft[]> {
    const tx = this.db.transaction(STORE, "readonly");
    const range = userId === undefined ? undefined : IDBKeyRange.bound([userId, -Infinity], [userId, Infinity]);
    const all = (await request(tx.objectStore(STORE).getAll(range))) as StoredDraft[];
    return all.filter((d) => !d.synced).map(fromStored);
  }
}

/** Open the IndexedDB store, or fall back to memory (and say why) when that is impossible. */
export async function openDraftStore(factory?: IDBFactory | null): Promise<DraftStore> {
  // undefined: the browser's; null: none (tests, or a caller that knows it is unavailable).
  const idb = factory === undefined ? globalThis.indexedDB : factory;
  if (!idb) return new MemoryDraftStore();
  try {
    const open = idb.open(DB_NAME, VERSION);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: ["userId", "taskId"] });
    };
    // A blocked or hung open (another tab mid-upgrade, a broken profile) must not stall the editor.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const db = await Promise.race([
      request(open),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("IndexedDB did not open in time")), 5000))),
    ]).finally(() => clearTimeout(timer));
    return new IdbDraftStore(db);
  } catch (e) {
    return new MemoryDraftStore(`IndexedDB could not be opened (${(e as Error)?.message ?? "unknown error"}); unsent work is kept in memory only.`);
  }
}

let shared: Promise<DraftStore> | null = null;

/** One store per page: every editor instance shares the connection. */
export function sharedDraftStore(): Promise<DraftStore> {
  shared ??= openDraftStore();
  return shared;
}

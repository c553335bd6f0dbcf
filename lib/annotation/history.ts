// Undo/redo as a stack of diffs, not snapshots (the idea of tldraw's HistoryManager).
// A document of 200k regions must not be copied per keystroke: an entry only holds the records
// that changed, before and after. `mark(name)` starts an undo step; every change recorded until
// the next mark squashes into that one entry, so a whole drag or a batch of accepted predictions
// undoes in one go. History never touches the document itself: the owner applies diffs through
// the `apply` callback (undo hands it the inverse diff, redo the forward one).

/** Per record id: what was added (after), removed (before) and updated ([before, after]). */
export interface RecordsDiff<T> {
  added: Map<string, T>;
  removed: Map<string, T>;
  updated: Map<string, [T, T]>;
}

/** One undoable change: regions and relations by id, classifications by name (undefined = unset). */
export interface DocumentDiff<R, L> {
  regions: RecordsDiff<R>;
  relations: RecordsDiff<L>;
  classifications: Map<string, [string[] | undefined, string[] | undefined]>;
}

export const emptyRecordsDiff = <T>(): RecordsDiff<T> => ({ added: new Map(), removed: new Map(), updated: new Map() });

export const emptyDiff = <R, L>(): DocumentDiff<R, L> => ({
  regions: emptyRecordsDiff(),
  relations: emptyRecordsDiff(),
  classifications: new Map(),
});

const recordsEmpty = (d: RecordsDiff<unknown>) => d.added.size === 0 && d.removed.size === 0 && d.updated.size === 0;

export const isEmptyDiff = (d: DocumentDiff<unknown, unknown>): boolean =>
  recordsEmpty(d.regions) && recordsEmpty(d.relations) && d.classifications.size === 0;

/** Fold `next` (which happened after `into`) into `into`, in place: the net change of both. */
export function squashRecords<T>(into: RecordsDiff<T>, next: RecordsDiff<T>): void {
  for (const [id, after] of next.added) {
    const before = into.removed.get(id);
    if (before !== undefined) {
      // Removed then re-added in one step: to the outside it is an update.
      into.removed.delete(id);
      into.updated.set(id, [before, after]);
    } else into.added.set(id, after);
  }
  for (const [id, [before, after]] of next.updated) {
    if (into.added.has(id)) into.added.set(id, after);
    else {
      const prev = into.updated.get(id);
      into.updated.set(id, [prev ? prev[0] : before, after]);
    }
  }
  for (const [id, before] of next.removed) {
    if (into.added.delete(id)) continue; // added and removed within one step: no net change
    const prev = into.updated.get(id);
    if (prev) {
      into.updated.delete(id);
      into.removed.set(id, prev[0]);
    } else into.removed.set(id, before);
  }
}

export function squashDiff<R, L>(into: DocumentDiff<R, L>, next: DocumentDiff<R, L>): void {
  squashRecords(into.regions, next.regions);
  squashRecords(into.relations, next.relations);
  for (const [name, [before, after]] of next.classifications) {
    const prev = into.classifications.get(name);
    into.classifications.set(name, [prev ? prev[0] : before, after]);
  }
}

const invertRecords = <T>(d: RecordsDiff<T>): RecordsDiff<T> => ({
  added: new Map(d.removed),
  removed: new Map(d.added),
  updated: new Map([...d.updated].map(([id, [b, a]]) => [id, [a, b] as [T, T]])),
});

export const invertDiff = <R, L>(d: DocumentDiff<R, L>): DocumentDiff<R, L> => ({
  regions: invertRecords(d.regions),
  relations: invertRecords(d.relations),
  classifications: new Map([...d.classifications].map(([n, [b, a]]) => [n, [a, b]])),
});

export interface HistoryEntry<R, L> {
  name: string;
  diff: DocumentDiff<R, L>;
}

export interface HistoryOptions<R, L> {
  /** Applies a diff to the owner's document. Must not call `record` (undo/redo are not new changes). */
  apply: (diff: DocumentDiff<R, L>) => void;
  /** Oldest entries are dropped beyond this many undo steps. */
  maxDepth?: number;
}

export const DEFAULT_HISTORY_DEPTH = 500;

export class History<R, L> {
  private undos: HistoryEntry<R, L>[] = [];
  private redos: HistoryEntry<R, L>[] = [];
  /** Name of the step the next recorded change starts; null = squash into the open entry. */
  private pendingMark: string | null = "change";
  /** The entry recording is squashing into (the top of `undos`), if it is still open. */
  private open: HistoryEntry<R, L> | null = null;
  private readonly apply: (diff: DocumentDiff<R, L>) => void;
  readonly maxDepth: number;

  constructor(opts: HistoryOptions<R, L>) {
    this.apply = opts.apply;
    this.maxDepth = Math.max(1, opts.maxDepth ?? DEFAULT_HISTORY_DEPTH);
  }

  /** Start a new undo step: changes recorded from now on squash into one entry called `name`. */
  mark(name: string): void {
    this.pendingMark = name;
    this.open = null;
  }

  /** Record a change the owner has already applied. Any new change makes redo impossible. */
  record(diff: DocumentDiff<R, L>): void {
    if (isEmptyDiff(diff)) return;
    this.redos = [];
    if (this.open && this.pendingMark === null) {
      squashDiff(this.open.diff, diff);
      return;
    }
    // Copy so later squashing never mutates a diff the caller still holds.
    const entry: HistoryEntry<R, L> = { name: this.pendingMark ?? "change", diff: emptyDiff() };
    squashDiff(entry.diff, diff);
    this.undos.push(entry);
    if (this.undos.length > this.maxDepth) this.undos.splice(0, this.undos.length - this.maxDepth);
    this.open = entry;
    this.pendingMark = null;
  }

  /** Revert and forget the changes recorded since the last mark (a cancelled drag). */
  bail(): boolean {
    const entry = this.open;
    if (!entry || this.pendingMark !== null) return false;
    this.undos.pop();
    this.open = null;
    this.pendingMark = "change";
    if (!isEmptyDiff(entry.diff)) this.apply(invertDiff(entry.diff));
    return true;
  }

  canUndo(): boolean {
    return this.undos.some((e) => !isEmptyDiff(e.diff));
  }

  canRedo(): boolean {
    return this.redos.length > 0;
  }

  /** Undo the latest step; returns its name, or null when there is nothing to undo. */
  undo(): string | null {
    let entry = this.undos.pop();
    // A step can squash to nothing (draw then delete within one mark); skip those silently.
    while (entry && isEmptyDiff(entry.diff)) entry = this.undos.pop();
    this.closeAfterTravel();
    if (!entry) return null;
    this.apply(invertDiff(entry.diff));
    this.redos.push(entry);
    return entry.name;
  }

  redo(): string | null {
    const entry = this.redos.pop();
    this.closeAfterTravel();
    if (!entry) return null;
    this.apply(entry.diff);
    this.undos.push(entry);
    return entry.name;
  }

  /** Forget everything (a freshly loaded document has no past). */
  clear(): void {
    this.undos = [];
    this.redos = [];
    this.closeAfterTravel();
  }

  /** Names of the undo steps, oldest first (for a history panel and tests). */
  get undoNames(): string[] {
    return this.undos.filter((e) => !isEmptyDiff(e.diff)).map((e) => e.name);
  }

  get redoNames(): string[] {
    return this.redos.map((e) => e.name).reverse();
  }

  private closeAfterTravel(): void {
    // After undo/redo an unmarked change must not squash into an entry that has moved stacks.
    this.open = null;
    this.pendingMark = "change";
  }
}

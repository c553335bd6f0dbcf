// The editor's plumbing: state, change notification and undo. Every document change is a diff
// that goes through one path (commit -> apply -> record), so undo/redo replay the same code and
// listeners learn exactly which region ids changed. The commands are in editor.ts.
import { emptyLabelConfig, type DataType, type LabelConfig, type LabelDef } from "../labeling-config/schema";
import type { Clip, Relation } from "./clipboard";
import type { AnnotationDocument, SchemaView } from "./document";
import { EditorError, SchemaRules, randomId, type RegionInput } from "./editor-schema";
import { DocumentStore, type EditorDiff, type Slot } from "./editor-store";
import { History, isEmptyDiff } from "./history";
import { regionSchemas, type Region, type RegionKindName } from "./regions";
import { segmentExtentIssue } from "./regions/segment";

export interface EditorChange {
  /** The editor's version after this change. */
  version: number;
  /** Region ids added, removed or updated (redraw these). */
  regions: ReadonlySet<string>;
  /** Everything was replaced (load): redraw all. */
  reset: boolean;
  selection: boolean;
  /** Classifications or relations changed. */
  document: boolean;
  /** Tool, current label, image size or a tool's state/preview changed. */
  ui: boolean;
}
export type EditorListener = (change: EditorChange) => void;

export interface EditorOptions {
  schema?: LabelConfig;
  dataType?: DataType;
  /** Kinds the project allows; defaults to toolsFor(schema, dataType). */
  allowedKinds?: readonly string[];
  width?: number;
  height?: number;
  /** Text projects: the text's length in code points; spans must end within it. */
  textLength?: number;
  document?: AnnotationDocument;
  historyDepth?: number;
  /** Id generator (tests pass a counter); defaults to short random strings. */
  newId?: () => string;
}

export type SelectMode = "replace" | "add" | "toggle";

export class EditorCore {
  readonly rules: SchemaRules;
  protected w: number;
  protected h: number;
  /** Code-point length of the annotated text, or null when not a text editor. */
  readonly textLength: number | null;
  protected readonly store = new DocumentStore();
  protected selection = new Set<string>();
  private readonly history: History<Slot<Region>, Slot<Relation>>;
  private readonly listeners = new Set<EditorListener>();
  private pending = { regions: new Set<string>(), reset: false, selection: false, document: false, ui: false };
  private hold = 0; // >0: changes squash into the current undo step instead of starting their own
  private quiet = 0; // >0: notifications wait for the end of a batch
  private interactionName: string | null = null;
  protected clip: Clip | null = null;
  private readonly makeId: () => string;
  private _version = 0;
  private _tool = "select";
  private _label: string | null;

  constructor(opts: EditorOptions = {}) {
    this.rules = new SchemaRules(opts.schema ?? emptyLabelConfig(), opts.dataType ?? "image", opts.allowedKinds);
    this.w = opts.width ?? 0;
    this.h = opts.height ?? 0;
    this.textLength = opts.textLength ?? null;
    this.makeId = opts.newId ?? randomId;
    this._label = this.rules.config.labels[0]?.name ?? null;
    this.history = new History({ apply: (d) => this.apply(d), maxDepth: opts.historyDepth });
    if (opts.document) this.load(opts.document);
  }

  // ---- store protocol ------------------------------------------------------------------------

  get version(): number {
    return this._version;
  }
  readonly getVersion = (): number => this._version;

  readonly subscribe = (listener: EditorListener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Tell subscribers that UI state (a tool's preview, say) changed; no document change. */
  touch(): void {
    this.pending.ui = true;
    this.flush();
  }

  // ---- reading ------------------------------------------------------------------------------

  get width(): number {
    return this.w;
  }
  get height(): number {
    return this.h;
  }
  get regionCount(): number {
    return this.store.size;
  }
  getRegion(id: string): Region | undefined {
    return this.store.slot(id)?.value;
  }
  /** All regions bottom to top (cached until the next change; treat as read-only). */
  getRegions(): readonly Region[] {
    return this.store.ordered();
  }
  getRelations(): Relation[] {
    return this.store.relationList();
  }
  getClassifications(): Record<string, string[]> {
    return this.store.classificationRecord();
  }
  get selectedIds(): ReadonlySet<string> {
    return this.selection;
  }
  getSelectedRegions(): Region[] {
    return [...this.selection].flatMap((id) => this.store.slot(id)?.value ?? []);
  }
  get toolId(): string {
    return this._tool;
  }
  get currentLabel(): string | null {
    return this._label;
  }
  labelDef(name: string | null = this._label): LabelDef | undefined {
    return name == null ? undefined : this.rules.label(name);
  }
  labelForHotkey(key: string): LabelDef | undefined {
    return this.rules.labelForHotkey(key);
  }
  /** Whether a region of `kind` labelled `label` may be created (tools ask before drawing). */
  canCreate(kind: string, label: string | null = this._label): boolean {
    return this.rules.refusal(kind, label) === null;
  }
  schemaView(): SchemaView {
    return this.rules.view();
  }

  // ---- UI state (not undoable) --------------------------------------------------------------

  setTool(id: string): void {
    if (id === this._tool) return;
    this._tool = id;
    this.touch();
  }
  setCurrentLabel(name: string | null): void {
    if (name !== null && !this.rules.label(name)) throw new EditorError("unknown-label", `unknown label "${name}"`);
    if (name === this._label) return;
    this._label = name;
    this.touch();
  }
  setImageSize(width: number, height: number): void {
    this.w = width;
    this.h = height;
    this.touch();
  }

  select(ids: Iterable<string>, mode: SelectMode = "replace"): void {
    const next = mode === "replace" ? new Set<string>() : new Set(this.selection);
    for (const id of ids) {
      const r = this.store.slot(id)?.value;
      if (!r || r.hidden) continue; // you cannot act on what you cannot see
      if (mode === "toggle" && next.has(id)) next.delete(id);
      else next.add(id);
    }
    this.setSelection(next);
  }
  selectAll(): void {
    this.select(this.store.ids());
  }
  clearSelection(): void {
    this.setSelection(new Set());
  }
  protected setSelection(next: Set<string>): void {
    if (next.size === this.selection.size && [...next].every((id) => this.selection.has(id))) return;
    this.selection = next;
    this.pending.selection = true;
    this.flush();
  }

  // ---- undo steps ---------------------------------------------------------------------------

  undo(): boolean {
    this.endInteraction();
    return this.history.undo() !== null;
  }
  redo(): boolean {
    this.endInteraction();
    return this.history.redo() !== null;
  }
  canUndo(): boolean {
    return this.history.canUndo();
  }
  canRedo(): boolean {
    return this.history.canRedo();
  }
  get undoNames(): string[] {
    return this.history.undoNames;
  }

  /** Run fn as one undo step with one notification; if fn throws, its changes are reverted. */
  batch<T>(name: string, fn: () => T): T {
    const outer = this.hold === 0;
    if (outer) this.history.mark(name);
    this.hold++;
    this.quiet++;
    try {
      return fn();
    } catch (e) {
      if (outer) this.history.bail();
      throw e;
    } finally {
      this.hold--;
      this.quiet--;
      this.flush();
    }
  }

  /** Start a gesture (drag, stroke): everything until end/cancel is one undo step. */
  beginInteraction(name: string): void {
    this.endInteraction();
    this.history.mark(name);
    this.interactionName = name;
    this.hold++;
  }
  endInteraction(): void {
    if (this.interactionName === null) return;
    this.interactionName = null;
    this.hold--;
    // Views that held back during the gesture (panels, autosave) catch up now.
    this.pending.ui = true;
    this.flush();
  }
  /** Revert everything the current gesture changed (Escape mid-drag). */
  cancelInteraction(): void {
    if (this.interactionName === null) return;
    this.history.bail();
    this.endInteraction();
  }
  get interaction(): string | null {
    return this.interactionName;
  }

  // ---- whole document -----------------------------------------------------------------------

  /** The native document, regions bottom to top. */
  toDocument(): AnnotationDocument {
    return this.store.toDocument();
  }

  /** Replace the document (already parsed); selection and history start empty. */
  load(doc: AnnotationDocument): void {
    const old = this.store.load(doc);
    this.selection = new Set();
    this.clip = null;
    this.history.clear();
    this.endInteraction();
    for (const id of [...old, ...this.store.ids()]) this.pending.regions.add(id);
    Object.assign(this.pending, { reset: true, selection: true, document: true });
    this.flush();
  }

  // ---- internals ----------------------------------------------------------------------------

  protected newId(taken?: ReadonlySet<string> | ReadonlyMap<string, unknown>): string {
    for (;;) {
      const id = this.makeId();
      if (!this.store.has(id) && !taken?.has(id)) {
        if (taken instanceof Set) taken.add(id);
        return id;
      }
    }
  }

  protected validateNew(input: RegionInput, taken: ReadonlyMap<string, unknown>): Region {
    const refusal = this.rules.regionRefusal(input);
    if (refusal) throw refusal;
    const id = input.id ?? this.newId(taken);
    if (this.store.has(id) || taken.has(id)) throw new EditorError("duplicate-id", `region id "${id}" is taken`);
    const schema = regionSchemas[input.kind as RegionKindName];
    const p = schema.safeParse({ ...input, id, origin: input.origin ?? "manual" });
    if (!p.success) throw new EditorError("invalid-region", p.error.issues[0]?.message ?? "invalid region");
    this.checkExtent(p.data as Region);
    return p.data as Region;
  }

  /**
   * Regions must lie inside the media (the server refuses them otherwise, with the same rules):
   * spans inside the text; segments inside the duration (the editor's width, in seconds).
   */
  protected checkExtent(r: Region): void {
    if (r.kind === "span" && this.textLength !== null && r.end > this.textLength) {
      throw new EditorError("invalid-region", `the span ends at ${r.end}, past the end of the text (${this.textLength})`);
    }
    if (r.kind === "segment") {
      const extent = segmentExtentIssue(r, this.w);
      if (extent) throw new EditorError("invalid-region", extent.message);
    }
  }

  protected commit(d: EditorDiff, name: string): void {
    if (isEmptyDiff(d)) return;
    if (this.hold === 0) this.history.mark(name);
    this.apply(d);
    this.history.record(d);
  }

  /** Apply a diff (forward, or inverted by undo). The one place the document changes. */
  private apply(d: EditorDiff): void {
    const { ids, document } = this.store.apply(d);
    for (const id of ids) this.pending.regions.add(id);
    if (document) this.pending.document = true;
    // Selection follows the document: gone or hidden regions drop out of it.
    let kept: Set<string> | null = null;
    for (const id of this.selection) {
      if (!ids.has(id)) continue;
      const r = this.store.slot(id)?.value;
      if (!r || r.hidden) (kept ??= new Set(this.selection)).delete(id);
    }
    if (kept) {
      this.selection = kept; // a new Set, so readers holding the old one see a change
      this.pending.selection = true;
    }
    this.flush();
  }

  private flush(): void {
    if (this.quiet > 0) return;
    const p = this.pending;
    if (!p.regions.size && !p.reset && !p.selection && !p.document && !p.ui) return;
    this.pending = { regions: new Set(), reset: false, selection: false, document: false, ui: false };
    this._version++;
    const change: EditorChange = { version: this._version, ...p };
    for (const l of [...this.listeners]) l(change);
  }
}

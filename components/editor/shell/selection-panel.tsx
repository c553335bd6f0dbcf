"use client";
// The selected region(s): change the label, fill in the label's attributes, lock/hide/delete,
// restack, and relate to another region. Text and number fields commit on blur or Enter, so one
// edit is one undo step rather than one per keystroke.
import type { Editor } from "@/lib/annotation/editor";
import { EditorError } from "@/lib/annotation/editor";
import type { Region } from "@/lib/annotation/regions";
import type { LabelDef } from "@/lib/labeling-config/schema";
import { useEditorRegions, useEditorSelection } from "../use-editor";
import { btn, checkbox, cx } from "@/components/ui/styles";
import { regionLabels, regionTitle } from "./region-sort";

type Attr = NonNullable<LabelDef["attributes"]>[number];
const field = "block w-full rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20 disabled:bg-slate-50";
/** The relate-to list stays usable on documents with thousands of regions. */
const MAX_RELATE_OPTIONS = 500;

export function SelectionPanel({
  editor, readOnly, flagged, onError, relateTo = true, stacking = true,
}: {
  editor: Editor;
  readOnly: boolean;
  flagged: ReadonlySet<string>;
  onError(message: string): void;
  /** Offer the "Relate to…" region list (the text editor relates by shift-click + Alt+R). */
  relateTo?: boolean;
  /** Offer "To front" / "To back" (meaningless where regions do not stack). */
  stacking?: boolean;
}) {
  // Re-render on document and selection changes only (not on every preview frame while drawing).
  useEditorRegions(editor, "after-paint");
  useEditorSelection(editor, "after-paint");
  const sel = editor.getSelectedRegions();
  if (sel.length === 0) return null;
  const ids = sel.map((r) => r.id);
  const first = sel[0]!;
  const labelsOf = new Set(sel.map((r) => regionLabels(r)[0] ?? ""));
  const sameLabel = labelsOf.size === 1 ? [...labelsOf][0]! : null;
  const def = sameLabel ? editor.labelDef(sameLabel) : undefined;
  const locked = sel.every((r) => r.locked);
  const anyFlagged = sel.some((r) => flagged.has(r.id));
  // Labels that every selected region's kind may carry.
  const choices = editor.rules.config.labels.filter((l) => sel.every((r) => editor.rules.refusal(r.kind, l.name) === null));

  const run = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      onError(e instanceof EditorError ? e.message : String(e));
    }
  };

  return (
    <section aria-labelledby="sel-h" className="border-b border-slate-200 px-3 py-3" data-testid="selection-panel">
      <h2 id="sel-h" className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        {sel.length === 1 ? `Selected ${first.kind}` : `${sel.length} regions selected`}
      </h2>
      {anyFlagged && (
        <p className="mb-2 rounded border border-amber-200 bg-amber-50 px-2 py-1 text-xs text-amber-900">
          Label removed from the project — pick a new label below.
        </p>
      )}
      <label className="mb-2 block text-xs text-slate-600">
        Label
        <select
          className={cx(field, "mt-0.5", anyFlagged && "border-amber-400")}
          data-testid="selection-label"
          value={sameLabel !== null && choices.some((c) => c.name === sameLabel) ? sameLabel : ""}
          disabled={readOnly || locked}
          onChange={(e) => run(() => (e.target.value ? editor.setLabel(ids, e.target.value) : undefined))}
        >
          <option value="">{sameLabel === null ? "(mixed)" : sameLabel === "" ? "(no label)" : `${sameLabel} (removed)`}</option>
          {choices.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name}
              {l.hotkey ? ` (${l.hotkey})` : ""}
            </option>
          ))}
        </select>
      </label>
      {def?.attributes?.length ? (
        <div className="mb-2 space-y-2">
          {def.attributes.map((a) => (
            <AttributeField key={`${a.name}:${ids.length}:${ids[0]}:${ids[ids.length - 1]}`} attr={a} regions={sel} disabled={readOnly || locked} onSet={(v) => run(() => editor.setAttributes(ids, { [a.name]: v }))} />
          ))}
        </div>
      ) : null}
      {sel.length === 1 && !readOnly && relateTo && <RelateTo editor={editor} from={first} run={run} />}
      <div className="mt-2 flex flex-wrap gap-1">
        <button type="button" className={btn.small} disabled={readOnly} data-testid="selection-lock" onClick={() => editor.toggleLocked(ids)}>
          {locked ? "Unlock" : "Lock"}
        </button>
        <button type="button" className={btn.small} disabled={readOnly} data-testid="selection-hide" onClick={() => editor.toggleHidden(ids)}>
          Hide
        </button>
        {stacking && (
          <>
            <button type="button" className={btn.small} disabled={readOnly} data-testid="bring-front" onClick={() => editor.bringToFront(ids)}>
              To front
            </button>
            <button type="button" className={btn.small} disabled={readOnly} data-testid="send-back" onClick={() => editor.sendToBack(ids)}>
              To back
            </button>
          </>
        )}
        <button type="button" className={btn.smallDanger} disabled={readOnly || locked} data-testid="selection-delete" onClick={() => editor.deleteRegions(ids)}>
          Delete
        </button>
      </div>
    </section>
  );
}

/** The value the selection shows: shared by all, else undefined (mixed); absent means the default. */
function sharedValue(regions: readonly Region[], a: Attr): unknown {
  const vals = regions.map((r) => r.attributes?.[a.name] ?? a.default);
  return vals.every((v) => v === vals[0]) ? vals[0] : undefined;
}

function AttributeField({ attr: a, regions, disabled, onSet }: { attr: Attr; regions: readonly Region[]; disabled: boolean; onSet(v: unknown): void }) {
  const value = sharedValue(regions, a);
  const id = `attr-${a.name}`;
  const title = (
    <>
      {a.name}
      {a.required && <span className="text-rose-600"> *</span>}
    </>
  );
  if (a.type === "checkbox") {
    return (
      <label className="flex items-center gap-2 text-xs text-slate-700">
        <input type="checkbox" className={checkbox} data-testid={id} checked={value === true} disabled={disabled} onChange={(e) => onSet(e.target.checked)} />
        {title}
      </label>
    );
  }
  if (a.type === "select") {
    return (
      <label className="block text-xs text-slate-600">
        {title}
        <select className={cx(field, "mt-0.5")} data-testid={id} value={typeof value === "string" ? value : ""} disabled={disabled} onChange={(e) => onSet(e.target.value || undefined)}>
          <option value="">—</option>
          {a.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const commit = (raw: string) => {
    if (a.type === "number") {
      if (raw.trim() === "") return onSet(undefined);
      const n = Number(raw);
      if (Number.isFinite(n) && n !== value) onSet(n);
    } else if (raw !== (value ?? "")) onSet(raw === "" ? undefined : raw);
  };
  return (
    <label className="block text-xs text-slate-600">
      {title}
      <input
        key={String(value)}
        type={a.type === "number" ? "number" : "text"}
        className={cx(field, "mt-0.5")}
        data-testid={id}
        defaultValue={value === undefined || value === null ? "" : String(value)}
        placeholder={value === undefined && regions.length > 1 ? "(mixed)" : ""}
        disabled={disabled}
        onBlur={(e) => commit(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit(e.currentTarget.value);
        }}
      />
    </label>
  );
}

function RelateTo({ editor, from, run }: { editor: Editor; from: Region; run(fn: () => void): void }) {
  const all = editor.getRegions();
  if (all.length < 2) return null;
  return (
    <label className="mb-2 block text-xs text-slate-600">
      Relate to…
      <select
        className={cx(field, "mt-0.5")}
        data-testid="relate-to"
        value=""
        onChange={(e) => {
          const to = e.target.value;
          if (to) run(() => void editor.addRelation(from.id, to));
        }}
      >
        <option value="">Pick a region</option>
        {all.slice(0, MAX_RELATE_OPTIONS).map((r, i) =>
          r.id === from.id ? null : (
            <option key={r.id} value={r.id}>
              {regionTitle(r, i)}
            </option>
          ),
        )}
      </select>
    </label>
  );
}

"use client";
// "?" lists every shortcut in one place: the tools, the editor's own, this project's label
// hotkeys, and the shell's (submit, save, navigation, zoom).
import type { Editor } from "@/lib/annotation/editor";
import { EDITOR_SHORTCUTS, availableTools } from "@/lib/annotation/tools";
import { kbd } from "@/components/ui/styles";
import { Modal } from "./modal";

export const SHELL_SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: "Ctrl+Enter", action: "Submit (or update) the annotation" },
  { keys: "Ctrl+S", action: "Save the draft now" },
  { keys: "N", action: "Next task" },
  { keys: "Alt+← / Alt+→", action: "Previous / next task by id (managers and reviewers)" },
  { keys: "Alt+R", action: "Relate the two selected regions" },
  { keys: "F", action: "Fit the image to the view" },
  { keys: "O", action: "Actual pixels (1:1)" },
  { keys: "+ / -", action: "Zoom in / out" },
  { keys: "Space+drag", action: "Pan" },
  { keys: "Shift+click (list)", action: "Add a region to the selection" },
  { keys: "?", action: "Show this list" },
];

function Keys({ keys }: { keys: string }) {
  return (
    <span className="flex flex-wrap gap-1">
      {keys.split(" / ").map((k) => (
        <kbd key={k} className={kbd}>
          {k}
        </kbd>
      ))}
    </span>
  );
}

function Table({ title, rows }: { title: string; rows: ReadonlyArray<{ keys: string; action: string }> }) {
  if (rows.length === 0) return null;
  return (
    <section className="mb-4 break-inside-avoid">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <table className="w-full text-xs">
        <tbody>
          {rows.map((r) => (
            <tr key={r.keys + r.action} className="border-t border-slate-100">
              <td className="w-40 py-1 pr-2 align-top">
                <Keys keys={r.keys} />
              </td>
              <td className="py-1 text-slate-700">{r.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The task-level shortcuts without the image view's (fit, 1:1, zoom, pan), for other editors. */
export const SHELL_TASK_SHORTCUTS = SHELL_SHORTCUTS.filter((r) => !["F", "O", "+ / -", "Space+drag"].includes(r.keys));

export type ShortcutRows = ReadonlyArray<{ keys: string; action: string }>;
export type ShortcutSection = { title: string; rows: ShortcutRows };

/**
 * Without `sections`: the image editor's list (tools, labels, task, editing). Other editors pass
 * their own sections; labels are added, and the task shortcuts unless a section is titled "Task".
 */
export function HelpOverlay({ editor, onClose, sections, extraSections }: { editor: Editor; onClose(): void; sections?: ReadonlyArray<ShortcutSection>; /** Added after the image editor's own list (no effect with `sections`). */ extraSections?: ReadonlyArray<ShortcutSection> }) {
  const tools = availableTools(editor).map((t) => ({ keys: t.hotkey.toUpperCase(), action: t.title }));
  const labels = editor.rules.config.labels.filter((l) => l.hotkey).map((l) => ({ keys: l.hotkey!, action: `Label “${l.name}” (also relabels the selection)` }));
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} wide testId="help-overlay">
      <div className="gap-6 md:columns-2">
        {sections ? (
          <>
            <Table title="Labels" rows={labels} />
            {sections.map((s) => (
              <Table key={s.title} title={s.title} rows={s.rows} />
            ))}
            {!sections.some((s) => s.title === "Task") && <Table title="Task" rows={SHELL_TASK_SHORTCUTS} />}
          </>
        ) : (
          <>
            <Table title="Tools" rows={tools} />
            <Table title="Labels" rows={labels} />
            <Table title="Task" rows={SHELL_SHORTCUTS} />
            <Table title="Editing" rows={EDITOR_SHORTCUTS} />
            {extraSections?.map((s) => (
              <Table key={s.title} title={s.title} rows={s.rows} />
            ))}
          </>
        )}
      </div>
      <p className="mt-2 text-xs text-slate-500">
        Label hotkeys win over tool letters. Press <kbd className={kbd}>Esc</kbd> to close.
      </p>
    </Modal>
  );
}

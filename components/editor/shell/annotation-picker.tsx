"use client";
// Reviewers and managers see every annotation of the task; this picks which one is shown.
// "mine" is the user's own work (existing or new); the others open read-only until "Fix".
import type { ServerAnnotation } from "../persistence/types";
import { formatDateTime } from "@/components/ui/format";

export type PickerValue = number | "mine";

export function AnnotationPicker({
  annotations, userId, names, value, onChange, canLabel,
}: {
  annotations: readonly ServerAnnotation[];
  userId: number;
  names: Readonly<Record<number, string>>;
  value: PickerValue;
  onChange(v: PickerValue): void;
  canLabel: boolean;
}) {
  const others = annotations.filter((a) => a.userId !== userId);
  if (others.length === 0) return null;
  const mine = annotations.find((a) => a.userId === userId);
  const who = (a: ServerAnnotation) => (a.userId === null ? "deleted user" : (names[a.userId] ?? `user #${a.userId}`));
  return (
    <label className="flex items-center gap-1.5 text-xs text-slate-500">
      Annotation
      <select
        data-testid="annotation-picker"
        value={String(value)}
        onChange={(e) => onChange(e.target.value === "mine" ? "mine" : Number(e.target.value))}
        className="max-w-56 rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs text-slate-800"
      >
        {(mine || canLabel) && <option value="mine">{mine ? `Mine (#${mine.id}, rev ${mine.revision})` : "Mine (new)"}</option>}
        {others.map((a) => (
          <option key={a.id} value={a.id}>
            #{a.id} by {who(a)} · {a.status} · rev {a.revision} · {formatDateTime(a.updatedAt)}
          </option>
        ))}
      </select>
    </label>
  );
}

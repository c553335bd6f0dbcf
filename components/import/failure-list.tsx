import type { ImportFailure } from "./upload-queue";

/** Failures exactly as the server reported them: file, line and message. */
export function FailureList({ failures, max = 200 }: { failures: ImportFailure[]; max?: number }) {
  if (failures.length === 0) return null;
  return (
    <ul className="mt-1.5 max-h-60 space-y-0.5 overflow-auto rounded border border-rose-100 bg-rose-50/60 px-2.5 py-1.5 font-mono text-xs text-rose-800">
      {failures.slice(0, max).map((f, i) => (
        <li key={i} className="break-words">
          {f.file && <span className="font-semibold">{f.file}</span>}
          {f.line !== undefined && (
            <span className="font-semibold">
              {f.file ? ", " : ""}line {f.line}
            </span>
          )}
          {(f.file || f.line !== undefined) && ": "}
          {f.message}
        </li>
      ))}
      {failures.length > max && <li className="italic">…and {failures.length - max} more</li>}
    </ul>
  );
}

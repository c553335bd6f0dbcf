"use client";
// A secret shown exactly once (API token, webhook signing secret): a read-only field, Copy (falls
// back to selecting the text where the clipboard API is unavailable, e.g. plain http) and Done.
import { useState } from "react";
import { btn, cx, input } from "./styles";

export function OneTimeSecret({
  id, secret, fieldLabel, title, children, footer, testId, onDone,
}: {
  /** The input's id (also what Copy selects when the clipboard is unavailable). */
  id: string;
  secret: string;
  /** Screen-reader label of the field. */
  fieldLabel: string;
  title: string;
  /** The explanation under the title. */
  children: React.ReactNode;
  /** A hint under the field (how to use the secret). */
  footer: React.ReactNode;
  testId?: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4" role="status" data-testid={testId}>
      <h3 className="text-sm font-semibold text-amber-900">{title}</h3>
      <p className="mt-1 text-sm text-amber-900">{children}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          {fieldLabel}
        </label>
        <input
          id={id}
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className={cx(input, "min-w-0 flex-1 font-mono text-xs")}
          data-testid={testId ? `${testId}-value` : undefined}
        />
        <button
          type="button"
          className={btn.primary}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              (document.getElementById(id) as HTMLInputElement | null)?.select();
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className={btn.secondary} onClick={onDone}>
          Done
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-800">{footer}</p>
    </div>
  );
}

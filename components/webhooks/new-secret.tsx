"use client";
// The only moment a webhook's full secret is visible: copy it into the receiver's config.
import { useState } from "react";
import { btn, cx, input } from "../ui/styles";

export function NewSecret({ secret, url, onDone }: { secret: string; url: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4" role="status" data-testid="webhook-secret">
      <h3 className="text-sm font-semibold text-amber-900">Copy the signing secret now</h3>
      <p className="mt-1 text-sm text-amber-900">
        Deliveries to <span className="break-all font-mono text-xs">{url}</span> are signed with this secret. It is shown only this once; later you see its first characters.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor="webhook-secret-value" className="sr-only">
          Webhook signing secret
        </label>
        <input
          id="webhook-secret-value"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className={cx(input, "min-w-0 flex-1 font-mono text-xs")}
          data-testid="webhook-secret-value"
        />
        <button
          type="button"
          className={btn.primary}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              // No clipboard on plain http: select the text so the user can copy it by hand.
              (document.getElementById("webhook-secret-value") as HTMLInputElement | null)?.select();
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className={btn.secondary} onClick={onDone}>
          Done
        </button>
      </div>
      <p className="mt-2 text-xs text-amber-800">
        Verify each request: <code className="rounded bg-amber-100 px-1">X-Loupe-Signature</code> is{" "}
        <code className="rounded bg-amber-100 px-1">sha256=HMAC-SHA256(secret, timestamp + &quot;.&quot; + body)</code>; see the API docs, &ldquo;Webhooks&rdquo;.
      </p>
    </div>
  );
}

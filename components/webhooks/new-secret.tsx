"use client";
// The only moment a webhook's full secret is visible: copy it into the receiver's config.
import { OneTimeSecret } from "../ui/one-time-secret";

export function NewSecret({ secret, url, rotated, onDone }: { secret: string; url: string; rotated?: boolean; onDone: () => void }) {
  return (
    <OneTimeSecret
      id="webhook-secret-value"
      testId="webhook-secret"
      secret={secret}
      fieldLabel="Webhook signing secret"
      title={rotated ? "Copy the new signing secret now" : "Copy the signing secret now"}
      onDone={onDone}
      footer={
        <>
          Verify each request: <code className="rounded bg-amber-100 px-1">X-Loupe-Signature</code> is{" "}
          <code className="rounded bg-amber-100 px-1">sha256=HMAC-SHA256(secret, timestamp + &quot;.&quot; + body)</code>; see the API docs, &ldquo;Webhooks&rdquo;.
        </>
      }
    >
      {rotated ? (
        <>
          From now on deliveries to <span className="break-all font-mono text-xs">{url}</span> are signed with this new secret; the old one no longer verifies, so
          update your receiver. It is shown only this once.
        </>
      ) : (
        <>
          Deliveries to <span className="break-all font-mono text-xs">{url}</span> are signed with this secret. It is shown only this once; later you see its first
          characters.
        </>
      )}
    </OneTimeSecret>
  );
}

"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { btn, input, labelText } from "./ui/styles";
import { Notice } from "./ui/notice";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!res || res.error || !res.ok) {
        setError("Invalid email or password");
        setBusy(false);
        return;
      }
      // A full navigation so the server components see the new session cookie.
      window.location.assign(callbackUrl);
    } catch {
      setError("Could not reach the server. Try again.");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && <Notice>{error}</Notice>}
      <div>
        <label htmlFor="email" className={labelText}>
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required autoFocus className={`${input} mt-1`} />
      </div>
      <div>
        <label htmlFor="password" className={labelText}>
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={`${input} mt-1`} />
      </div>
      <button type="submit" className={`${btn.primary} w-full`} disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

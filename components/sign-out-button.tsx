"use client";
import { useState } from "react";
import { signOut } from "next-auth/react";
import { btn } from "./ui/styles";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={btn.secondary}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/login" });
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { sessionActor } from "@/lib/auth/actor";
import { LoginForm } from "@/components/login-form";
import { LoupeLogo } from "@/components/ui/icons";
import { safeCallback } from "@/components/ui/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallback(sp.callbackUrl);
  if (await sessionActor()) redirect(callbackUrl);
  return (
    <div className="flex min-h-screen items-center justify-center bg-gradient-to-b from-indigo-50 to-slate-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-2 text-center">
          <LoupeLogo width={40} height={40} />
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sign in to Loupe</h1>
          <p className="text-sm text-slate-500">Open-source data labelling for images, text, audio and video.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm callbackUrl={callbackUrl} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">No account? Ask your Loupe administrator to create one.</p>
      </div>
    </div>
  );
}

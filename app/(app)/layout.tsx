import { AppShell } from "@/components/app-shell";
import { currentActor } from "@/components/server/guards";

export const dynamic = "force-dynamic";

// Pages redirect to /login themselves (they know their own path for callbackUrl);
// without a session the shell just renders no navigation.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  const user = actor ? { email: actor.user.email, name: actor.user.name, isAdmin: actor.user.isAdmin } : null;
  return <AppShell user={user}>{children}</AppShell>;
}

// The top bar every signed-in page shares. Server component: the user comes from the session.
import Link from "next/link";
import { LoupeLogo } from "./ui/icons";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export interface ShellUser {
  email: string;
  name: string;
  isAdmin: boolean;
}

export function AppShell({ user, children }: { user: ShellUser | null; children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4 sm:px-6">
          <Link href="/projects" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900" aria-label="Loupe home">
            <LoupeLogo />
            <span className="text-lg">Loupe</span>
          </Link>
          {user && (
            <NavLinks
              links={[
                { href: "/projects", label: "Projects", also: ["/tasks"] },
                ...(user.isAdmin ? [{ href: "/admin/users", label: "Users" }] : []),
                { href: "/account/tokens", label: "API tokens" },
              ]}
            />
          )}
          {user && (
            <div className="ml-auto flex items-center gap-3">
              <span className="hidden max-w-56 truncate text-sm text-slate-600 sm:inline" title={user.name}>
                {user.email}
              </span>
              {user.isAdmin && <span className="hidden rounded bg-violet-50 px-1.5 py-0.5 text-[11px] font-medium text-violet-700 sm:inline">Admin</span>}
              <SignOutButton />
            </div>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6">
        {children}
      </main>
      <footer className="border-t border-slate-200 py-4 text-center text-xs text-slate-400">Loupe · open-source data labelling</footer>
    </div>
  );
}

"use client";
// Client only to know the current path, so the active section is highlighted.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "./ui/styles";

export function NavLinks({ links }: { links: Array<{ href: string; label: string; also?: string[] }> }) {
  const path = usePathname() ?? "";
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {links.map((l) => {
        const active = [l.href, ...(l.also ?? [])].some((h) => path === h || path.startsWith(h + "/"));
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}

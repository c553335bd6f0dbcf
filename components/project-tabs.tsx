"use client";
// Client only for the active-tab highlight.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "./ui/styles";

export function ProjectTabs({ base, tabs }: { base: string; tabs: Array<{ slug: string; label: string }> }) {
  const path = usePathname() ?? "";
  return (
    <nav aria-label="Project sections" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((t) => {
        const href = t.slug ? `${base}/${t.slug}` : base;
        const active = t.slug ? path === href || path.startsWith(href + "/") : path === base;
        return (
          <Link
            key={t.slug}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium",
              active ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800",
            )}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}

"use client";
// Filter and page-size controls for the task table. The URL is the state: changing a control
// rewrites the search params (and resets to page 1) so links and reloads keep the view.
import { useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { btn, cx, select } from "./ui/styles";

export interface FilterOptions {
  annotators: Array<{ value: string; label: string }>;
  labels: string[];
}

export function TaskFilters({ options }: { options: FilterOptions }) {
  const router = useRouter();
  const path = usePathname();
  const sp = useSearchParams();
  const [pending, start] = useTransition();

  function set(key: string, value: string) {
    const next = new URLSearchParams(sp?.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("page");
    start(() => router.push(`${path}?${next.toString()}`));
  }
  const v = (k: string) => sp?.get(k) ?? "";
  const active = ["status", "annotator", "label"].some((k) => v(k));

  return (
    <div className={cx("flex flex-wrap items-end gap-3", pending && "opacity-70")} aria-busy={pending}>
      <div>
        <label htmlFor="f-status" className="block text-xs font-medium text-slate-600">
          Status
        </label>
        <select id="f-status" className={cx(select, "mt-1 py-1.5")} value={v("status")} onChange={(e) => set("status", e.target.value)}>
          <option value="">Any status</option>
          <option value="new">New</option>
          <option value="in_progress">In progress</option>
          <option value="completed">Completed</option>
        </select>
      </div>
      <div>
        <label htmlFor="f-annotator" className="block text-xs font-medium text-slate-600">
          Annotated by
        </label>
        <select id="f-annotator" className={cx(select, "mt-1 max-w-56 py-1.5")} value={v("annotator")} onChange={(e) => set("annotator", e.target.value)}>
          <option value="">Anyone</option>
          {options.annotators.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-label" className="block text-xs font-medium text-slate-600">
          Has label
        </label>
        <select id="f-label" className={cx(select, "mt-1 max-w-56 py-1.5")} value={v("label")} onChange={(e) => set("label", e.target.value)}>
          <option value="">Any label</option>
          {options.labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {active && (
        <button
          type="button"
          className={btn.ghost}
          onClick={() => {
            const next = new URLSearchParams(sp?.toString());
            ["status", "annotator", "label", "page"].forEach((k) => next.delete(k));
            start(() => router.push(`${path}?${next.toString()}`));
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}

export function PageSizeSelect({ value, sizes }: { value: number; sizes: number[] }) {
  const router = useRouter();
  const path = usePathname();
  const sp = useSearchParams();
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      Rows per page
      <select
        className={cx(select, "py-1")}
        value={value}
        onChange={(e) => {
          const next = new URLSearchParams(sp?.toString());
          next.set("limit", e.target.value);
          next.delete("page");
          router.push(`${path}?${next.toString()}`);
        }}
      >
        {sizes.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

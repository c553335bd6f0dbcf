// Shared Tailwind class strings, so every form control and button looks the same
// without a component library.

export function cx(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}

const btnBase =
  "inline-flex items-center justify-center gap-2 rounded-md text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50";

export const btn = {
  primary: `${btnBase} bg-indigo-600 px-3.5 py-2 text-white shadow-sm hover:bg-indigo-500`,
  secondary: `${btnBase} border border-slate-300 bg-white px-3.5 py-2 text-slate-700 shadow-sm hover:bg-slate-50`,
  danger: `${btnBase} bg-rose-600 px-3.5 py-2 text-white shadow-sm hover:bg-rose-500`,
  ghost: `${btnBase} px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900`,
  small: `${btnBase} border border-slate-300 bg-white px-2.5 py-1 text-xs text-slate-700 hover:bg-slate-50`,
  smallDanger: `${btnBase} border border-rose-200 bg-white px-2.5 py-1 text-xs text-rose-700 hover:bg-rose-50`,
};

export const input =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20 disabled:bg-slate-50";

export const inputInvalid = "border-rose-400 focus:border-rose-500 focus:ring-rose-500/20";

export const select =
  "block rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20";

export const checkbox = "h-4 w-4 rounded border-slate-300 text-indigo-600 accent-indigo-600";

export const labelText = "block text-sm font-medium text-slate-700";

export const card = "rounded-lg border border-slate-200 bg-white shadow-sm";

export const kbd =
  "inline-flex min-w-5 items-center justify-center rounded border border-slate-300 bg-slate-50 px-1 font-mono text-[11px] font-medium text-slate-600";

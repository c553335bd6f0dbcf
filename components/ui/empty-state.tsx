import { cx } from "./styles";

/** Every empty list says what it is and what to do next. */
export function EmptyState({
  icon,
  title,
  children,
  action,
  className,
}: {
  icon?: React.ReactNode;
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cx("flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center", className)}>
      {icon && <div className="mb-3 rounded-full bg-indigo-50 p-3 text-indigo-600">{icon}</div>}
      <h3 className="text-base font-semibold text-slate-900">{title}</h3>
      {children && <div className="mt-1 max-w-md text-sm text-slate-500">{children}</div>}
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}

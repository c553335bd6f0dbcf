"use client";
// A small modal dialog: Escape or the backdrop closes it, focus moves in on open and back out on
// close. The shell turns the canvas keyboard off while one is open, so keys reach the dialog.
import { useEffect, useRef } from "react";
import { cx } from "@/components/ui/styles";

export function Modal({
  title, onClose, children, wide, testId, dismissable = true,
}: {
  title: string;
  onClose(): void;
  children: React.ReactNode;
  wide?: boolean;
  testId?: string;
  /** False for decisions that must be made (a conflict): Escape and the backdrop do nothing. */
  dismissable?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>("[data-autofocus], textarea, input, button");
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && dismissable) {
        e.preventDefault();
        close.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
      before?.focus?.();
    };
  }, [dismissable]);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4" onMouseDown={(e) => dismissable && e.target === e.currentTarget && onClose()}>
      <div ref={box} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} className={cx("max-h-[90vh] w-full overflow-auto rounded-lg bg-white p-5 shadow-xl", wide ? "max-w-3xl" : "max-w-md")}>
        <h2 className="mb-3 text-base font-semibold text-slate-900">{title}</h2>
        {children}
      </div>
    </div>
  );
}

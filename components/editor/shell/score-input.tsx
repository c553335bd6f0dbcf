"use client";
// A suggestion score threshold in [0, 1] (steps of 0.05) for the pre-label bars. Only valid
// values reach `onChange`; Enter or Escape hands the keyboard back to the editor (so Shift+A then
// accepts with the new threshold).
export function ScoreInput({ value, onChange, className, ...rest }: { value: number; onChange(v: number): void; className: string; "data-testid"?: string; "aria-label"?: string }) {
  return (
    <input
      type="number"
      min={0}
      max={1}
      step={0.05}
      value={value}
      className={className}
      data-testid={rest["data-testid"]}
      aria-label={rest["aria-label"]}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === "Escape") e.currentTarget.blur();
      }}
      onChange={(e) => {
        const v = Number(e.target.value);
        if (Number.isFinite(v) && v >= 0 && v <= 1) onChange(v);
      }}
    />
  );
}

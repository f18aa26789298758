import type { InputHTMLAttributes } from "react";

/** A labelled text input; the label is the accessible name. */
export function Field({ label, className, ...rest }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className={`flex flex-col gap-0.5 text-xs text-slate-600 ${className ?? ""}`}>
      <span>{label}</span>
      <input
        {...rest}
        aria-label={label}
        className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
      />
    </label>
  );
}

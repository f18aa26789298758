import clsx from "clsx";
import type { ReactNode } from "react";

export function Tile({
  label,
  value,
  hint,
  tone = "neutral",
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: "neutral" | "warn" | "bad";
}) {
  return (
    <div
      className={clsx(
        "rounded-lg border bg-white p-4",
        tone === "bad" ? "border-red-300" : tone === "warn" ? "border-amber-300" : "border-slate-200",
      )}
    >
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p
        className={clsx(
          "mt-1 text-2xl font-semibold",
          tone === "bad" && "text-red-700",
          tone === "warn" && "text-amber-700",
        )}
      >
        {value}
      </p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

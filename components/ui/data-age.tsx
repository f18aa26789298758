"use client";
import { useEffect, useState } from "react";
import { formatDataAge, formatTime } from "@/lib/shared/format";
import { useHydrated } from "@/lib/hooks/use-hydrated";

/**
 * How old the data on screen is, from the answer's `asOf`, counted up each second. A status the
 * reader can find, not announced on each tick. Nothing before hydration or without `asOf`.
 */
export function DataAge({ asOf, label = "Data age" }: { asOf: number | undefined; label?: string }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!hydrated || asOf === undefined) return null;
  return (
    <span
      role="status"
      aria-live="off"
      aria-label={label}
      title={`Read at ${formatTime(asOf)} (UTC)`}
      className="text-xs text-slate-500"
    >
      {formatDataAge(asOf, now)}
    </span>
  );
}

"use client";
import { formatLocalTime, formatTime } from "@/lib/shared/format";
import { useHydrated } from "@/lib/hooks/use-hydrated";

/**
 * A point in time in the viewer's time zone, with UTC on hover. The server does not know the
 * viewer's zone, so the server render and hydration show UTC and the local time follows.
 */
export function Time({ ms }: { ms: number | null | undefined }) {
  const hydrated = useHydrated();
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return <>—</>;
  const utc = formatTime(ms);
  return (
    <time dateTime={new Date(ms).toISOString()} title={`${utc} (UTC)`}>
      {hydrated ? formatLocalTime(ms) : utc}
    </time>
  );
}

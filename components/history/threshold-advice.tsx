"use client";
import { formatDuration } from "@/lib/format";
import { usePendingProfile } from "@/lib/hooks/use-history";
import { Skeleton } from "@/components/ui/states";
import { adviceVerdict } from "./threshold-advice-data";

/** "Healthy or stuck?": how long messages usually stay pending here, and a suggested threshold. */
export function ThresholdAdvice({ streamKey, group }: { streamKey: string; group: string }) {
  const { data, error, isPending } = usePendingProfile(streamKey, group);
  if (isPending) return <Skeleton className="h-10 w-full" />;
  if (error) return <p className="text-sm text-red-700">Could not load the pending profile: {error.message}</p>;
  const verdict = adviceVerdict(data);
  return (
    <section aria-label="How long messages usually stay pending" className="rounded border border-slate-200 bg-slate-50 p-3 text-sm">
      {data.suggestedStuckAfterMs === null ? (
        <p className="text-slate-600">Not enough history yet to say how long messages usually stay pending ({data.basedOnSamples} samples).</p>
      ) : (
        <>
          <p className="text-slate-800">
            Messages usually stay pending{" "}
            <strong>{data.typicalPendingMs === null ? "— (no acks seen)" : `~${formatDuration(data.typicalPendingMs)}`}</strong>; the oldest
            pending message is typically {formatDuration(data.p50OldestPendingMs)} old (p95 {formatDuration(data.p95OldestPendingMs)}).
          </p>
          <p className="text-slate-800">
            Suggested threshold: <strong>{formatDuration(data.suggestedStuckAfterMs)}</strong> (current {formatDuration(data.currentStuckAfterMs)}).{" "}
            <span className={verdict.tone === "warn" ? "text-amber-700" : "text-slate-600"}>{verdict.text}</span>
          </p>
          <p className="text-xs text-slate-500">From {data.basedOnSamples} samples of this group&apos;s history.</p>
        </>
      )}
    </section>
  );
}

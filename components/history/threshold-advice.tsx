"use client";
import { formatDuration } from "@/lib/shared/format";
import { usePendingProfile } from "@/lib/hooks/use-history";
import { Skeleton } from "@/components/ui/states";
import { adviceBasis, adviceVerdict } from "./threshold-advice-data";

/** "Healthy or stuck?": how long acked messages stayed pending here, and a suggested threshold. */
export function ThresholdAdvice({ streamKey, group }: { streamKey: string; group: string }) {
  const { data, error, isPending } = usePendingProfile(streamKey, group);
  if (isPending) return <Skeleton className="h-10 w-full" />;
  if (error) return <p className="text-sm text-red-700">Could not load the pending profile: {error.message}</p>;
  const verdict = adviceVerdict(data);
  return (
    <section
      aria-label="How long messages usually stay pending"
      className="rounded border border-slate-200 bg-slate-50 p-3 text-sm"
    >
      {data.typicalPendingMs === null ? (
        <p className="text-slate-600">
          No acked messages seen in the history yet, so no advice on how long messages usually stay pending.
        </p>
      ) : (
        <p className="text-slate-800">
          Acked messages usually stayed pending <strong>~{formatDuration(data.typicalPendingMs)}</strong> (p95{" "}
          {formatDuration(data.p95PendingMs)}).
        </p>
      )}
      {data.suggestedStuckAfterMs !== null ? (
        <p className="text-slate-800">
          Suggested threshold: <strong>{formatDuration(data.suggestedStuckAfterMs)}</strong> (current{" "}
          {formatDuration(data.currentStuckAfterMs)}).{" "}
          <span className={verdict.tone === "warn" ? "text-amber-700" : "text-slate-600"}>{verdict.text}</span>
        </p>
      ) : verdict.text ? (
        <p className="text-amber-700">{verdict.text}</p>
      ) : data.typicalPendingMs !== null ? (
        <p className="text-slate-600">
          Too few acked messages to suggest a threshold (current {formatDuration(data.currentStuckAfterMs)}).
        </p>
      ) : null}
      <p className="text-xs text-slate-500">{adviceBasis(data)}</p>
    </section>
  );
}

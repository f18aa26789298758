"use client";
import { Badge } from "@/components/ui/badge";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { useIdleHistogram } from "@/lib/hooks/use-group";
import { BAR_COLORS, BucketChart } from "@/components/ui/bucket-chart";
import { shapeIdleHistogram, type IdleHistogramView } from "./idle-histogram-data";

/** Histogram of pending idle times, with the buckets over the stuck threshold in red. */
export function IdleHistogramCard({ streamKey, group }: { streamKey: string; group: string }) {
  const { data, error, isPending, refetch } = useIdleHistogram(streamKey, group);
  return (
    <section aria-labelledby="idle-histogram-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="idle-histogram-title" className="text-base font-semibold">
        Pending idle times
      </h2>
      {isPending ? (
        <Skeleton className="mt-3 h-48 w-full" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : data.total === 0 ? (
        <EmptyState title="Nothing pending">Every message handed to this group has been acknowledged.</EmptyState>
      ) : (
        <IdleHistogram
          view={shapeIdleHistogram(data.buckets, data.stuckAfterMs, { exact: data.exact, sampled: data.sampled })}
          stuckAfterMs={data.stuckAfterMs}
          total={data.total}
        />
      )}
    </section>
  );
}

function IdleHistogram({
  view,
  stuckAfterMs,
  total,
}: {
  view: IdleHistogramView;
  stuckAfterMs: number;
  total: number;
}) {
  const name = `Histogram of idle times of ${formatNumber(total)} pending messages; stuck threshold ${formatDuration(stuckAfterMs)}`;
  return (
    <figure className="mt-2 space-y-2">
      <figcaption className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: BAR_COLORS.over }} />
          {view.legend}
        </span>
        {view.partlyStuckCount > 0 ? (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: BAR_COLORS.partly }} />
            threshold falls inside this bucket: {formatNumber(view.partlyStuckCount)} may be stuck
          </span>
        ) : null}
        {view.estimateNote ? <Badge tone="warn">{view.estimateNote}</Badge> : null}
      </figcaption>
      <BucketChart
        bars={view.bars.map((b) => ({ ...b, state: b.state === "stuck" ? "over" : b.state }))}
        name={name}
        tableName="Pending messages per idle bucket"
        axis="Idle"
        overWord="stuck"
      />
    </figure>
  );
}

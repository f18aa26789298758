"use client";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge } from "@/components/ui/badge";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { useIdleHistogram } from "@/lib/hooks/use-group";
import { BAR_COLORS, shapeIdleHistogram, type IdleHistogramView } from "./idle-histogram-data";

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
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: BAR_COLORS.stuck }} />
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
      <div role="img" aria-label={name} className="h-52 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={view.bars} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
            <Tooltip formatter={(v) => [formatNumber(Number(v)), "messages"]} />
            <Bar dataKey="count" isAnimationActive={false}>
              {view.bars.map((b) => (
                <Cell key={b.label} fill={BAR_COLORS[b.state]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="w-full text-xs" aria-label="Pending messages per idle bucket">
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="font-medium">
              Idle
            </th>
            {view.bars.map((b) => (
              <th key={b.label} scope="col" className="font-medium">
                {b.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="text-left font-medium text-slate-500">
              Messages
            </th>
            {view.bars.map((b) => (
              <td
                key={b.label}
                className={
                  b.state === "stuck" ? "font-semibold text-red-700" : b.state === "partly" ? "text-amber-700" : ""
                }
              >
                {formatNumber(b.count)}
                {b.state === "stuck" ? " (stuck)" : b.state === "partly" ? " (partly stuck)" : ""}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </figure>
  );
}

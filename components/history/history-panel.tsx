"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import type { HistoryRange, HistoryResponse } from "@/lib/contract/history";
import { ErrorState, TableSkeleton } from "@/components/ui/states";
import { HistoryCharts } from "./history-charts";
import { RangePicker } from "./range-picker";

/** The "History" section shared by the stream and group pages: heading, range picker, charts. */
export function HistoryPanel({
  headingId,
  range,
  onRangeChange,
  query,
  showLength,
}: {
  headingId: string;
  range: HistoryRange;
  onRangeChange: (range: HistoryRange) => void;
  query: UseQueryResult<HistoryResponse>;
  showLength?: boolean;
}) {
  const { data, error, isPending, refetch } = query;
  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          History
        </h2>
        <RangePicker value={range} onChange={onRangeChange} />
      </div>
      {isPending ? (
        <TableSkeleton rows={3} label="Loading history" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : (
        <HistoryCharts data={data} range={range} showLength={showLength} />
      )}
    </section>
  );
}

"use client";
import { useState } from "react";
import type { HistoryRange } from "@/lib/api/history-types";
import { useStreamHistory } from "@/lib/hooks/use-history";
import { ErrorState, TableSkeleton } from "@/components/ui/states";
import { HistoryCharts } from "./history-charts";
import { RangePicker } from "./range-picker";

/** History of a stream (all groups together): mount on the stream page. */
export function StreamHistoryCharts({ streamKey }: { streamKey: string }) {
  const [range, setRange] = useState<HistoryRange>("1h");
  const { data, error, isPending, refetch } = useStreamHistory(streamKey, range);
  return (
    <section aria-labelledby="stream-history-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="stream-history-heading" className="text-lg font-semibold">
          History
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {isPending ? (
        <TableSkeleton rows={3} label="Loading history" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : (
        <HistoryCharts data={data} range={range} showLength />
      )}
    </section>
  );
}

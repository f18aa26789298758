"use client";
import { useState } from "react";
import type { HistoryRange } from "@/lib/api/history-types";
import { useGroupHistory } from "@/lib/hooks/use-history";
import { ErrorState, TableSkeleton } from "@/components/ui/states";
import { HistoryCharts } from "./history-charts";
import { RangePicker } from "./range-picker";

/** History of one consumer group: mount on the group page. */
export function GroupHistoryCharts({ streamKey, group }: { streamKey: string; group: string }) {
  const [range, setRange] = useState<HistoryRange>("1h");
  const { data, error, isPending, refetch } = useGroupHistory(streamKey, group, range);
  return (
    <section aria-labelledby="group-history-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="group-history-heading" className="text-lg font-semibold">
          History
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {isPending ? (
        <TableSkeleton rows={3} label="Loading history" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : (
        <HistoryCharts data={data} range={range} />
      )}
    </section>
  );
}

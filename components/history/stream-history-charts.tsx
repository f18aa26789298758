"use client";
import { useState } from "react";
import type { HistoryRange } from "@/lib/contract/history";
import { useStreamHistory } from "@/lib/hooks/use-history";
import { HistoryPanel } from "./history-panel";

/** History of a stream (all groups together): mount on the stream page. */
export function StreamHistoryCharts({ streamKey }: { streamKey: string }) {
  const [range, setRange] = useState<HistoryRange>("1h");
  const query = useStreamHistory(streamKey, range);
  return (
    <HistoryPanel headingId="stream-history-heading" range={range} onRangeChange={setRange} query={query} showLength />
  );
}

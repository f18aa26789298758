"use client";
import { useState } from "react";
import type { HistoryRange } from "@/lib/contract/history";
import { useGroupHistory } from "@/lib/hooks/use-history";
import { HistoryPanel } from "./history-panel";

/** History of one consumer group: mount on the group page. */
export function GroupHistoryCharts({ streamKey, group }: { streamKey: string; group: string }) {
  const [range, setRange] = useState<HistoryRange>("1h");
  const query = useGroupHistory(streamKey, group, range);
  return <HistoryPanel headingId="group-history-heading" range={range} onRangeChange={setRange} query={query} />;
}

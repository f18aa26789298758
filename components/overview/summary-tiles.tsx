"use client";
import type { OverviewSummary, StreamsIndexInfo } from "@/lib/contract/streams";
import { Skeleton } from "@/components/ui/states";
import { Tile } from "@/components/ui/tile";
import { DataAge } from "@/components/ui/data-age";
import { formatCapped, formatDuration, formatNumber } from "@/lib/shared/format";
import { matchScope, summaryScope } from "./summary-scope";

/**
 * `match`: the filter the numbers cover ("*" for every stream). `index`: the stream index's answer
 * for the same filter, when there is one: the streams tile counts from it, whatever the number of
 * streams (the other tiles sum at most `streamCap` streams and say so).
 */
export function SummaryTiles({
  summary,
  match,
  index,
}: {
  summary: OverviewSummary | undefined;
  match: string;
  index?: Pick<StreamsIndexInfo, "total" | "exact">;
}) {
  if (!summary) {
    return (
      <div role="status" aria-label="Loading summary" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-20 w-full" />
        ))}
      </div>
    );
  }
  const scope = matchScope(match);
  const partial = summaryScope(summary, match);
  return (
    <section aria-label="Summary" className="space-y-1">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {index ? (
          <Tile
            label="Streams"
            value={index.exact ? formatNumber(index.total) : `${formatNumber(index.total)}+`}
            hint={index.exact ? scope : "Streams found so far (still discovering)"}
          />
        ) : (
          <Tile
            label="Streams"
            value={summary.complete ? formatNumber(summary.streams) : `${formatNumber(summary.streams)}+`}
            hint={partial}
          />
        )}
        <Tile
          label="Total pending"
          value={formatNumber(summary.totalPending)}
          tone={summary.totalPending > 0 ? "warn" : "neutral"}
          hint={partial}
        />
        <Tile
          label="Stuck messages"
          value={formatCapped(summary.stuck, summary.stuckCapped)}
          tone={summary.stuck > 0 ? "bad" : "neutral"}
          hint={
            <>
              Pending longer than the group&apos;s threshold (default 30 s)
              {summary.stuckAsOf !== undefined ? (
                <>
                  {" · worker snapshot: "}
                  <DataAge asOf={summary.stuckAsOf} label="Stuck snapshot age" />
                </>
              ) : null}
              {summary.rolling ? (
                <>
                  {` · ${partial ?? ""}, oldest reading: `}
                  <DataAge asOf={summary.rolling.since} label="Oldest reading age" />
                </>
              ) : null}
            </>
          }
        />
        <Tile
          label="Oldest pending"
          value={summary.oldestPendingMs === null ? "none" : formatDuration(summary.oldestPendingMs)}
          tone={summary.stuck > 0 ? "bad" : "neutral"}
          hint="Age from the message id's time; red only when messages are stuck"
        />
      </div>
      <DataAge asOf={summary.asOf} label="Summary data age" />
    </section>
  );
}

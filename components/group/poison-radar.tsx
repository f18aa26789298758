"use client";
import { useState } from "react";
import Link from "next/link";
import { Can } from "@/components/auth/can";
import type { ActionRequest } from "@/components/actions/action-request";
import { MessageFields } from "@/components/pending/message-fields";
import { Badge } from "@/components/ui/badge";
import { BucketChart } from "@/components/ui/bucket-chart";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { DEFAULT_POISON_DELIVERIES } from "@/lib/contract/deliveries";
import { encodeSegment } from "@/lib/contract/segment";
import { useDeliveries } from "@/lib/hooks/use-group";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { deliveryBars, radarHeadline } from "./poison-radar-data";

/**
 * The poison radar: delivery counts over the group's pending messages, the most delivered with a
 * preview, and one action for every message delivered more than N times.
 */
export function PoisonRadar({
  streamKey,
  group,
  onRequestAction,
}: {
  streamKey: string;
  group: string;
  onRequestAction: (request: ActionRequest) => void;
}) {
  const [over, setOver] = useState(DEFAULT_POISON_DELIVERIES);
  const { data, error, isPending, refetch } = useDeliveries(streamKey, group, over);
  return (
    <section aria-labelledby="poison-radar-title" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="poison-radar-title" className="text-base font-semibold">
          Poison radar: deliveries per pending message
        </h2>
        <label className="flex items-center gap-1 text-sm">
          Poison after
          <input
            type="number"
            min={1}
            value={over}
            onChange={(e) => setOver(Math.max(1, Math.floor(Number(e.target.value)) || 1))}
            className="w-20 rounded border border-slate-300 px-1 py-0.5"
            aria-label="Poison after this many deliveries"
          />
          deliveries
        </label>
      </div>
      {isPending ? (
        <Skeleton className="h-48 w-full" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : data.total === 0 ? (
        <EmptyState title="Nothing pending">No message of this group waits for an ack.</EmptyState>
      ) : (
        <>
          <p
            className={data.overCount > 0 ? "font-medium text-red-800" : "text-slate-700"}
            data-testid="poison-headline"
          >
            {radarHeadline(data)}
            {!data.exact ? (
              <span className="ml-2">
                <Badge tone="warn">
                  Estimate from a sample of {formatNumber(data.sampled)} of {formatNumber(data.total)}
                </Badge>
              </span>
            ) : null}
          </p>
          <BucketChart
            bars={deliveryBars(data.buckets, data.over)}
            name={`Histogram of delivery counts of ${formatNumber(data.total)} pending messages; poison after ${formatNumber(data.over)}`}
            tableName="Pending messages per delivery count"
            axis="Deliveries"
            overWord="poison"
          />
          {data.overCount > 0 ? (
            <Can permission="operate">
              <Button
                variant="danger"
                onClick={() =>
                  onRequestAction({
                    action: "dead-letter",
                    target: {
                      kind: "filter",
                      filter: { minDeliveries: data.over + 1 },
                      description: `delivered more than ${formatNumber(data.over)} times`,
                    },
                  })
                }
              >
                Dead-letter every message delivered more than {formatNumber(data.over)} times
              </Button>
            </Can>
          ) : null}
          <DataTable
            label="Messages delivered most often"
            rows={data.top}
            rowKey={(m) => m.id}
            rowClassName="align-top"
            columns={[
              {
                header: "Id",
                cellClassName: "font-mono",
                cell: (m) => (
                  <Link
                    className="underline"
                    href={`/streams/${encodeSegment(streamKey)}?id=${encodeURIComponent(m.id)}`}
                  >
                    {m.id}
                  </Link>
                ),
              },
              {
                header: "Deliveries",
                cellClassName: (m) => m.deliveries > data.over && "font-semibold text-red-700",
                cell: (m) => formatNumber(m.deliveries),
              },
              { header: "Consumer", cellClassName: "font-mono", cell: (m) => m.consumer },
              { header: "Idle", cell: (m) => formatDuration(m.idleMs) },
              {
                header: "Message",
                cell: (m) =>
                  m.deleted ? (
                    <span className="text-slate-500">entry deleted (orphaned id)</span>
                  ) : (
                    <MessageFields
                      fields={m.fields ?? []}
                      fieldsOmitted={m.fieldsOmitted}
                      streamKey={streamKey}
                      entryId={m.id}
                    />
                  ),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

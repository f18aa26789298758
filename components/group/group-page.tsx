"use client";
import { DataAge } from "@/components/ui/data-age";
import { GroupHistoryCharts } from "@/components/history/group-history-charts";
import { ThresholdAdvice } from "@/components/history/threshold-advice";
import { Can } from "@/components/auth/can";
import { notFound, usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { ActionDialog } from "@/components/actions/action-dialog";
import type { ActionRequest } from "@/components/actions/action-request";
import { PendingExplorer } from "@/components/pending/pending-explorer";
import {
  describeFilter,
  filterToSearch,
  parseFilter,
  toActionFilter,
  type ExplorerFilter,
} from "@/components/pending/pending-filter";
import { ErrorState, Skeleton, TableSkeleton } from "@/components/ui/states";
import { ApiError } from "@/lib/client/fetcher";
import { useGroup } from "@/lib/hooks/use-group";
import { ConsumerPendingChart } from "./consumer-pending-chart";
import { ConsumersTable } from "./consumers-table";
import { GroupAdmin } from "./group-admin";
import { GroupFacts } from "./group-facts";
import { IdleHistogramCard } from "./idle-histogram-chart";
import { JobsPanel } from "./jobs-panel";
import { PoisonRadar } from "./poison-radar";

interface OpenAction {
  seq: number;
  request: ActionRequest;
  onDone?: () => void;
}

/** The group page's live part: facts, charts, consumers, the pending explorer and admin. */
export function GroupPage({ streamKey, group }: { streamKey: string; group: string }) {
  const [open, setOpen] = useState<OpenAction | null>(null);
  const { data, error, isPending, refetch } = useGroup(streamKey, group, { paused: open !== null });
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filter = parseFilter(new URLSearchParams(search.toString()));

  if (error instanceof ApiError && error.code === "NOT_FOUND") notFound();

  function setFilter(next: ExplorerFilter) {
    router.replace(`${pathname}${filterToSearch(next)}`, { scroll: false });
  }

  function requestAction(request: ActionRequest, onDone?: () => void) {
    setOpen((prev) => ({ seq: (prev?.seq ?? 0) + 1, request, onDone }));
  }

  if (isPending) {
    return (
      <div className="space-y-4">
        <Skeleton className="h-24 w-full" />
        <TableSkeleton label="Loading group" />
      </div>
    );
  }
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;

  const consumerNames = data.consumers.map((c) => c.name);

  function claimFrom(consumer: string) {
    const next = { ...filter, consumer };
    setFilter(next);
    const live = data?.consumers.find((c) => c.name !== consumer && !c.dead);
    requestAction({
      action: "claim",
      target: { kind: "filter", filter: toActionFilter(next), description: describeFilter(next) },
      suggestedMinIdleMs: next.minIdleMs ?? data?.stuckAfterMs ?? 0,
      suggestedConsumer: live?.name,
    });
  }

  return (
    <div className="space-y-4">
      <GroupFacts group={data} />
      <DataAge asOf={data.asOf} label="Group data age" />
      <ThresholdAdvice streamKey={streamKey} group={group} />
      <JobsPanel streamKey={streamKey} group={group} />
      <div className="grid gap-4 lg:grid-cols-2">
        <IdleHistogramCard streamKey={streamKey} group={group} />
        <ConsumerPendingChart consumers={data.consumers} />
      </div>
      <PoisonRadar streamKey={streamKey} group={group} onRequestAction={requestAction} />
      <GroupHistoryCharts streamKey={streamKey} group={group} />
      <ConsumersTable
        streamKey={streamKey}
        group={group}
        consumers={data.consumers}
        stuckAfterMs={data.stuckAfterMs}
        listed={data.consumersListed}
        omitted={data.consumersOmitted}
        onClaimFrom={claimFrom}
      />
      <PendingExplorer
        key={filterToSearch(filter)}
        streamKey={streamKey}
        group={group}
        stuckAfterMs={data.stuckAfterMs}
        consumers={consumerNames}
        filter={filter}
        onFilterChange={setFilter}
        onRequestAction={requestAction}
        holdStill={open !== null}
      />
      <Can permission="operate">
        <GroupAdmin streamKey={streamKey} detail={data} />
      </Can>
      {open ? (
        <ActionDialog
          key={open.seq}
          streamKey={streamKey}
          group={group}
          request={open.request}
          consumers={consumerNames}
          defaultDeadLetterTarget={data.deadLetterTarget}
          onClose={() => setOpen(null)}
          onDone={() => open.onDone?.()}
        />
      ) : null}
    </div>
  );
}

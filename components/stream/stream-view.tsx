"use client";
import { DataAge } from "@/components/ui/data-age";
import Link from "next/link";
import type { ReactNode } from "react";
import type { GroupSummary } from "@/lib/contract/streams";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useStream } from "@/lib/hooks/use-streams";
import { DeadLetters } from "./dead-letters";
import { EntriesBrowser } from "./entries-browser";
import { GroupsTable } from "./groups-table";
import { TrimPanel } from "./trim-panel";
import { LiveTail } from "./live-tail";
import { SearchPanel } from "./search-panel";
import { StreamFacts } from "./stream-facts";

export interface StreamViewProps {
  streamKey: string;
  /** `?id=` deep link: the entries browser opens around it and highlights it. */
  initialId?: string;
  /** SLOT (lead): history charts of this stream (alerts/history engineer), shown under the facts. */
  historySlot?: ReactNode;
  /** SLOT (lead): stream-level group admin (e.g. "Create group" form), shown above the groups table. */
  groupAdminSlot?: ReactNode;
  /** SLOT (lead): per-group controls in the groups table (a client-side render function). */
  renderGroupActions?: (group: GroupSummary) => ReactNode;
}

export function StreamView({ streamKey, initialId, historySlot, groupAdminSlot, renderGroupActions }: StreamViewProps) {
  const stream = useStream(streamKey, { refetchInterval: 5000 });
  const groups = stream.data?.groups.map((g) => g.name) ?? [];
  return (
    <div className="space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
          <Link href="/" className="hover:underline">
            Streams
          </Link>{" "}
          /
        </nav>
        <h1 className="break-all font-mono text-2xl font-semibold">{streamKey}</h1>
        <DataAge asOf={stream.data?.asOf} label="Stream data age" />
      </div>

      <section aria-label="Facts" className="space-y-2">
        {stream.isPending ? (
          <div role="status" aria-label="Loading stream facts" className="grid grid-cols-2 gap-2 md:grid-cols-5">
            {Array.from({ length: 10 }, (_, i) => (
              <Skeleton key={i} className="h-14" />
            ))}
          </div>
        ) : stream.isError && !stream.data ? (
          <ErrorState error={stream.error} onRetry={() => void stream.refetch()} />
        ) : stream.data ? (
          <StreamFacts detail={stream.data} />
        ) : null}
        {stream.isError && stream.data ? (
          <p role="status" className="text-xs text-red-700">
            Refresh failed; showing the last known facts.
          </p>
        ) : null}
      </section>

      {historySlot}

      <section aria-labelledby="groups-heading" className="space-y-2">
        <h2 id="groups-heading" className="text-lg font-semibold">
          Consumer groups
        </h2>
        {groupAdminSlot}
        {stream.data ? (
          <GroupsTable
            streamKey={streamKey}
            groups={stream.data.groups}
            omitted={stream.data.groupsOmitted}
            actions={renderGroupActions}
          />
        ) : null}
      </section>

      <DeadLetters streamKey={streamKey} />

      <TrimPanel streamKey={streamKey} />

      <LiveTail streamKey={streamKey} groups={groups} />

      <EntriesBrowser
        key={initialId ?? ""}
        streamKey={streamKey}
        groups={groups}
        initialId={initialId}
        streamLength={stream.data?.length}
      />

      <SearchPanel streamKey={streamKey} groups={groups} />
    </div>
  );
}

import { Tile } from "@/components/ui/tile";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { drainHint, drainText } from "@/lib/shared/drain";

/** The group's numbers at a glance. Lag is Redis's estimate: "unknown" when it cannot compute it. */
export function GroupFacts({ group }: { group: GroupDetailResponse }) {
  const dead = group.consumers.filter((c) => c.dead).length;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      <Tile
        label="Pending"
        value={formatNumber(group.pending)}
        tone={group.pending > 0 ? "warn" : "neutral"}
        hint="handed to a consumer, not acked"
      />
      <Tile
        label="Lag"
        value={group.lag === null ? "unknown" : formatNumber(group.lag)}
        hint={group.lag === null ? "Redis cannot compute it for this group" : "estimate: entries not yet read"}
      />
      <Tile
        label="Lag (time)"
        value={formatDuration(group.lagMs)}
        tone={group.drain && group.drain.ratePerSec < 0 ? "warn" : "neutral"}
        hint="age of the oldest entry not yet delivered (from its id)"
      />
      <Tile label="Drain" value={drainText(group.drain)} hint={drainHint(group.drain)} />
      <Tile
        label="Oldest pending"
        value={group.oldestPendingMs === null ? "none" : formatDuration(group.oldestPendingMs)}
        hint="age of the oldest pending message (from its id)"
      />
      <Tile
        label="Last delivered id"
        value={<span className="break-all font-mono text-base">{group.lastDeliveredId}</span>}
      />
      <Tile label="Entries read" value={group.entriesRead === null ? "unknown" : formatNumber(group.entriesRead)} />
      <Tile
        label="Stuck threshold"
        value={formatDuration(group.stuckAfterMs)}
        hint="pending longer than this is stuck"
      />
      <Tile
        label="Consumers"
        value={formatNumber(group.consumerCount)}
        tone={dead > 0 ? "bad" : "neutral"}
        hint={
          group.consumersListed !== "all"
            ? `${formatNumber(group.consumersOmitted)} not listed (mostly idle)${dead > 0 ? `; ${formatNumber(dead)} dead` : ""}`
            : dead > 0
              ? `${formatNumber(dead)} dead`
              : "none dead"
        }
      />
    </div>
  );
}

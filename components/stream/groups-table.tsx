import Link from "next/link";
import type { ReactNode } from "react";
import type { GroupSummary } from "@/lib/contract/streams";
import { EmptyState } from "@/components/ui/states";
import { formatNumber } from "@/lib/shared/format";
import { encodeSegment } from "@/lib/contract/segment";

const LAG_UNKNOWN_HELP =
  "Redis cannot compute this group's lag: it was created or moved to an id in the middle of the stream or in the future, or an entry after its last-delivered-id was deleted.";
const LAG_ESTIMATE_HELP =
  "Entries not yet delivered to the group, as Redis estimates it (miscounted after XTRIM before 7.2.7 / 7.4.2).";

export function lagText(lag: number | null): string {
  return lag === null ? "unknown" : `≈${formatNumber(lag)}`;
}

export function groupHref(streamKey: string, group: string): string {
  return `/streams/${encodeSegment(streamKey)}/groups/${encodeSegment(group)}`;
}

/** `actions` renders per-group controls (slot for the group-admin forms). */
export function GroupsTable({
  streamKey,
  groups,
  omitted = 0,
  actions,
}: {
  streamKey: string;
  groups: GroupSummary[];
  /** Groups the answer left out (a stream with over 1,000): said under the table. */
  omitted?: number;
  actions?: (group: GroupSummary) => ReactNode;
}) {
  if (groups.length === 0)
    return <EmptyState title="No consumer groups">Entries show no per-group state until a group exists.</EmptyState>;
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" aria-label="Consumer groups">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-2 py-1.5">Group</th>
            <th className="px-2 py-1.5 text-right">Consumers</th>
            <th className="px-2 py-1.5 text-right">Pending</th>
            <th className="px-2 py-1.5">Last delivered id</th>
            <th className="px-2 py-1.5 text-right">Entries read</th>
            <th className="px-2 py-1.5 text-right">Lag</th>
            {actions ? (
              <th className="px-2 py-1.5">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.name} className="border-t border-slate-100">
              <td className="px-2 py-1.5">
                <Link className="font-medium text-blue-700 hover:underline" href={groupHref(streamKey, g.name)}>
                  {g.name}
                </Link>
              </td>
              <td className="px-2 py-1.5 text-right">{formatNumber(g.consumerCount)}</td>
              <td className="px-2 py-1.5 text-right">{formatNumber(g.pending)}</td>
              <td className="px-2 py-1.5 font-mono text-xs">{g.lastDeliveredId}</td>
              <td className="px-2 py-1.5 text-right">
                {g.entriesRead === null ? "unknown" : formatNumber(g.entriesRead)}
              </td>
              <td className="px-2 py-1.5 text-right" title={g.lag === null ? LAG_UNKNOWN_HELP : LAG_ESTIMATE_HELP}>
                {lagText(g.lag)}
              </td>
              {actions ? <td className="px-2 py-1.5">{actions(g)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {omitted > 0 ? (
        <p role="note" className="border-t border-slate-100 px-2 py-1.5 text-xs text-slate-600">
          {formatNumber(omitted)} more groups not listed: the {formatNumber(groups.length)} with the most pending
          messages (then the most lag) are shown.
        </p>
      ) : null}
    </div>
  );
}

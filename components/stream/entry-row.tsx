"use client";
import clsx from "clsx";
import { useEffect, useRef, useState } from "react";
import type { StreamEntry } from "@/lib/contract/entries";
import { Time } from "@/components/ui/time";
import { idToTimeMs } from "@/lib/contract/ids";
import { stateColumnGroups } from "./entry-display";
import { EntryStateBadge } from "./entry-state-badge";
import { FieldValue } from "./field-value";
import { RedriveButton } from "./redrive-button";
import { StateLegend } from "./state-legend";

/** A click on the row itself (not on a control in it, not the end of a text selection) toggles it. */
function isPlainRowClick(e: React.MouseEvent): boolean {
  if ((e.target as HTMLElement).closest("a, button, input, select, textarea, summary, [role=dialog]")) return false;
  return !window.getSelection()?.toString();
}

export function EntryRow({
  streamKey,
  entry,
  groups,
  highlighted,
}: {
  streamKey: string;
  entry: StreamEntry;
  groups: string[];
  highlighted?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: "center" });
  }, [highlighted]);
  return (
    <tr
      ref={ref}
      data-entry-id={entry.id}
      aria-current={highlighted ? "true" : undefined}
      onClick={(e) => isPlainRowClick(e) && setExpanded((v) => !v)}
      className={clsx(
        "cursor-pointer border-t border-slate-100 align-top hover:bg-slate-50",
        highlighted && "bg-yellow-100 ring-2 ring-yellow-400",
      )}
    >
      <td className="whitespace-nowrap px-2 py-1.5">
        <div className="flex items-start gap-1">
          <button
            type="button"
            aria-expanded={expanded}
            aria-label={`${expanded ? "Collapse" : "Expand"} ${entry.id}`}
            onClick={() => setExpanded((v) => !v)}
            className="rounded px-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-600"
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 20 20"
              className={clsx("h-4 w-4 transition-transform", expanded && "rotate-90")}
              fill="currentColor"
            >
              <path d="M7.2 4.2a1 1 0 0 1 1.4 0l5 5a1 1 0 0 1 0 1.4l-5 5a1 1 0 1 1-1.4-1.4L11.5 10 7.2 5.6a1 1 0 0 1 0-1.4Z" />
            </svg>
          </button>
          <div>
            <div className="font-mono text-xs">{entry.id}</div>
            <div className="text-xs text-slate-500">
              <Time ms={idToTimeMs(entry.id)} />
            </div>
          </div>
        </div>
      </td>
      <td className="px-2 py-1.5">
        <dl className="grid grid-cols-[minmax(4rem,max-content)_1fr] gap-x-3 gap-y-0.5 text-sm">
          {entry.fields.map(([name, value], i) => (
            <div key={i} className="contents">
              <dt className="font-mono text-xs text-slate-600">
                <FieldValue value={name} expanded={false} />
              </dt>
              <dd className="min-w-0">
                <FieldValue value={value} expanded={expanded} source={{ streamKey, entryId: entry.id, index: i }} />
              </dd>
            </div>
          ))}
        </dl>
        {entry.fieldsOmitted ? (
          <p className="mt-1 text-xs text-slate-500">{entry.fieldsOmitted} more fields not listed</p>
        ) : null}
      </td>
      <td className="px-2 py-1.5">
        {groups.length === 0 ? (
          <span className="text-xs text-slate-400">no groups</span>
        ) : (
          <ul className="flex flex-col gap-1">
            {groups.map((g) => {
              const state = entry.states[g];
              return <li key={g}>{state ? <EntryStateBadge group={g} state={state} /> : null}</li>;
            })}
          </ul>
        )}
      </td>
      <td className="space-y-1 px-2 py-1.5">
        <RedriveButton streamKey={streamKey} entry={entry} />
      </td>
    </tr>
  );
}

export function EntriesTable({
  streamKey,
  entries,
  groups,
  highlightId,
  label,
  shownGroups,
}: {
  streamKey: string;
  entries: StreamEntry[];
  groups: string[];
  highlightId?: string;
  label: string;
  /** The answer's `stateGroups.shown`, when the stream has more groups than a page shows. */
  shownGroups?: string[];
}) {
  const columns = stateColumnGroups(groups, entries, shownGroups);
  return (
    <div className="space-y-2">
      <StateLegend />
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="w-full text-left" aria-label={label}>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500">
            <tr>
              <th className="px-2 py-1.5">Id / time</th>
              <th className="px-2 py-1.5">Fields</th>
              <th className="px-2 py-1.5">State per group</th>
              <th className="px-2 py-1.5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <EntryRow
                key={e.id}
                streamKey={streamKey}
                entry={e}
                groups={columns}
                highlighted={e.id === highlightId}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

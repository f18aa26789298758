"use client";
import { Can } from "@/components/auth/can";
import { Fragment } from "react";
import { ACTIONS, ACTION_VERB, type MessageAction } from "@/components/actions/action-text";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { PendingEntryRow } from "@/lib/contract/pending";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { MessageFields } from "./message-fields";
import { producedAt } from "./pending-export";

export interface PendingTableProps {
  entries: readonly PendingEntryRow[];
  stuckAfterMs: number;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  expanded: ReadonlySet<string>;
  onExpand: (id: string) => void;
  /** True while the page is being refetched with its fields. */
  fieldsLoading: boolean;
  /** For "Show all" / "Download" of a value cut in the list. */
  streamKey?: string;
  onAction: (action: MessageAction, entry: PendingEntryRow) => void;
}

/** The page of pending entries: a plain table, every row with its own action buttons. */
export function PendingTable(props: PendingTableProps) {
  const { entries, selected, expanded } = props;
  const allSelected = entries.length > 0 && entries.every((e) => selected.has(e.id));
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <table className="w-full text-sm" aria-label="Pending messages">
        <thead className="bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="w-8 px-2 py-1.5">
              <input
                type="checkbox"
                aria-label="Select all on page"
                checked={allSelected}
                onChange={(e) => props.onToggleAll(e.target.checked)}
              />
            </th>
            <th scope="col" className="px-2 py-1.5">
              Id
            </th>
            <th scope="col" className="px-2 py-1.5">
              Produced at
            </th>
            <th scope="col" className="px-2 py-1.5">
              Consumer
            </th>
            <th scope="col" className="px-2 py-1.5 text-right">
              Idle
            </th>
            <th scope="col" className="px-2 py-1.5 text-right">
              Deliveries
            </th>
            <th scope="col" className="px-2 py-1.5">
              Actions
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const isOpen = expanded.has(e.id);
            const stuck = e.idleMs >= props.stuckAfterMs;
            return (
              <Fragment key={e.id}>
                <tr className="border-t border-slate-100 align-top" data-id={e.id}>
                  <td className="px-2 py-1.5">
                    <input
                      type="checkbox"
                      aria-label={`Select ${e.id}`}
                      checked={selected.has(e.id)}
                      onChange={() => props.onToggle(e.id)}
                    />
                  </td>
                  <td className="px-2 py-1.5 font-mono text-xs">
                    <button
                      type="button"
                      className="text-left text-blue-700 underline-offset-2 hover:underline"
                      aria-expanded={isOpen}
                      aria-label={`${isOpen ? "Hide" : "Show"} fields of ${e.id}`}
                      onClick={() => props.onExpand(e.id)}
                    >
                      {isOpen ? "▾" : "▸"} {e.id}
                    </button>
                    {e.deleted ? (
                      <span className="ml-1">
                        <Badge
                          tone="bad"
                          title="The id is pending but its entry was deleted or trimmed from the stream"
                        >
                          message deleted
                        </Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className="px-2 py-1.5 text-xs text-slate-600">{producedAt(e.id)}</td>
                  <td className="px-2 py-1.5">{e.consumer}</td>
                  <td className={`px-2 py-1.5 text-right tabular-nums ${stuck ? "font-semibold text-red-700" : ""}`}>
                    {formatDuration(e.idleMs)}
                    {stuck ? <span className="sr-only"> (stuck)</span> : null}
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(e.deliveries)}</td>
                  <td className="px-2 py-1.5">
                    <Can permission="operate">
                      <div className="flex flex-wrap gap-1">
                        {ACTIONS.map((a) => (
                          <Button
                            key={a}
                            size="sm"
                            variant={a === "delete" ? "danger" : "secondary"}
                            aria-label={`${ACTION_VERB[a]} ${e.id}`}
                            onClick={() => props.onAction(a, e)}
                          >
                            {ACTION_VERB[a]}
                          </Button>
                        ))}
                      </div>
                    </Can>
                  </td>
                </tr>
                {isOpen ? (
                  <tr className="bg-slate-50">
                    <td />
                    <td colSpan={6} className="px-2 py-2">
                      {e.deleted ? (
                        <p className="text-xs text-slate-600">
                          The message was deleted from the stream; only its pending entry is left. Ack it to clear it.
                        </p>
                      ) : e.fields ? (
                        <MessageFields
                          fields={e.fields}
                          fieldsOmitted={e.fieldsOmitted}
                          streamKey={props.streamKey}
                          entryId={e.id}
                        />
                      ) : props.fieldsLoading ? (
                        <span className="inline-flex items-center gap-1 text-xs">
                          <Spinner label={`Loading fields of ${e.id}`} /> loading fields…
                        </span>
                      ) : (
                        <p className="text-xs text-slate-600">Fields unavailable.</p>
                      )}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

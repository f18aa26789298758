"use client";
import { Can } from "@/components/auth/can";
import { ACTIONS, ACTION_VERB, type MessageAction } from "@/components/actions/action-text";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { Spinner } from "@/components/ui/spinner";
import type { PendingEntryRow } from "@/lib/contract/pending";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { MessageFields } from "./message-fields";
import { producedAt } from "./pending-export";

export interface PendingTableProps {
  entries: readonly PendingEntryRow[];
  stuckAfterMs: number;
  selected: ReadonlySet<string>;
  /** The new selection (only ids of this page). */
  onSelect: (selected: ReadonlySet<string>) => void;
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
  const isStuck = (e: PendingEntryRow) => e.idleMs >= props.stuckAfterMs;
  return (
    <div className="overflow-x-auto rounded border border-slate-200 bg-white">
      <DataTable
        label="Pending messages"
        density="regular"
        rows={entries}
        rowKey={(e) => e.id}
        rowClassName="align-top"
        rowData={(e) => ({ "data-id": e.id })}
        selection={{
          selected,
          onChange: props.onSelect,
          allLabel: "Select all on page",
          rowLabel: (e) => `Select ${e.id}`,
        }}
        columns={[
          {
            header: "Id",
            cellClassName: "font-mono text-xs",
            cell: (e) => {
              const isOpen = expanded.has(e.id);
              return (
                <>
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
                      <Badge tone="bad" title="The id is pending but its entry was deleted or trimmed from the stream">
                        message deleted
                      </Badge>
                    </span>
                  ) : null}
                </>
              );
            },
          },
          { header: "Produced at", cellClassName: "text-xs text-slate-600", cell: (e) => producedAt(e.id) },
          { header: "Consumer", cell: (e) => e.consumer },
          {
            header: "Idle",
            numeric: true,
            cellClassName: (e) => isStuck(e) && "font-semibold text-red-700",
            cell: (e) => (
              <>
                {formatDuration(e.idleMs)}
                {isStuck(e) ? <span className="sr-only"> (stuck)</span> : null}
              </>
            ),
          },
          { header: "Deliveries", numeric: true, cell: (e) => formatNumber(e.deliveries) },
          {
            header: "Actions",
            cell: (e) => (
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
            ),
          },
        ]}
        after={(e) =>
          expanded.has(e.id) ? (
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
          ) : null
        }
      />
    </div>
  );
}
